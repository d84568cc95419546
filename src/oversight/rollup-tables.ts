// The rollup tables, kept in the records database beside the records they count (DESIGN section 8).
// A key row names what is counted (caller, service, endpoint template, status, error type) once;
// the period rows carry counts, sums and a latency histogram per key. The same key is counted at
// three grains, so a question reads the coarsest rows that cover its period: months for whole
// months, days for the rest, hours only for the recent past, which ages out first.
import type Database from 'better-sqlite3';
import { BUCKET_COLUMNS } from './latency-buckets.ts';

export const GRAINS = ['hour', 'day', 'month'] as const;
export type Grain = (typeof GRAINS)[number];

export const rollupTable = (grain: Grain) => `rollup_${grain}`;

/** The grains another node pulls (src/oversight/remote-rollups*.ts): each row carries `changed`, the
 * writer's change counter, so a puller asks for the rows changed since its last pull. */
export const PULLED_GRAINS = ['day', 'month'] as const;
export type PulledGrain = (typeof PULLED_GRAINS)[number];

/** The counters of a period row, in column order after (period, key_id). */
export const COUNTER_COLUMNS = ['n', 'duration_us', 'provider_us', 'request_bytes', 'response_bytes', ...BUCKET_COLUMNS];

/** A table of what is counted: one row per caller, service, endpoint, status and error type. */
export function keyTableDdl(name: string): string {
  return `
    create table if not exists ${name} (
      id integer primary key,
      client text not null,
      service text not null,
      endpoint text not null,
      status integer not null,
      error_type text not null,
      unique (client, service, endpoint, status, error_type)
    );`;
}

export function createRollupTables(db: Database.Database): void {
  db.exec(`
    ${keyTableDdl('rollup_keys')}
    ${GRAINS.map((g) => `
    create table if not exists ${rollupTable(g)} (
      period text not null,
      key_id integer not null,
      ${COUNTER_COLUMNS.map((c) => `${c} integer not null default 0`).join(',\n      ')},
      primary key (period, key_id)
    ) without rowid;`).join('\n')}
  `);
  addChangeCounter(db);
}

// `changed`: the change counter of the batch that last touched a day or month row (rollup-writer.ts),
// 0 for rows written before the column existed; the index answers "changed since" and the writer's
// "newest counter" without a scan. Added to a records.db of an earlier version in place: ALTER TABLE
// ADD COLUMN with a constant default rewrites no row (SQLite's ALTER TABLE, "ADD COLUMN").
function addChangeCounter(db: Database.Database): void {
  const missing = () => PULLED_GRAINS.filter((g) => !(db.prepare(`select name from pragma_table_info('${rollupTable(g)}') where name = 'changed'`).get()));
  if (missing().length === 0) return;
  // Immediate: two processes opening the same old file add the column once.
  db.transaction(() => {
    for (const g of missing()) {
      db.exec(`alter table ${rollupTable(g)} add column changed integer not null default 0`);
      db.exec(`create index if not exists ${rollupTable(g)}_changed on ${rollupTable(g)} (changed)`);
    }
  }).immediate();
}
