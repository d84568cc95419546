// The day and month rollup rows of this node changed since a cursor, as its central node pulls them
// (`GET /node/v1/rollups`, src/node/rollup-routes.ts; format tabadol-rollups/1). Rows only: counts,
// sums and latency buckets per (period, caller, service, endpoint template, status, error type), the
// key given as text, never a local id and never a raw record field (no subject hash, user, X-Road-Id).
//
// The cursor is (changed, period, key id) of the last row handed out: `changed` is the writer's
// change counter (rollup-tables.ts), increasing in commit order, so a row counted again after a pull
// comes back with a higher counter and is pulled again, with its whole new totals (the puller
// replaces, never adds: no double counting). The period and key id break ties, so a page may end in
// the middle of one counter's rows (the thousands of rows an old file has at counter 0).
import type Database from 'better-sqlite3';
import { Errors, fail } from '../errors/catalogue.ts';
import { COUNTER_COLUMNS, createRollupTables, rollupTable, type PulledGrain } from './rollup-tables.ts';

export const ROLLUPS_FORMAT = 'tabadol-rollups/1';
export const MAX_PAGE_ROWS = 2000;

/** [client, service, endpoint, status, errorType] */
export type RollupKey = [string, string, string, number, string];

export interface RollupRow { period: string; key: RollupKey; counters: number[] }

export interface RollupPage {
  format: typeof ROLLUPS_FORMAT;
  node: string;
  grain: PulledGrain;
  /** Names the counters of every row, in order; the puller refuses a page whose list is not its own. */
  counters: string[];
  rows: RollupRow[];
  /** The cursor to ask with next; the one asked with when no row changed. */
  next: string;
  /** More rows changed than one page holds: ask again at once with `next`. */
  more: boolean;
}

interface Cursor { changed: number; period: string; keyId: number }

const CURSOR = /^(\d{1,15})(?:,(\d{4}\/\d{2}(?:\/\d{2})?),(\d{1,15}))?$/;

/** '' (from the start), 'N' (after every row with counter ≤ N) or 'N,period,keyId'. */
export function parseCursor(text: string | undefined): Cursor {
  if (text === undefined || text === '') return { changed: -1, period: '', keyId: 0 };
  const m = CURSOR.exec(text);
  if (!m) fail(Errors.InvalidInput, 'since must be a cursor from an earlier answer');
  // A bare counter: after all of its rows ('~' sorts after every period label).
  return m[2] === undefined ? { changed: Number(m[1]), period: '~', keyId: 0 } : { changed: Number(m[1]), period: m[2], keyId: Number(m[3]) };
}

const formatCursor = (c: Cursor) => (c.changed < 0 ? '' : c.period === '~' ? String(c.changed) : `${c.changed},${c.period},${c.keyId}`);

export class RollupChanges {
  private readonly pages = new Map<PulledGrain, Database.Statement>();

  constructor(private readonly db: Database.Database, private readonly nodeId: string) {
    createRollupTables(db);
  }

  page(grain: PulledGrain, since: string | undefined, limit = MAX_PAGE_ROWS): RollupPage {
    const from = parseCursor(since);
    let stmt = this.pages.get(grain);
    if (!stmt) {
      // Row values compare left to right (SQLite "Row Values"); the index on `changed` holds the
      // primary key after it, so the page is one index range in this very order.
      stmt = this.db.prepare(`
        select r.changed, r.period, r.key_id, k.client, k.service, k.endpoint, k.status, k.error_type, ${COUNTER_COLUMNS.map((c) => `r.${c}`).join(', ')}
        from ${rollupTable(grain)} r join rollup_keys k on k.id = r.key_id
        where (r.changed, r.period, r.key_id) > (?, ?, ?)
        order by r.changed, r.period, r.key_id limit ?`).raw();
      this.pages.set(grain, stmt);
    }
    const got = stmt.all(from.changed, from.period, from.keyId, limit) as unknown[][];
    const rows = got.map((r): RollupRow => ({
      period: r[1] as string,
      key: [r[3] as string, r[4] as string, r[5] as string, r[6] as number, r[7] as string],
      counters: r.slice(8) as number[],
    }));
    const last = got.at(-1);
    const next = last ? { changed: last[0] as number, period: last[1] as string, keyId: last[2] as number } : from;
    return { format: ROLLUPS_FORMAT, node: this.nodeId, grain, counters: [...COUNTER_COLUMNS], rows, next: formatCursor(next), more: got.length === limit };
  }
}
