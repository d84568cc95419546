// Where statistics are read: the records database of a data directory (the rollups live beside the
// records), and the registry for names. Used by the CLI (`tabadol stats`, `report`, compliance), which
// reads at once in its own process; the node reads through its reader thread (rollup-host.ts), and
// opens this connection for the tables it makes and the breaches compliance keeps.
import type Database from 'better-sqlite3';
import { openRecordStore, recordsFile } from '../records/record-store.ts';
import type { Registry } from '../registry/registry.ts';
import type { StatsReader } from './stats.ts';
import { LocalRollups } from './rollup-reader.ts';
import { MapDirectory } from './map-directory.ts';

export interface StatsSource {
  reader: StatsReader;
  /** Statistics and the other rollup reads (compliance, open data), at once on this connection. */
  rollups: LocalRollups;
  db: Database.Database;
  close(): void;
}

/** @param nodeId this node: the key of its own rows in statistics by node. */
export function openStatsSource(dataDir: string, nodeId?: string): StatsSource {
  // A connection of its own: reads run in WAL mode beside the writer thread and never block it.
  const db = openRecordStore(recordsFile(dataDir), 'normal');
  const rollups = new LocalRollups(db, { nodeId });
  return { reader: rollups.stats, rollups, db, close: () => db.close() };
}

/** Names of members as the registry holds them now. */
export async function registryDirectory(registry: Registry): Promise<MapDirectory> {
  const members = new Map((await registry.listMembers()).map((m) => [m.id, { name: m.name, nameFa: m.name_fa }]));
  const provinces = new Map((await registry.listSubsystems()).map((s) => [s.id, s.province ?? 'national']));
  return new MapDirectory({ members, provinces });
}
