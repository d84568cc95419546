// Compliance of one node: service levels per closed Jalali month from its rollups, kept as they are
// found (breach-store.ts). The control plane makes the node's and gives it to its timer and the admin
// API; the CLI opens its own on a data directory.
import type Database from 'better-sqlite3';
import { Errors, fail } from '../errors/catalogue.ts';
import type { RollupReader } from '../oversight/rollup-reader.ts';
import type { Registry } from '../registry/registry.ts';
import { BreachStore } from './breach-store.ts';
import { isClosed, monthLabel, type JalaliMonth } from './jalali-month.ts';
import type { SlaMonthResult } from './sla-evaluation.ts';

export class Compliance {
  readonly breaches: BreachStore;
  /** Datasets the node's open-data catalogue holds, once its portal runs (for open-data mandates). */
  openDataDatasets: (() => number) | undefined;

  /** @param db where the breaches are kept (records.db); @param stats where the rollups are read:
   * the node's reader thread, or a LocalRollups in the CLI. */
  constructor(db: Database.Database, readonly stats: RollupReader) {
    this.breaches = new BreachStore(db);
  }

  /**
   * Evaluates every SLA document against a closed month and keeps the results (idempotent per SLA
   * version). `missingOnly`: only services with no evaluation of the month under any version, as
   * the timer does, so that a document changed later does not silently re-judge a past month.
   */
  async evaluateMonth(registry: Registry, month: JalaliMonth, now: Date, o: { missingOnly?: boolean } = {}): Promise<SlaMonthResult[]> {
    const label = monthLabel(month);
    if (!isClosed(month, now)) fail(Errors.InvalidInput, `the Jalali month ${label} has not closed yet; a month is evaluated once it is over`);
    const levels = await registry.oversight.listSlas();
    const done = o.missingOnly ? this.breaches.evaluated(label) : new Set<string>();
    const results = await this.stats.evaluateMonth(levels.filter((l) => !done.has(l.serviceId)), label, now);
    this.breaches.keep(results);
    return results;
  }

  /**
   * The verdicts of a closed month: evaluated now for services that have none yet (and kept), then
   * the most recent evaluation of each service.
   */
  async verdicts(registry: Registry, month: JalaliMonth, now: Date): Promise<SlaMonthResult[]> {
    await this.evaluateMonth(registry, month, now, { missingOnly: true });
    return this.breaches.latest(monthLabel(month));
  }
}
