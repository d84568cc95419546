// The record writer thread: owns the records database connection and one chain.
// Messages in: { id, batch } where batch is the records' JSON texts joined by newlines (one string
// clones far cheaper than an array of rows), and { close: true }. Messages out: { id, ok, error? },
// { checkpointError } when a timed checkpoint failed, and { closed: true, error? }.
import { parentPort, workerData } from 'node:worker_threads';
import { openRecordStore, type Durability } from './record-store.ts';
import { ChainWriter } from './chain-writer.ts';
import { pruneSlice, type RetentionPolicy } from './retention.ts';

interface WriterData {
  file: string;
  durability: Durability;
  chainId: string;
  signingKeyPem: string;
  checkpointIntervalMs: number;
  rollups: boolean;
  retention: RetentionPolicy;
}

/** How often aged-out records and hours are looked for; a backlog is worked off slice by slice. */
const RETENTION_CHECK_MS = 3_600_000;

const data = workerData as WriterData;
const port = parentPort!;
const db = openRecordStore(data.file, data.durability);
const writer = new ChainWriter(db, {
  ...data,
  onCheckpointError: (e) => port.postMessage({ checkpointError: e.message }),
});

// Retention runs between batches on this thread: it holds the write lock for one slice at a time.
let retentionTimer: NodeJS.Timeout | undefined;
function retain(): void {
  let more = false;
  try {
    more = pruneSlice(db, data.retention, Date.now());
  } catch (e) {
    port.postMessage({ retentionError: (e as Error).message });
  }
  retentionTimer = setTimeout(retain, more ? 0 : RETENTION_CHECK_MS);
}
retentionTimer = setTimeout(retain, 0);

port.on('message', (msg: { id: number; batch: string } | { close: true }) => {
  if ('close' in msg) {
    writer.stop();
    clearTimeout(retentionTimer);
    let error: string | undefined;
    try {
      writer.checkpointNow();
    } catch (e) {
      error = (e as Error).message;
    }
    db.close();
    port.postMessage({ closed: true, error });
    return;
  }
  try {
    writer.append(msg.batch.split('\n'));
    port.postMessage({ id: msg.id, ok: true });
  } catch (e) {
    port.postMessage({ id: msg.id, ok: false, error: (e as Error).message });
  }
});
port.postMessage({ ready: true, ...writer.position });
