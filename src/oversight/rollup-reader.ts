// Everything the node reads from the rollups on behalf of a request or a timer, behind one interface:
// statistics (stats.ts), the slices compliance judges service levels and mandates on
// (src/compliance/rollup-slices.ts), the months open data may publish, and the centre's pull cursors.
// LocalRollups answers at once over a connection of the caller's (the CLI, tests, and the reader's
// own thread); the node's control plane reads through the thread (rollup-host.ts), so that a year
// of rollups never holds up the exchanges that share its event loop. Callers await either.
import type Database from 'better-sqlite3';
import { RollupSlices, type Slice } from '../compliance/rollup-slices.ts';
import { evaluateServiceMonth, type SlaMonthResult } from '../compliance/sla-evaluation.ts';
import type { ServiceLevel } from '../registry/oversight-data.ts';
import { StatsReader, type StatsAnswer, type StatsQuery } from './stats.ts';

export type Awaitable<T> = T | Promise<T>;

export type ServiceOutcomes = Omit<Slice, 'buckets'>;

export interface RollupReader {
  /** Statistics of a period (stats.ts). */
  query(q: StatsQuery): Awaitable<StatsAnswer>;
  /** Each service level judged on a closed month ('YYYY/MM'); nothing is kept (the breach store keeps it). */
  evaluateMonth(levels: readonly ServiceLevel[], month: string, now: Date): Awaitable<SlaMonthResult[]>;
  /** Outcomes of every service in a month (rollup-slices.ts). */
  servicesOfMonth(month: string): Awaitable<Map<string, ServiceOutcomes>>;
  /** Answered inquiries of a service in a month, per calling subsystem. */
  answeredByClient(serviceId: string, month: string): Awaitable<Map<string, number>>;
  /** The months ('YYYY/MM') this node's own month rollups hold, oldest first. */
  rollupMonths(): Awaitable<string[]>;
  /** The last pull of each node's rollups (ISO 8601), on a node that pulls them (remote-rollups.ts). */
  lastPulls(): Awaitable<Map<string, string>>;
}

export class LocalRollups implements RollupReader {
  readonly stats: StatsReader;
  private readonly slices: RollupSlices;

  /** @param o.readonly a read-only connection: the record writer has made the tables. */
  constructor(db: Database.Database, o: { nodeId?: string | undefined; readonly?: boolean } = {}) {
    this.stats = new StatsReader(db, o);
    this.slices = new RollupSlices(db, o);
  }

  query(q: StatsQuery): StatsAnswer {
    return this.stats.query(q);
  }

  evaluateMonth(levels: readonly ServiceLevel[], month: string, now: Date): SlaMonthResult[] {
    return levels.map((l) => evaluateServiceMonth(this.slices, l, month, now));
  }

  servicesOfMonth(month: string): Map<string, ServiceOutcomes> {
    return this.slices.servicesOfMonth(month);
  }

  answeredByClient(serviceId: string, month: string): Map<string, number> {
    return this.slices.answeredByClient(serviceId, month);
  }

  rollupMonths(): string[] {
    return this.stats.rollupMonths();
  }

  lastPulls(): Map<string, string> {
    return this.stats.lastPulls();
  }
}

/** What a reader of statistics alone needs: a StatsReader (answering at once) or the node's thread. */
export type StatsQueries = Pick<RollupReader, 'query'>;
