// Polls the registry store for a newer snapshot, off the request path, so a change made by any
// process (admin API, CLI) reaches this data plane within one interval.
import type { Logger } from 'pino';
import type { RegistryDb } from '../store/database.ts';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import { latestSnapshot } from './publish.ts';

export function watchSnapshots(db: RegistryDb, holder: SnapshotHolder, intervalMs: number, log: Logger): { stop(): void; poll(): Promise<void> } {
  let running = false;
  const poll = async () => {
    if (running) return;
    running = true;
    try {
      const signed = await latestSnapshot(db, holder.version);
      if (signed && holder.load(signed)) log.info({ version: signed.version }, 'snapshot loaded');
    } catch (e) {
      // Keep serving the snapshot we have until it expires; the error is for the operator.
      log.error({ err: e }, 'snapshot load failed');
    } finally {
      running = false;
    }
  };
  // poll catches and logs its own failures, so nothing is left to await here.
  const timer = setInterval(() => { void poll(); }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer), poll };
}
