// Raw records and hourly rollups age out; the statistics do not change, because days and months are
// counted as the records are written, not from the records that remain (DESIGN section 8).
//
// Records are removed from the start of a chain up to a signed checkpoint, never to an arbitrary
// record: the checkpoint stays, and `pruned` notes where the chain now starts, so `audit verify`
// checks the remaining records from a head the node signed, and removing any further record is still
// caught. Work is done in slices of at most SLICE records per transaction so the writer's next
// batch never waits long behind a large deletion.
import type Database from 'better-sqlite3';
import { rollupTable } from '../oversight/rollup-tables.ts';
import { dayOfHour, hourLabel } from '../oversight/periods.ts';

export interface RetentionPolicy {
  /** Days raw records are kept; null keeps them forever. */
  recordDays: number | null;
  /** Days hourly rollups are kept (day and month rollups are kept for good). */
  hourlyDays: number;
}

const DAY = 86_400_000;
const SLICE = 20_000;

export function createPrunedTable(db: Database.Database): void {
  db.exec(`create table if not exists pruned (
    chain_id text primary key,
    up_to_seq integer not null,
    head_hash text not null,
    at text not null
  )`);
}

/** One slice of work; returns true while more is due, so the caller runs it again soon. */
export function pruneSlice(db: Database.Database, policy: RetentionPolicy, now: number): boolean {
  createPrunedTable(db);
  let more = false;
  db.transaction(() => {
    if (policy.recordDays !== null) more = pruneRecords(db, new Date(now - policy.recordDays * DAY).toISOString()) || more;
    more = pruneHours(db, now - policy.hourlyDays * DAY) || more;
  }).immediate();
  return more;
}

function pruneRecords(db: Database.Database, cutoff: string): boolean {
  let more = false;
  const chains = db.prepare('select distinct chain_id from checkpoints').pluck().all() as string[];
  for (const chain of chains) {
    const done = (db.prepare('select up_to_seq from pruned where chain_id = ?').pluck().get(chain) as number | undefined) ?? 0;
    // The newest record old enough to go; everything before it goes too.
    const target = db.prepare('select max(seq) from records where chain_id = ? and seq > ? and time_in < ?').pluck().get(chain, done, cutoff) as number | null;
    if (target === null) continue;
    const limit = Math.min(target, done + SLICE);
    const anchor = (db.prepare('select max(seq) from checkpoints where chain_id = ? and seq > ? and seq <= ?').pluck().get(chain, done, limit) as number | null)
      ?? (db.prepare('select min(seq) from checkpoints where chain_id = ? and seq > ? and seq <= ?').pluck().get(chain, done, target) as number | null);
    if (anchor === null) continue; // not yet signed that far: the next checkpoint will allow it
    const head = db.prepare('select head_hash from checkpoints where chain_id = ? and seq = ?').pluck().get(chain, anchor) as string;
    db.prepare('delete from records where chain_id = ? and seq <= ?').run(chain, anchor);
    db.prepare('delete from checkpoints where chain_id = ? and seq < ?').run(chain, anchor);
    db.prepare(`insert into pruned (chain_id, up_to_seq, head_hash, at) values (?, ?, ?, ?)
      on conflict (chain_id) do update set up_to_seq = excluded.up_to_seq, head_hash = excluded.head_hash, at = excluded.at`)
      .run(chain, anchor, head, new Date().toISOString());
    if (anchor < target) more = true;
  }
  return more;
}

/** Hour rows of Tehran days before the cutoff's, a few days per slice (labels sort as text). */
function pruneHours(db: Database.Database, cutoffMs: number): boolean {
  const table = rollupTable('hour');
  const before = dayOfHour(hourLabel(cutoffMs));
  const last = db.prepare(`select distinct period from ${table} where period < ? order by period limit 1 offset ${7 * 24}`).pluck().get(before) as string | undefined;
  db.prepare(`delete from ${table} where period < ?`).run(last ?? before);
  return last !== undefined;
}
