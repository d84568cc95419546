// The node's side of the data tracker: starts the tracker's thread (tracker-thread.ts), hands it
// the names of the registry snapshot the node runs on whenever a newer one is loaded, and keeps the
// tracker's service in the registry pointed at the loopback port the thread listens on.
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import type { Registry } from '../registry/registry.ts';
import type { RuntimeSnapshot } from '../dataplane/runtime-snapshot.ts';
import { directoryOf } from './directory.ts';
import { putTrackerService, TRACKER_HOST_NOTE } from './registration.ts';
import { TRACKER_CONTRACT } from './contract.ts';
import { trackerServiceId } from './tracker-id.ts';
import { routedChainId } from '../node/exchange-routes.ts';
import type { TrackerThreadData, TrackerThreadMessage } from './tracker-thread.ts';

/** Compiled, the thread is the JavaScript beside this module; from source a bootstrap registers
 * the TypeScript loader first (as the record writer's does). */
const TRACKER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./tracker-bootstrap.mjs', import.meta.url)
  : new URL('./tracker-thread.js', import.meta.url);

/** How often the loaded snapshot's version is looked at: a number compared, nothing more. */
const WATCH_MS = 250;
const CONTRACT_TEXT = JSON.stringify(TRACKER_CONTRACT);

export interface TrackerOptions {
  recordsFile: string;
  subjectKey: Buffer;
  nodeId: string;
  registry: Registry;
  /** The snapshot the node's data plane runs on. */
  snapshot: () => RuntimeSnapshot | undefined;
  log: Logger;
}

export interface RunningTracker {
  /** The base URL the tracker answers at, `http://127.0.0.1:PORT`. */
  readonly baseUrl: string;
  close(): Promise<void>;
}

function loopbackPort(url: string | undefined): number {
  if (!url) return 0;
  try {
    const u = new URL(url);
    return u.hostname === '127.0.0.1' && u.port ? Number(u.port) : 0;
  } catch {
    return 0;
  }
}

export async function startTracker(o: TrackerOptions): Promise<RunningTracker> {
  const serviceId = trackerServiceId(o.registry.instance);
  const registered = await o.registry.getService(serviceId).catch(() => undefined);
  const worker = new Worker(TRACKER_ENTRY, {
    workerData: {
      recordsFile: o.recordsFile,
      // records.db lives at the top of the data directory (recordsFile in record-store.ts), beside tls/.
      dataDir: path.dirname(o.recordsFile),
      nodeId: o.nodeId, routedChainId: routedChainId(o.nodeId),
      subjectKey: new Uint8Array(o.subjectKey), port: loopbackPort(registered?.base_url),
    } satisfies TrackerThreadData,
  });
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (m: TrackerThreadMessage) => {
      if ('ready' in m) resolve(m.ready);
      else if ('failed' in m) reject(new TabadolError(Errors.NodeStartFailed, `the data tracker could not listen (${m.failed})`));
      else if ('notSearched' in m) o.log.warn(m.notSearched, 'data tracker: a node could not be searched; the answer names it in incomplete');
      else o.log.error({ reason: m.problem }, 'data tracker: a page could not be answered');
    });
    worker.once('error', reject);
  });
  worker.on('error', (e) => o.log.error({ reason: e.message }, 'data tracker thread failed'));
  const baseUrl = `http://127.0.0.1:${port}`;

  let seen = 0;
  let repointing = false;
  const repointIfNeeded = async (snap: RuntimeSnapshot) => {
    const svc = snap.services.get(serviceId);
    // Only the node the tracker's subsystem is homed on answers for it.
    if (!svc || svc.def.node !== o.nodeId || repointing) return;
    const contractSame = JSON.stringify(svc.def.contract) === CONTRACT_TEXT;
    if (svc.def.baseUrl === baseUrl && contractSame) return;
    repointing = true;
    try {
      const stale = (await o.registry.listProviderHosts()).filter((h) => h.note === TRACKER_HOST_NOTE).map((h) => h.entry);
      await o.registry.batch((c) => putTrackerService(c, baseUrl, svc.def, stale), 'node');
    } finally {
      repointing = false;
    }
  };
  const watch = () => {
    const snap = o.snapshot();
    if (!snap || snap.version === seen) return;
    seen = snap.version;
    worker.postMessage({ directory: directoryOf(snap.doc, snap.version) });
    repointIfNeeded(snap).catch((e: unknown) => {
      o.log.error({ type: (e as TabadolError).type, reason: (e as Error).message }, 'data tracker: its service could not be pointed at its address');
    });
  };
  watch();
  const timer = setInterval(watch, WATCH_MS);
  timer.unref();

  return {
    baseUrl,
    async close() {
      clearInterval(timer);
      await worker.terminate();
    },
  };
}
