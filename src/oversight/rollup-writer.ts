// Adds the records of one committed batch to the rollups, inside the batch's own transaction (the
// chain writer calls it), so the counts are exact and a crash loses neither records nor counts
// without the other. A batch is first summed in memory per (hour, key): a busy batch of hundreds of
// records touches a handful of rows.
import type Database from 'better-sqlite3';
import { RECORD_FIELDS, type RecordRow } from '../records/record.ts';
import { bucketOf } from './latency-buckets.ts';
import { dayOfHour, hourLabel, monthOfDay } from './periods.ts';
import { COUNTER_COLUMNS, createRollupTables, GRAINS, PULLED_GRAINS, rollupTable } from './rollup-tables.ts';

const at = (f: (typeof RECORD_FIELDS)[number]) => RECORD_FIELDS.indexOf(f);
const I = {
  client: at('client'), service: at('service'), endpoint: at('endpoint'), timeIn: at('timeIn'), status: at('status'),
  errorType: at('errorType'), durationUs: at('durationUs'), providerUs: at('providerUs'),
  requestSize: at('requestSize'), responseSize: at('responseSize'),
};

interface Sum { hour: string; keyText: string; key: [string, string, string, number, string]; counters: number[] }

export class RollupWriter {
  private readonly keyIds = new Map<string, number>();
  /** Keys first written by the current batch: forgotten if its transaction rolls back. */
  private fresh: string[] = [];
  private readonly insertKey: Database.Statement;
  private readonly findKey: Database.Statement;
  private readonly upserts: { grain: (typeof GRAINS)[number]; stmt: Database.Statement }[];
  private readonly nextChange: Database.Statement;

  constructor(db: Database.Database) {
    createRollupTables(db);
    this.insertKey = db.prepare('insert into rollup_keys (client, service, endpoint, status, error_type) values (?, ?, ?, ?, ?) on conflict do nothing');
    this.findKey = db.prepare('select id from rollup_keys where client = ? and service = ? and endpoint = ? and status = ? and error_type = ?').pluck();
    const cols = ['period', 'key_id', ...COUNTER_COLUMNS];
    this.upserts = GRAINS.map((grain) => {
      // Day and month rows carry the batch's change counter, for the centre's pulls (rollup-tables.ts).
      const changed = (PULLED_GRAINS as readonly string[]).includes(grain);
      const all = changed ? [...cols, 'changed'] : cols;
      return {
        grain,
        stmt: db.prepare(`insert into ${rollupTable(grain)} (${all.join(',')}) values (${all.map(() => '?').join(',')})
          on conflict (period, key_id) do update set ${COUNTER_COLUMNS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}${changed ? ', changed = excluded.changed' : ''}`),
      };
    });
    // Every batch touches a day row, so the newest day row's counter is the newest of all. Read
    // inside the batch's transaction, after its records took the write lock: batches of several
    // writers (cluster workers) get increasing counters in commit order, so a pull that saw counter
    // c has seen every row changed up to c. One index lookup per batch.
    this.nextChange = db.prepare(`select coalesce(max(changed), 0) + 1 from ${rollupTable('day')}`).pluck();
  }

  /** Counts the rows; call inside the transaction that inserts them. */
  add(rows: readonly RecordRow[]): void {
    this.fresh = [];
    const sums = new Map<string, Sum>();
    for (const r of rows) {
      const key: Sum['key'] = [
        (r[I.client] as string | null) ?? '', (r[I.service] as string | null) ?? '', (r[I.endpoint] as string | null) ?? '',
        r[I.status] as number, (r[I.errorType] as string | null) ?? '',
      ];
      const keyText = key.join('\n');
      const hour = hourLabel(Date.parse(r[I.timeIn] as string));
      const id = `${hour}\n${keyText}`;
      let s = sums.get(id);
      if (!s) {
        s = { hour, keyText, key, counters: new Array<number>(COUNTER_COLUMNS.length).fill(0) };
        sums.set(id, s);
      }
      const c = s.counters;
      const duration = r[I.durationUs] as number;
      c[0]! += 1;
      c[1]! += duration;
      c[2]! += (r[I.providerUs] as number | null) ?? 0;
      c[3]! += r[I.requestSize] as number;
      c[4]! += r[I.responseSize] as number;
      c[5 + bucketOf(duration)]! += 1;
    }
    if (sums.size === 0) return;
    const changed = this.nextChange.get() as number;
    for (const s of sums.values()) {
      const keyId = this.keyId(s);
      const day = dayOfHour(s.hour);
      for (const u of this.upserts) {
        if (u.grain === 'hour') u.stmt.run(s.hour, keyId, ...s.counters);
        else u.stmt.run(u.grain === 'day' ? day : monthOfDay(day), keyId, ...s.counters, changed);
      }
    }
  }

  // Keys never change once written, so they are cached for the writer's life; another process writing
  // the same database may have added the key first, hence insert-or-nothing, then read.
  private keyId(s: Sum): number {
    let id = this.keyIds.get(s.keyText);
    if (id === undefined) {
      this.insertKey.run(...s.key);
      id = this.findKey.get(...s.key) as number;
      this.keyIds.set(s.keyText, id);
      this.fresh.push(s.keyText);
    }
    return id;
  }

  /** The batch's transaction rolled back: the keys it wrote are gone with it. */
  rolledBack(): void {
    for (const k of this.fresh) this.keyIds.delete(k);
    this.fresh = [];
  }
}

