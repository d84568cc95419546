// The slices of the rollups that compliance reads (src/oversight/rollup-tables.ts): one service's
// rows of one Jalali month at the grain its support hours need, the rate-limit refusals its callers
// got, and answered inquiries per caller. Statements are prepared once per reader.
import type Database from 'better-sqlite3';
import { BUCKET_COLUMNS, BUCKETS } from '../oversight/latency-buckets.ts';
import { outcomeOf, type Outcome } from '../oversight/outcomes.ts';
import { createRollupTables, rollupTable, type Grain } from '../oversight/rollup-tables.ts';

/** Outcomes and a latency histogram of the exchanges that reached the provider (answered or failed there). */
export interface Slice {
  answered: number;
  refused: number;
  providerFailed: number;
  exchangeFailed: number;
  /** Latency of answered and provider-failed exchanges only: refusals never reach the provider and would flatter it. */
  buckets: number[];
}

export const emptySlice = (): Slice => ({ answered: 0, refused: 0, providerFailed: 0, exchangeFailed: 0, buckets: new Array<number>(BUCKETS).fill(0) });

interface Row { period: string; status: number; error_type: string; n: number; [bucket: string]: number | string }

export function addRow(s: Slice, r: { status: number; error_type: string; n: number; [bucket: string]: number | string }): Outcome {
  const outcome = outcomeOf(r.status, r.error_type);
  s[outcome] += r.n;
  if (outcome === 'answered' || outcome === 'providerFailed') {
    for (let i = 0; i < BUCKETS; i++) s.buckets[i]! += r[BUCKET_COLUMNS[i]!] as number;
  }
  return outcome;
}

/** First and last period labels of a month at a grain ('1399/07' → '1399/07/01 00' … '1399/07/99 99'). */
function monthRange(grain: Grain, month: string): [string, string] {
  if (grain === 'month') return [month, month];
  return grain === 'day' ? [`${month}/00`, `${month}/99`] : [`${month}/00 00`, `${month}/99 99`];
}

export class RollupSlices {
  private readonly perPeriod = new Map<Grain, Database.Statement>();
  private readonly rateLimited: Database.Statement;
  private readonly byClient: Database.Statement;
  private readonly byService: Database.Statement;

  /** @param o.readonly a read-only connection, on which the tables already exist. */
  constructor(db: Database.Database, o: { readonly?: boolean } = {}) {
    if (!o.readonly) createRollupTables(db);
    const sums = BUCKET_COLUMNS.map((c) => `sum(r.${c}) as ${c}`).join(', ');
    for (const grain of ['hour', 'day', 'month'] as const) {
      this.perPeriod.set(grain, db.prepare(`
        select r.period, k.status, k.error_type, sum(r.n) as n, ${sums}
        from ${rollupTable(grain)} r join rollup_keys k on k.id = r.key_id
        where k.service = ? and r.period between ? and ?
        group by r.period, k.status, k.error_type`));
    }
    this.rateLimited = db.prepare(`
      select count(distinct k.client) as clients, coalesce(sum(r.n), 0) as n
      from rollup_month r join rollup_keys k on k.id = r.key_id
      where k.service = ? and r.period = ? and k.error_type = 'Client.RateLimitExceeded'`);
    this.byClient = db.prepare(`
      select k.client, k.status, k.error_type, sum(r.n) as n
      from rollup_month r join rollup_keys k on k.id = r.key_id
      where k.service = ? and r.period = ?
      group by k.client, k.status, k.error_type`);
    this.byService = db.prepare(`
      select k.service, k.status, k.error_type, sum(r.n) as n
      from rollup_month r join rollup_keys k on k.id = r.key_id
      where r.period = ? and k.service <> ''
      group by k.service, k.status, k.error_type`);
  }

  /** One service's rows of a month at a grain, each period's outcomes apart, for the caller to filter by support hours. */
  periods(serviceId: string, month: string, grain: Grain): Map<string, Slice> {
    const out = new Map<string, Slice>();
    for (const r of this.perPeriod.get(grain)!.iterate(serviceId, ...monthRange(grain, month)) as IterableIterator<Row>) {
      let s = out.get(r.period);
      if (!s) out.set(r.period, (s = emptySlice()));
      addRow(s, r);
    }
    return out;
  }

  /** Client.RateLimitExceeded refusals of the service's callers in the month, and how many callers got one. */
  rateLimitRefusals(serviceId: string, month: string): { refusals: number; clients: number } {
    const r = this.rateLimited.get(serviceId, month) as { clients: number; n: number };
    return { refusals: r.n, clients: r.clients };
  }

  /** Answered inquiries of a service in a month, per calling subsystem. */
  answeredByClient(serviceId: string, month: string): Map<string, number> {
    const out = new Map<string, number>();
    for (const r of this.byClient.iterate(serviceId, month) as IterableIterator<{ client: string; status: number; error_type: string; n: number }>) {
      if (outcomeOf(r.status, r.error_type) === 'answered') out.set(r.client, (out.get(r.client) ?? 0) + r.n);
    }
    return out;
  }

  /** Outcomes of every service in a month (no histograms). */
  servicesOfMonth(month: string): Map<string, Omit<Slice, 'buckets'>> {
    const out = new Map<string, Omit<Slice, 'buckets'>>();
    for (const r of this.byService.iterate(month) as IterableIterator<{ service: string; status: number; error_type: string; n: number }>) {
      let s = out.get(r.service);
      if (!s) out.set(r.service, (s = { answered: 0, refused: 0, providerFailed: 0, exchangeFailed: 0 }));
      s[outcomeOf(r.status, r.error_type)] += r.n;
    }
    return out;
  }
}
