// The registry store: SQLite (embedded default) through Kysely, so that the same queries can later
// run on PostgreSQL. The request path never touches this store: it reads the compiled snapshot.
import path from 'node:path';
import { mkdirSync } from 'node:fs';
import Database from 'better-sqlite3';
import { Kysely, SqliteDialect } from 'kysely';
import type { RegistryTables } from './schema.ts';
import { migrate } from './migrations.ts';

export type RegistryDb = Kysely<RegistryTables>;

export interface OpenedStore {
  db: RegistryDb;
  close(): Promise<void>;
}

/** Opens (and migrates) the registry database in a data directory; ':memory:' for tests. */
export async function openRegistryStore(dataDir: string | ':memory:'): Promise<OpenedStore> {
  let file = ':memory:';
  if (dataDir !== ':memory:') {
    mkdirSync(dataDir, { recursive: true });
    file = path.join(dataDir, 'registry.db');
  }
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const db = new Kysely<RegistryTables>({ dialect: new SqliteDialect({ database: sqlite }) });
  await migrate(db);
  return { db, close: () => db.destroy() };
}
