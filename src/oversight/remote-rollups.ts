// The rollups of other nodes, as the central node pulled them (DESIGN section 8: the centre gathers
// rollups, not raw records), kept in its records.db beside its own so that one query answers for the
// whole country (stats.ts). Tables of their own rather than a node column in the writer's tables:
// the record writer's rows and key ids stay its own, and a pull never contends for its key cache.
//   remote_rollup_keys       what is counted, as text, shared by every node
//   remote_rollup_day/month  a node's totals per (period, key), replaced whole at each pull
//   remote_rollup_cursors    where the next pull of a node and grain starts (rollup-changes.ts)
import type Database from 'better-sqlite3';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { COUNTER_COLUMNS, keyTableDdl, PULLED_GRAINS, type PulledGrain } from './rollup-tables.ts';
import { ROLLUPS_FORMAT, type RollupPage } from './rollup-changes.ts';

export const remoteRollupTable = (grain: PulledGrain) => `remote_rollup_${grain}`;

export function createRemoteRollupTables(db: Database.Database): void {
  db.exec(`
    ${keyTableDdl('remote_rollup_keys')}
    ${PULLED_GRAINS.map((g) => `
    create table if not exists ${remoteRollupTable(g)} (
      period text not null,
      node text not null,
      key_id integer not null,
      ${COUNTER_COLUMNS.map((c) => `${c} integer not null default 0`).join(',\n      ')},
      primary key (period, node, key_id)
    ) without rowid;`).join('\n')}
    create table if not exists remote_rollup_cursors (
      node text not null,
      grain text not null,
      cursor text not null,
      pulled_at text not null,
      primary key (node, grain)
    );
  `);
}

const PERIOD: Record<PulledGrain, RegExp> = { day: /^\d{4}\/\d{2}\/\d{2}$/, month: /^\d{4}\/\d{2}$/ };
const text = (v: unknown): v is string => typeof v === 'string' && v.length <= 255;
const count = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;

/** Checks a page as another node sent it; anything off is refused whole, naming what. */
export function checkPage(page: unknown, node: string, grain: PulledGrain): RollupPage {
  const p = page as Partial<RollupPage> | null;
  const bad = (what: string) => new TabadolError(Errors.NodeBadAnswer, `node ${node}'s rollups: ${what}`);
  if (!p || p.format !== ROLLUPS_FORMAT || p.grain !== grain || p.node !== node) throw bad(`not a ${ROLLUPS_FORMAT} page of grain ${grain} from this node`);
  if (!Array.isArray(p.counters) || p.counters.join(',') !== COUNTER_COLUMNS.join(',')) throw bad('counters differ from this node\'s (another version?)');
  if (!Array.isArray(p.rows) || typeof p.next !== 'string' || p.next.length > 64 || typeof p.more !== 'boolean') throw bad('rows, next or more missing');
  p.rows.forEach((r, i) => {
    const k = r?.key;
    if (!r || typeof r.period !== 'string' || !PERIOD[grain].test(r.period) || !Array.isArray(k) || k.length !== 5
      || !text(k[0]) || !text(k[1]) || !text(k[2]) || !Number.isInteger(k[3]) || !text(k[4])
      || !Array.isArray(r.counters) || r.counters.length !== COUNTER_COLUMNS.length || !r.counters.every(count)) {
      throw bad(`row ${i + 1} is malformed`);
    }
  });
  return p as RollupPage;
}

export class RemoteRollups {
  private readonly keyIds = new Map<string, number>();
  private readonly insertKey: Database.Statement;
  private readonly findKey: Database.Statement;
  private readonly upserts: Map<PulledGrain, Database.Statement>;
  private readonly getCursor: Database.Statement;
  private readonly putCursor: Database.Statement;
  private readonly storeTx: (node: string, page: RollupPage, at: Date) => void;

  constructor(db: Database.Database) {
    createRemoteRollupTables(db);
    this.insertKey = db.prepare('insert into remote_rollup_keys (client, service, endpoint, status, error_type) values (?, ?, ?, ?, ?) on conflict do nothing');
    this.findKey = db.prepare('select id from remote_rollup_keys where client = ? and service = ? and endpoint = ? and status = ? and error_type = ?').pluck();
    const cols = ['period', 'node', 'key_id', ...COUNTER_COLUMNS];
    // The province's totals replace the centre's copy: a row pulled again is not added twice.
    this.upserts = new Map(PULLED_GRAINS.map((g) => [g, db.prepare(`insert into ${remoteRollupTable(g)} (${cols.join(',')}) values (${cols.map(() => '?').join(',')})
      on conflict (period, node, key_id) do update set ${COUNTER_COLUMNS.map((c) => `${c} = excluded.${c}`).join(', ')}`)]));
    this.getCursor = db.prepare('select cursor from remote_rollup_cursors where node = ? and grain = ?').pluck();
    this.putCursor = db.prepare(`insert into remote_rollup_cursors (node, grain, cursor, pulled_at) values (?, ?, ?, ?)
      on conflict (node, grain) do update set cursor = excluded.cursor, pulled_at = excluded.pulled_at`);
    // A page and the cursor after it commit together: a crash between pulls re-pulls, never skips.
    this.storeTx = db.transaction((node: string, page: RollupPage, at: Date) => {
      const upsert = this.upserts.get(page.grain)!;
      for (const r of page.rows) upsert.run(r.period, node, this.keyId(r.key), ...r.counters);
      this.putCursor.run(node, page.grain, page.next, at.toISOString());
    });
  }

  /** Stores a checked page of `node` and the cursor after it. */
  store(node: string, page: RollupPage, at: Date): void {
    try {
      this.storeTx(node, page, at);
    } catch (e) {
      // Keys the rolled-back transaction inserted are gone with it.
      this.keyIds.clear();
      throw e;
    }
  }

  cursor(node: string, grain: PulledGrain): string {
    return (this.getCursor.get(node, grain) as string | undefined) ?? '';
  }

  private keyId(key: RollupPage['rows'][number]['key']): number {
    const text = key.join('\n');
    let id = this.keyIds.get(text);
    if (id === undefined) {
      this.insertKey.run(...key);
      id = this.findKey.get(...key) as number;
      this.keyIds.set(text, id);
    }
    return id;
  }
}
