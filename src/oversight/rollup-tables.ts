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

/** The counters of a period row, in column order after (period, key_id). */
export const COUNTER_COLUMNS = ['n', 'duration_us', 'provider_us', 'request_bytes', 'response_bytes', ...BUCKET_COLUMNS];

export function createRollupTables(db: Database.Database): void {
  db.exec(`
    create table if not exists rollup_keys (
      id integer primary key,
      client text not null,
      service text not null,
      endpoint text not null,
      status integer not null,
      error_type text not null,
      unique (client, service, endpoint, status, error_type)
    );
    ${GRAINS.map((g) => `
    create table if not exists ${rollupTable(g)} (
      period text not null,
      key_id integer not null,
      ${COUNTER_COLUMNS.map((c) => `${c} integer not null default 0`).join(',\n      ')},
      primary key (period, key_id)
    ) without rowid;`).join('\n')}
  `);
}
