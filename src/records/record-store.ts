// The SQLite store of exchange records and checkpoints. Only the record writer (one per chain)
// writes to it; the verifier and the citizen tracker read it.
import Database from 'better-sqlite3';
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import { RECORD_FIELDS } from './record.ts';

const column = (f: string) => f.replace(/[A-Z]/g, (c) => '_' + c.toLowerCase());
export const RECORD_COLUMNS = RECORD_FIELDS.map(column);
const columnType = (c: string) => (/size|_us$|status/.test(c) ? 'integer' : 'text');

/** The record columns a store's table has: one made before a field was appended lacks its column
 * until a writer of this version opens it (audit reads such a store as it is). */
export function recordColumnsIn(db: Database.Database): Set<string> {
  return new Set((db.prepare('pragma table_info(records)').all() as { name: string }[]).map((r) => r.name));
}

/** Adds the columns of fields appended to RECORD_FIELDS since the store was made; its older records
 * hold null there and hash as they did (record.ts, canonicalRow). */
function addAppendedColumns(db: Database.Database): void {
  const have = recordColumnsIn(db);
  for (const c of RECORD_COLUMNS) {
    if (have.has(c)) continue;
    try {
      db.exec(`alter table records add column ${c} ${columnType(c)}`);
    } catch (e) {
      // Another process of the node (a worker, the node port's writer) added it first.
      if (!(e instanceof Database.SqliteError && /duplicate column/i.test(e.message))) throw e;
    }
  }
}

export function recordsFile(dataDir: string): string {
  return path.join(dataDir, 'records.db');
}

export type Durability = 'full' | 'normal';

export function openRecordStore(file: string, durability: Durability = 'full'): Database.Database {
  if (file !== ':memory:') mkdirSync(path.dirname(file), { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  // FULL: each group commit is fsynced before any of its answers leave (survives power loss).
  // NORMAL: survives a process crash, may lose the last commits on power loss.
  db.pragma(`synchronous = ${durability === 'full' ? 'FULL' : 'NORMAL'}`);
  db.pragma('busy_timeout = 10000');
  db.exec(`
    create table if not exists records (
      chain_id text not null,
      seq integer not null,
      ${RECORD_COLUMNS.map((c) => `${c} ${columnType(c)}`).join(',\n      ')},
      prev_hash text not null,
      hash text not null,
      primary key (chain_id, seq)
    ) without rowid;
    -- The data tracker pages a subject's records newest first: a page costs about its size (this
    -- index replaces the one on subject_hash alone).
    drop index if exists records_subject;
    create index if not exists records_subject_time on records (subject_hash, time_in desc, chain_id desc, seq desc) where subject_hash is not null;
    create index if not exists records_time on records (time_in);
    create table if not exists checkpoints (
      chain_id text not null,
      seq integer not null,
      head_hash text not null,
      at text not null,
      signature text not null,
      public_key text not null,
      primary key (chain_id, seq)
    );
  `);
  addAppendedColumns(db);
  return db;
}
