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
import { createRemoteRollupTables, remoteRollupTable } from './remote-rollups.ts';

export const STATS_BY = ['provider', 'consumer', 'service', 'province', 'day', 'month', 'year', 'node'] as const;
/** Groupings that are periods: their lines read in time order and have no growth of their own. */
const BY_TIME: ReadonlySet<StatsBy> = new Set(['day', 'month', 'year']);
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

/** A question: a Jalali period, a grouping, growth against the period before unless `compare` is false. */
export interface StatsQuery { from: JalaliDate; to: JalaliDate; by: StatsBy; compare?: boolean | undefined; directory?: Directory | undefined }

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

interface KeyRow { client: string; service: string; status: number; error_type: string; period: string; node: string; n: number; dur: number; prov: number; [bucket: string]: number | string }

const providerOf = (service: string) => service.split('/').slice(0, 4).join('/');
const memberOf = (subsystemOrService: string) => subsystemOrService.split('/').slice(0, 3).join('/');

export class StatsReader {
  private readonly statements = new Map<string, Database.Statement>();

  /** @param o.nodeId this node, the key of its own rows when grouped by node; @param o.readonly a
   * read-only connection, on which the tables already exist (made by the records' writer). */
  constructor(private readonly db: Database.Database, private readonly o: { nodeId?: string | undefined; readonly?: boolean } = {}) {
    if (o.readonly) return;
    createRollupTables(db);
    createRemoteRollupTables(db);
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
        const client = by === 'consumer' || by === 'province' ? 'client' : '';
        const service = by === 'provider' || by === 'service' ? 'service' : '';
        const node = by === 'node' ? 'node' : '';
        const period = perMonth ? 'substr(period, 1, 7)' : by === 'day' ? 'period' : '';
        // This node's rows and the rows its provinces' rollups brought (remote-rollups.ts): the
        // whole country on a central node, this node alone elsewhere (its remote tables are empty).
        const arm = (table: string, keys: string, nodeColumn: string) => `
          select ${nodeColumn} as node, r.period, k.client, k.service, k.status, k.error_type, r.n, r.duration_us, r.provider_us, ${BUCKET_COLUMNS.map((c) => `r.${c}`).join(', ')}
          from ${table} r join ${keys} k on k.id = r.key_id where r.period between :from and :to`;
        stmt = this.db.prepare(`
          select ${client || "'' as client"}, ${service || "'' as service"}, status, error_type, ${period || "''"} as period, ${node || "''"} as node,
            sum(n) as n, sum(duration_us) as dur, sum(provider_us) as prov, ${BUCKET_COLUMNS.map((c) => `sum(${c}) as ${c}`).join(', ')}
          from (${arm(rollupTable(grain), 'rollup_keys', ':self')} union all ${arm(remoteRollupTable(grain), 'remote_rollup_keys', 'r.node')})
          group by ${[client, service, 'status', 'error_type', period, node].filter(Boolean).join(', ')}`);
        this.statements.set(id, stmt);
      }
      for (const row of stmt.iterate({ from: range[0], to: range[1], self: this.o.nodeId ?? 'local' }) as IterableIterator<KeyRow>) out.push(row);
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
        case 'day': return r.period;
        case 'month': return r.period;
        case 'year': return r.period.slice(0, 4);
        case 'node': return r.node;
      }
    };
    const total = newAcc();
    const groups = new Map<string, Acc>();
    // Days come from day rows alone: a month row cannot say which of its days it counted.
    const plan = by === 'day' ? { months: [], days: [[formatJalali(from), formatJalali(to)] as [string, string]] } : planPeriod(from, to);
    for (const r of this.rows(plan, by)) {
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

  query(q: StatsQuery): StatsAnswer {
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
    answer.lines.sort(BY_TIME.has(q.by) ? (a, b) => a.key.localeCompare(b.key) : (a, b) => b.count - a.count || a.key.localeCompare(b.key));
    if (q.compare !== false && !BY_TIME.has(q.by)) {
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

  /** The months ('YYYY/MM') this node's own month rollups hold, oldest first (open data publishes them). */
  rollupMonths(): string[] {
    return this.prepared('months', `select distinct period from ${rollupTable('month')} order by period`).pluck().all() as string[];
  }

  /** The last successful pull of each node's rollups (ISO 8601), on a node that pulls them: a pull
   * stores every page with the time, even an empty one (remote-rollups.ts). */
  lastPulls(): Map<string, string> {
    const rows = this.prepared('pulls', 'select node, max(pulled_at) as at from remote_rollup_cursors group by node').all() as { node: string; at: string }[];
    return new Map(rows.map((r) => [r.node, r.at]));
  }

  private prepared(id: string, sql: string): Database.Statement {
    let stmt = this.statements.get(id);
    if (!stmt) this.statements.set(id, (stmt = this.db.prepare(sql)));
    return stmt;
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
