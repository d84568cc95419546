// A node on several cores: the primary process runs the control plane (registry, snapshot
// publisher, admin API, metrics of all workers together); each worker process runs a data plane on
// the shared data ports, with its own record chain `<node>/<worker>`. Node's cluster module hands
// new connections to the workers in turn; keep-alive connections stay with their worker. The
// primary also keeps the node's rate-limit buckets, so that a service's maximum rate holds for the
// node as a whole rather than per worker (see shared-rate-limits.ts).
import cluster, { type Worker } from 'node:cluster';
import { pino, type Logger } from 'pino';
import { AggregatorRegistry } from 'prom-client';
import type { NodeConfig } from './config.ts';
import { startPortal } from '../portal/server.ts';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { startControlPlane } from './control-plane.ts';
import { startDataPlane } from './data-plane.ts';
import { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import { watchSnapshots } from '../snapshot/watcher.ts';
import { loadOrCreateNodeKeys } from '../keys/node-keys.ts';
import { openRegistryStore } from '../store/database.ts';
import { LocalRateLimiter } from '../dataplane/rate-limiter.ts';
import { answerRateLimits } from './shared-rate-limits.ts';

interface WorkerReady { ready: true; ports: { tls: number | null; http: number | null } }

export interface RunningCluster {
  ports: { admin: number; tls: number | null; http: number | null; portal: number | null };
  workerPids(): number[];
  close(): Promise<void>;
}

export async function startClusterPrimary(config: NodeConfig, workers: number, log: Logger = pino({ level: config.logLevel })): Promise<RunningCluster> {
  const control = await startControlPlane(config, log);
  const snapshots = new SnapshotHolder(control.keys.verifyKey);
  const watcher = watchSnapshots(control.store.db, snapshots, config.snapshotPollMs, log);
  await watcher.poll();

  let closing = false;
  const live = new Map<number, Worker>();
  // Kept across worker restarts: a worker that dies does not hand its callers a fresh burst.
  const rateBuckets = new LocalRateLimiter(config.now);
  const fork = (index: number): Promise<WorkerReady> => {
    const worker = cluster.fork({ TABADOL_WORKER_INDEX: String(index) });
    live.set(index, worker);
    answerRateLimits(worker, rateBuckets);
    worker.on('exit', (code, signal) => {
      live.delete(index);
      if (closing) return;
      // A worker that dies is replaced; its chain continues where its records stopped.
      log.error({ worker: index, code, signal }, 'data-plane worker exited; starting another');
      setTimeout(() => { fork(index).catch((e) => log.error({ err: e }, 'worker restart failed')); }, 500).unref();
    });
    return new Promise((resolve, reject) => {
      worker.on('message', (m: WorkerReady) => { if (m.ready) resolve(m); });
      worker.once('exit', () => reject(new TabadolError(Errors.NodeStartFailed, `data-plane worker ${index} exited before it was ready`)));
    });
  };
  const ready = await Promise.all(Array.from({ length: workers }, (_, i) => fork(i)));

  const aggregator = new AggregatorRegistry();
  const admin = await control.listenAdmin({
    snapshots,
    metricsText: async () => ({ contentType: aggregator.contentType, text: await aggregator.clusterMetrics() }),
    afterChange: async () => {
      await watcher.poll();
      for (const w of live.values()) w.send({ syncSnapshot: true });
    },
  });
  const portal = await startPortal(config, control.registry, log);
  if (portal) control.compliance.openDataDatasets = () => portal.openData.datasetCount();
  // The registry refuses provider base URLs on the node's own ports: it must know them.
  await control.registry.recordNodePorts([admin, ready[0]!.ports.tls, ready[0]!.ports.http, portal?.port ?? null]);
  if (ready[0]!.ports.http !== null) log.warn({ port: ready[0]!.ports.http }, 'plain-HTTP data port open on localhost: a development convenience, not for production');

  return {
    ports: { admin, ...ready[0]!.ports, portal: portal?.port ?? null },
    workerPids: () => [...live.values()].map((w) => w.process.pid!),
    async close() {
      closing = true;
      watcher.stop();
      await Promise.all([...live.values()].map((w) => new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.process.kill('SIGTERM');
      })));
      await portal?.close();
      await control.close();
    },
  };
}

/** The worker side: one data plane with the chain of its worker index. */
export async function runClusterWorker(config: NodeConfig, log: Logger = pino({ level: config.logLevel })): Promise<void> {
  const index = Number(process.env.TABADOL_WORKER_INDEX ?? '0');
  const workerConfig = { ...config, chainId: `${config.nodeId}/${index}` };
  const keys = await loadOrCreateNodeKeys(config.dataDir);
  const store = await openRegistryStore(config.dataDir);
  const data = await startDataPlane(workerConfig, keys, store.db, log.child({ worker: index }));
  AggregatorRegistry.setRegistries([data.metrics.registry]);
  // prom-client answers the primary's metric requests only once an aggregator exists in the worker.
  new AggregatorRegistry();

  const stop = async () => {
    await data.close();
    await store.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => { /* the primary decides when workers stop */ });
  // Without its primary no one supervises this worker or serves the admin API: stop.
  process.once('disconnect', () => void stop());
  process.on('message', (m: { syncSnapshot?: boolean }) => { if (m.syncSnapshot) void data.syncSnapshot(); });
  process.send!({ ready: true, ports: data.ports } satisfies WorkerReady);
}
