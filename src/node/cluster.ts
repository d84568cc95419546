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
import { openNodePort } from './node-port-open.ts';
import { startNodeExchanges } from './node-exchanges.ts';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { startControlPlane } from './control-plane.ts';
import { snapshotCacheDir, startDataPlane } from './data-plane.ts';
import { routedExchangeMetrics } from '../metrics/routed-metrics.ts';
import { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import { loadOrCreateNodeKeys, readSnapshotVerifyKey, snapshotVerifyKeyFile } from '../keys/node-keys.ts';
import { LocalRateLimiter } from '../dataplane/rate-limiter.ts';
import { answerRateLimits } from './shared-rate-limits.ts';
import { createPublicKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';

interface WorkerReady { ready: true; ports: { tls: number | null; http: number | null } }

export interface RunningCluster {
  ports: { admin: number; tls: number | null; http: number | null; portal: number | null; node: number | null };
  workerPids(): number[];
  close(): Promise<void>;
}

/** A node's data-plane workers: forked on the shared data ports, each fetching the snapshot from
 * `source.url` (its control plane's loopback endpoint) and verifying it with the public key in `source.keyFile`, restarted when one dies, keeping the node's
 * rate buckets in this process; their metrics are reported together. */
export interface DataPlaneWorkers {
  ports: { tls: number | null; http: number | null };
  metricsText(): Promise<{ contentType: string; text: string }>;
  /** Every worker fetches the snapshot now rather than at its next poll. */
  syncSnapshot(): void;
  pids(): number[];
  close(): Promise<void>;
}

export async function startDataPlaneWorkers(config: NodeConfig, workers: number, source: { url: string; keyFile: string }, log: Logger): Promise<DataPlaneWorkers> {
  let closing = false;
  const live = new Map<number, Worker>();
  // Kept across worker restarts: a worker that dies does not hand its callers a fresh burst.
  const rateBuckets = new LocalRateLimiter(config.now);
  const fork = (index: number): Promise<WorkerReady> => {
    const worker = cluster.fork({ TABADOL_WORKER_INDEX: String(index), TABADOL_SNAPSHOT_URL: source.url, TABADOL_SNAPSHOT_KEY_FILE: source.keyFile });
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
  if (ready[0]!.ports.http !== null) log.warn({ port: ready[0]!.ports.http }, 'plain-HTTP data port open on localhost: a development convenience, not for production');
  return {
    ports: ready[0]!.ports,
    // The workers' metrics added up, and the routed exchanges of the node port, which runs here.
    metricsText: async () => ({ contentType: aggregator.contentType, text: `${await aggregator.clusterMetrics()}\n${await routedExchangeMetrics.registry.metrics()}` }),
    syncSnapshot: () => { for (const w of live.values()) w.send({ syncSnapshot: true }); },
    pids: () => [...live.values()].map((w) => w.process.pid!),
    async close() {
      closing = true;
      await Promise.all([...live.values()].map((w) => new Promise<void>((resolve) => {
        w.once('exit', () => resolve());
        w.process.kill('SIGTERM');
      })));
    },
  };
}

export async function startClusterPrimary(config: NodeConfig, workers: number, log: Logger = pino({ level: config.logLevel })): Promise<RunningCluster> {
  const control = await startControlPlane(config, log);
  // The primary's own copy (admin API, portal) follows the publication; the workers fetch theirs
  // from the snapshot endpoint, whose URL they are given, and never open the registry database.
  const snapshots = new SnapshotHolder(control.snapshotVerifyKey);
  control.publication.onNewer((signed) => { snapshots.load(signed); });
  const data = await startDataPlaneWorkers(config, workers, { url: control.snapshotUrl, keyFile: snapshotVerifyKeyFile(config.dataDir) }, log);

  // A change made here reaches the primary's snapshot and every worker's at once.
  const afterChange = async () => {
    await control.publication.refresh();
    data.syncSnapshot();
  };
  const admin = await control.listenAdmin({ snapshots, metricsText: () => data.metricsText(), afterChange });
  const portal = await startPortal({ config, registry: control.registry, compliance: control.compliance, log, snapshots, afterChange });
  if (portal) control.compliance.openDataDatasets = () => portal.openData.datasetCount();
  const nodePort = await openNodePort(config, control.registryWriter, snapshots, log, 'central', () => control.publication.current());
  const exchanges = await startNodeExchanges(config, control.registryWriter, snapshots, log);
  // The registry refuses provider base URLs on the node's own ports: it must know them.
  await control.registry.recordNodePorts([admin, data.ports.tls, data.ports.http, portal?.port ?? null, nodePort?.port ?? null]);

  return {
    ports: { admin, ...data.ports, portal: portal?.port ?? null, node: nodePort?.port ?? null },
    workerPids: () => data.pids(),
    async close() {
      await data.close();
      await portal?.close();
      await nodePort?.close();
      // The workers signed their last checkpoints as they exited: the centre witnesses those.
      await exchanges?.stop();
      await control.close();
    },
  };
}

/** The worker side: one data plane with the chain of its worker index. */
export async function runClusterWorker(config: NodeConfig, log: Logger = pino({ level: config.logLevel })): Promise<void> {
  const index = Number(process.env.TABADOL_WORKER_INDEX ?? '0');
  const workerConfig = { ...config, chainId: `${config.nodeId}/${index}` };
  const keys = await loadOrCreateNodeKeys(config.dataDir);
  // The public key the primary named: a centre's own snapshot key's, or the centre's key a province pinned.
  const keyFile = process.env.TABADOL_SNAPSHOT_KEY_FILE;
  const verifyKey = keyFile ? createPublicKey(await readFile(keyFile, 'utf8')) : await readSnapshotVerifyKey(config.dataDir);
  const data = await startDataPlane(workerConfig, keys, {
    url: process.env.TABADOL_SNAPSHOT_URL ?? '', verifyKey, cacheDir: snapshotCacheDir(config.dataDir),
  }, log.child({ worker: index }));
  // A worker serves no node port: its routed-exchange metrics would only repeat the primary's names.
  for (const name of ['tabadol_routed_exchanges_total', 'tabadol_routed_exchange_duration_seconds']) data.metrics.registry.removeSingleMetric(name);
  AggregatorRegistry.setRegistries([data.metrics.registry]);
  // prom-client answers the primary's metric requests only once an aggregator exists in the worker.
  new AggregatorRegistry();

  const stop = async () => {
    await data.close();
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => { /* the primary decides when workers stop */ });
  // Without its primary no one supervises this worker or serves the admin API: stop.
  process.once('disconnect', () => void stop());
  process.on('message', (m: { syncSnapshot?: boolean }) => { if (m.syncSnapshot) void data.syncSnapshot(); });
  process.send!({ ready: true, ports: data.ports } satisfies WorkerReady);
}
