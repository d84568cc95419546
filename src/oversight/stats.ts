// Statistics of the exchange read from the rollups (never from raw records): counts, shares,
// growth against the period before, success and error rates and latency percentiles, per provider,
// consumer, service, province, Jalali month or year (DESIGN section 8).
import type Database from 'better-sqlite3';
import { formatJalali, type JalaliDate } from '../dates/jalali.ts';
import { BUCKET_COLUMNS, BUCKETS, percentileMs } from './latency-buckets.ts';
import { planPeriod, previousPeriod, type PeriodPlan } from './period-plan.ts';
import { provinceByCode } from '../divisions/provinces.ts';
import { outcomeOf } from './outcomes.ts';
import { createRollupTables, rollupTable } from './rollup-tables.ts';

export const STATS_BY = ['provider', 'consumer', 'service', 'province', 'month', 'year'] as const;
export type StatsBy = (typeof STATS_BY)[number];

/** Names and provinces from the registry; statistics themselves keep identifiers only. */
export interface Directory {
  memberName(memberId: string): { name: string; nameFa: string | null } | undefined;
  /** The province code ('00'–'30') a consumer subsystem serves from, 'national' for a national
   * system, undefined when the registry no longer knows it. */
  provinceOf(subsystemId: string): string | undefined;
}

export interface StatsLine {
  key: string;
  name?: string;
  nameFa?: string | null;
  count: number;
  /** Of the period's total. */
  share: number;
  /** Outcomes as outcomes.ts defines them. */
  answered: number;
  refused: number;
  providerFailed: number;
  exchangeFailed: number;
  /** answered / count. */
  successRate: number | null;
  /** (providerFailed + exchangeFailed) / count: refusals are the callers' doing, not errors of the exchange. */
  errorRate: number | null;
  p50Ms: number | null;
  p95Ms: number | null;
  p99Ms: number | null;
  /** Mean time spent at the provider, ms. */
  meanProviderMs: number | null;
  previousCount?: number;
  /** count / previousCount - 1; null when there was nothing before. */
  growth?: number | null;
}

export interface StatsAnswer {
  from: string;
  to: string;
  by: StatsBy;
  total: StatsLine;
  lines: StatsLine[];
  previous?: { from: string; to: string; count: number };
}

interface Acc { n: number; answered: number; refused: number; providerFailed: number; exchangeFailed: number; dur: number; prov: number; buckets: number[] }

const newAcc = (): Acc => ({ n: 0, answered: 0, refused: 0, providerFailed: 0, exchangeFailed: 0, dur: 0, prov: 0, buckets: new Array<number>(BUCKETS).fill(0) });

interface KeyRow { client: string; service: string; status: number; error_type: string; period: string; n: number; dur: number; prov: number; [bucket: string]: number | string }

const providerOf = (service: string) => service.split('/').slice(0, 4).join('/');
const memberOf = (subsystemOrService: string) => subsystemOrService.split('/').slice(0, 3).join('/');

export class StatsReader {
  private readonly statements = new Map<string, Database.Statement>();

  constructor(private readonly db: Database.Database) {
    createRollupTables(db);
  }

  /** Sums over the rows that cover the period, grouped by what the grouping and the outcomes need
   * and no more: a year by month over every key would hand keys × months rows to JavaScript. */
  private rows(plan: PeriodPlan, by: StatsBy): KeyRow[] {
    const out: KeyRow[] = [];
    const run = (grain: 'day' | 'month', range: [string, string]) => {
      const id = `${grain}:${by}`;
      let stmt = this.statements.get(id);
      if (!stmt) {
        const perMonth = by === 'month' || by === 'year';
        const client = by === 'consumer' || by === 'province' ? 'k.client' : '';
        const service = by === 'provider' || by === 'service' ? 'k.service' : '';
        const period = perMonth ? 'substr(r.period, 1, 7)' : '';
        stmt = this.db.prepare(`
          select ${client || "'' as client"}, ${service || "'' as service"}, k.status, k.error_type, ${period || "''"} as period,
            sum(r.n) as n, sum(r.duration_us) as dur, sum(r.provider_us) as prov, ${BUCKET_COLUMNS.map((c) => `sum(r.${c}) as ${c}`).join(', ')}
          from ${rollupTable(grain)} r join rollup_keys k on k.id = r.key_id
          where r.period between ? and ?
          group by ${[client, service, 'k.status', 'k.error_type', period].filter(Boolean).join(', ')}`);
        this.statements.set(id, stmt);
      }
      for (const row of stmt.iterate(range[0], range[1]) as IterableIterator<KeyRow>) out.push(row);
    };
    for (const m of plan.months) run('month', m);
    for (const d of plan.days) run('day', d);
    return out;
  }

