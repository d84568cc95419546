// The statistics reader's own thread: a read-only connection to records.db and a LocalRollups over
// it (rollup-reader.ts). better-sqlite3 is synchronous, so a year of rollups read here holds up this
// thread alone, never the exchanges on the node's event loop (README "Oversight"). It answers one
// question at a time, in the order asked: {id, method, args} → {id, result} or {id, error}.
// Read-only: the connection is opened with `readonly: true`; the tables are made by the records'
// writer and by the control plane before this thread starts.
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { isTabadolError, type ErrorSpec } from '../errors/catalogue.ts';
import { MapDirectory, type DirectoryData } from './map-directory.ts';
import { LocalRollups, type RollupReader } from './rollup-reader.ts';
import type { StatsQuery } from './stats.ts';

export interface RollupThreadData {
  recordsFile: string;
  nodeId?: string | undefined;
}

export type RollupMethod = keyof RollupReader;

export interface RollupRequest {
  id: number;
  method: RollupMethod;
  args: unknown[];
}

/** A coded error crosses as its catalogue type and detail; anything else as a reason for the node's log. */
export type RollupReply =
  | { id: number; result: unknown }
  | { id: number; error: { spec: ErrorSpec; detail: string | undefined } | { reason: string } };

/** A statistics question as it crosses: its directory as data (a structured clone carries no functions). */
export type StatsQueryData = Omit<StatsQuery, 'directory'> & { directory?: DirectoryData | undefined };

const data = workerData as RollupThreadData;
let reader: LocalRollups | undefined;
let db: Database.Database | undefined;

/** Opened on first use, and again after a failure that was not a coded refusal. */
function open(): LocalRollups {
  if (!reader) {
    db = new Database(data.recordsFile, { readonly: true, fileMustExist: true });
    // Beside the writer in WAL mode a reader is not blocked; the wait covers a checkpoint's truncation.
    db.pragma('busy_timeout = 10000');
    reader = new LocalRollups(db, { nodeId: data.nodeId, readonly: true });
  }
  return reader;
}

function answer(r: LocalRollups, m: RollupRequest): unknown {
  if (m.method === 'query') {
    const q = m.args[0] as StatsQueryData;
    return r.query({ ...q, directory: q.directory ? new MapDirectory(q.directory) : undefined });
  }
  const method = r[m.method] as (...args: unknown[]) => unknown;
  return method.apply(r, m.args);
}

parentPort!.on('message', (m: RollupRequest) => {
  let reply: RollupReply;
  try {
    reply = { id: m.id, result: answer(open(), m) };
  } catch (e) {
    if (!isTabadolError(e)) {
      db?.close();
      db = reader = undefined;
    }
    reply = { id: m.id, error: isTabadolError(e) ? { spec: e.spec, detail: e.detail } : { reason: (e as Error).message } };
  }
  parentPort!.postMessage(reply);
});
