// Where statistics are read: the records database of a data directory (the rollups live beside the
// records), and the registry for names. Used by the admin API and by `tabadol stats`.
import type Database from 'better-sqlite3';
import { openRecordStore, recordsFile } from '../records/record-store.ts';
import type { Registry } from '../registry/registry.ts';
import { StatsReader, type Directory } from './stats.ts';

export interface StatsSource {
  reader: StatsReader;
  db: Database.Database;
  close(): void;
}

/** @param nodeId this node: the key of its own rows in statistics by node. */
export function openStatsSource(dataDir: string, nodeId?: string): StatsSource {
  // A connection of its own: reads run in WAL mode beside the writer thread and never block it.
  const db = openRecordStore(recordsFile(dataDir), 'normal');
  return { reader: new StatsReader(db, { nodeId }), db, close: () => db.close() };
}

/** Names of members as the registry holds them now. */
export async function registryDirectory(registry: Registry): Promise<Directory> {
  const members = new Map((await registry.listMembers()).map((m) => [m.id, { name: m.name, nameFa: m.name_fa }]));
  const provinces = new Map((await registry.listSubsystems()).map((s) => [s.id, s.province ?? 'national']));
  return {
    memberName: (id) => members.get(id),
    provinceOf: (id) => provinces.get(id),
  };
}