  private aggregate(from: JalaliDate, to: JalaliDate, by: StatsBy, dir?: Directory): { total: Acc; groups: Map<string, Acc> } {
    const groupOf = (r: KeyRow): string => {
      switch (by) {
        case 'provider': return r.service === '' ? '' : providerOf(r.service);
        case 'consumer': return r.client;
        case 'service': return r.service;
        case 'province': return dir?.provinceOf(r.client) ?? 'unknown';
        case 'month': return r.period;
        case 'year': return r.period.slice(0, 4);
      }
    };
    const total = newAcc();
    const groups = new Map<string, Acc>();
    for (const r of this.rows(planPeriod(from, to), by)) {
      const key = groupOf(r);
      let g = groups.get(key);
      if (!g) groups.set(key, (g = newAcc()));
      for (const acc of [g, total]) {
        acc.n += r.n;
        acc[outcomeOf(r.status, r.error_type)] += r.n;
        acc.dur += r.dur;
        acc.prov += r.prov;
        for (let i = 0; i < BUCKETS; i++) acc.buckets[i]! += r[BUCKET_COLUMNS[i]!] as number;
      }
    }
    return { total, groups };
  }

  query(q: { from: JalaliDate; to: JalaliDate; by: StatsBy; compare?: boolean; directory?: Directory }): StatsAnswer {
    const { total, groups } = this.aggregate(q.from, q.to, q.by, q.directory);
    const line = (key: string, a: Acc): StatsLine => ({
      key,
      ...this.names(key, q.by, q.directory),
      count: a.n,
      share: total.n === 0 ? 0 : a.n / total.n,
      answered: a.answered,
      refused: a.refused,
      providerFailed: a.providerFailed,
      exchangeFailed: a.exchangeFailed,
      successRate: a.n === 0 ? null : a.answered / a.n,
      errorRate: a.n === 0 ? null : (a.providerFailed + a.exchangeFailed) / a.n,
      p50Ms: percentileMs(a.buckets, 0.5),
      p95Ms: percentileMs(a.buckets, 0.95),
      p99Ms: percentileMs(a.buckets, 0.99),
      meanProviderMs: a.n === 0 ? null : a.prov / a.n / 1000,
    });
    const answer: StatsAnswer = {
      from: formatJalali(q.from),
      to: formatJalali(q.to),
      by: q.by,
      total: line('total', total),
      lines: [...groups].map(([k, a]) => line(k, a)),
    };
    // Months and years read in time order; everything else largest first.
    answer.lines.sort(q.by === 'month' || q.by === 'year' ? (a, b) => a.key.localeCompare(b.key) : (a, b) => b.count - a.count || a.key.localeCompare(b.key));
    if (q.compare !== false && q.by !== 'month' && q.by !== 'year') {
      const p = previousPeriod(q.from, q.to);
      const before = this.aggregate(p.from, p.to, q.by, q.directory);
      const growth = (now: number, then: number) => (then === 0 ? null : now / then - 1);
      for (const l of answer.lines) {
        l.previousCount = before.groups.get(l.key)?.n ?? 0;
        l.growth = growth(l.count, l.previousCount);
      }
      answer.total.previousCount = before.total.n;
      answer.total.growth = growth(total.n, before.total.n);
      answer.previous = { from: formatJalali(p.from), to: formatJalali(p.to), count: before.total.n };
    }
    return answer;
  }

  private names(key: string, by: StatsBy, dir?: Directory): Pick<StatsLine, 'name' | 'nameFa'> {
    if (by === 'province') {
      const p = provinceByCode(key);
      return p ? { name: p.nameEn, nameFa: p.nameFa } : {};
    }
    if (!dir || (by !== 'provider' && by !== 'consumer' && by !== 'service') || key === '') return {};
    const m = dir.memberName(memberOf(key));
    return m ? { name: m.name, nameFa: m.nameFa } : {};
  }
}
