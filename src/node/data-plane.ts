// The data plane of one process: the snapshot it runs on (fetched over HTTP from its control plane,
// verified with the snapshot public key, cached on disk), its own record chain and writer thread,
// its metrics, and the data ports. Several processes may run it side by side on the same ports (see
// cluster.ts); each keeps its own chain. It never opens the registry database and never holds the
// snapshot-signing key (a layering rule checks both: docs/layering.md): a process that faces the
// internet and is taken over can neither read nor rewrite the registry, nor sign a snapshot.
import http from 'node:http';
import path from 'node:path';
import https from 'node:https';
import { readFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { NodeConfig } from './config.ts';
import type { NodeKeys } from '../keys/node-keys.ts';
import { SnapshotFetcher, type SnapshotSource } from '../snapshot/fetcher.ts';
import { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import { ProviderPools } from '../dataplane/provider-pools.ts';
import { createRateLimiter } from './shared-rate-limits.ts';
import { causeForLog } from '../dataplane/log-safe.ts';
import { createPipeline } from '../dataplane/pipeline.ts';
import { longestExchangeMs } from '../dataplane/stages/call-provider.ts';
import { createDoor } from '../dataplane/door.ts';
import { Recorder } from '../records/recorder.ts';
import { recordsFile } from '../records/record-store.ts';
import { DiskReserve } from '../records/disk-reserve.ts';
import { Errors, fail } from '../errors/catalogue.ts';
import { ExchangeMetrics } from '../metrics/metrics.ts';
import { ensureNodeTls, nodeCertDirOf, type NodeTls } from './node-tls.ts';
import { PeerDispatchers } from './peer-dispatchers.ts';
import { NODE_CA_FILE } from '../identity/node-certificates.ts';

export interface NodeHealthFigures { recordWriterOk: boolean; diskFreeBytes: number; diskReserveBytes: number }

export interface DataPlane {
  snapshots: SnapshotHolder;
  metrics: ExchangeMetrics;
  tls: NodeTls | null;
  ports: { tls: number | null; http: number | null };
  syncSnapshot(): Promise<void>;
  /** The record writer and the disk under it, for the operators' overview. */
  health(): NodeHealthFigures;
  close(): Promise<void>;
}

export function listen(server: http.Server | https.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export type { SnapshotSource };

/** The snapshot cache of a data directory: one file per data plane (its chain), written atomically. */
export function snapshotCacheDir(dataDir: string): string {
  return path.join(dataDir, 'snapshot-cache');
}

/** The cache file's name for a chain: `central/1` → `central-1`. */
export function snapshotCacheName(chainId: string): string {
  return chainId.replace(/[^A-Za-z0-9._-]/g, '-');
}

/**
 * A provincial node's data-port TLS: it holds no CA key, so it cannot issue itself a server
 * certificate as the centre does (node-tls.ts). The node certificate the centre issued it serves
 * (SAN urn:tabadol:node:<id>, CN <id>, serverAuth and clientAuth: RFC 5280 §4.2.1.12), and the CA
 * certificate installed beside it is what client certificates are checked against. One certificate
 * to issue, install, renew and revoke per node, and no key the data plane did not hold already (it
 * calls peer nodes with it, peer-dispatchers.ts). Agencies authenticate the node as node <id> of the
 * exchange CA, not by a host name, as nodes authenticate one another (node-client.ts). The control
 * plane checked the certificate (issuer, key, binding, expiry) before any data plane starts.
 */
async function provincialDataPortTls(dataDir: string): Promise<NodeTls> {
  const dir = nodeCertDirOf(dataDir);
  const caCertPath = path.join(dir, NODE_CA_FILE);
  const read = (file: string) => readFile(file, 'utf8').catch((e: Error) => fail(Errors.NodeStartFailed, `cannot read ${file} for the TLS data port: ${e.message}`));
  const [caCertPem, serverCertPem, serverKeyPem] = await Promise.all([read(caCertPath), read(path.join(dir, 'cert.pem')), read(path.join(dir, 'key.pem'))]);
  return { caDir: dir, caCertPath, caCertPem, serverCertPem, serverKeyPem };
}

/**
 * @param keys the record key (checkpoints) and the subject-hash key; nothing that signs snapshots.
 * @param source where snapshots come from and the public key they must verify with.
 */
export async function startDataPlane(config: NodeConfig, keys: Pick<NodeKeys, 'signingKey' | 'subjectKey'>, source: SnapshotSource, log: Logger): Promise<DataPlane> {
  const snapshots = new SnapshotHolder(source.verifyKey);
  const metrics = new ExchangeMetrics();
  const fetcher = await SnapshotFetcher.start({
    source: { cacheName: snapshotCacheName(config.chainId), ...source },
    intervalMs: config.snapshotPollMs,
    log,
    now: config.now,
    // The holder verifies again and compiles; it refuses (throws) rather than swap in a bad one.
    accept: (signed) => { snapshots.load(signed); },
    metrics: metrics.registry,
  });

  const file = recordsFile(config.dataDir);
  const reserve = await DiskReserve.start({
    dir: path.dirname(file), minFree: config.minFreeDisk, intervalMs: config.diskCheckMs, freeSpace: config.freeSpace, log,
  });
  const recorder = await Recorder.start({
    file,
    chainId: config.chainId,
    signingKeyPem: keys.signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    durability: config.durability,
    checkpointIntervalMs: config.checkpointIntervalMs,
    rollups: config.rollups,
    retention: config.retention,
    reserve,
    log,
  });
  metrics.watchRecorder(recorder.stats);
  metrics.watchDiskReserve(reserve);
  const pools = new ProviderPools();
  // Services homed on another node go to its node port over mutual TLS (peer-dispatchers.ts).
  const peers = new PeerDispatchers({
    dataDir: config.dataDir, revokedSerials: () => snapshots.current?.revokedSerials, now: config.now, log,
    urlOf: (nodeId) => snapshots.current?.nodes.get(nodeId)?.url ?? undefined,
  });
  const door = createDoor({
    pipeline: createPipeline({ nodeId: config.nodeId, subjectKey: keys.subjectKey, pools, peers, rateLimiter: createRateLimiter(config.now), now: config.now }),
    snapshots,
    record: (r) => recorder.append(r),
    // Labels only from what the pipeline resolved: raw identifiers from unknown callers would let
    // anyone grow the metrics without bound.
    observers: [(r, ex) => metrics.observe(r, ex.service?.id ?? 'unknown', ex.client ?? 'unknown')],
    countUnidentified: (type) => metrics.countUnidentified(type),
    // Below the disk reserve nothing new is started: no provider is called for an answer that
    // could not be recorded.
    refuseNew: () => reserve.refusal(),
    log,
    now: config.now,
    maxBodyBytes: config.maxBodyBytes,
    instance: config.instance,
  });
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    door.handle(req, res).catch((e) => {
      log.error({ cause: causeForLog(e) }, 'unexpected failure at the door');
      if (!res.headersSent) res.writeHead(500).end();
    });
  };

  // Slow headers and trickled bodies are cut off in seconds; Node checks the deadlines at
  // connectionsCheckingInterval, 30 s by default, so that is shortened too.
  const limits = {
    headersTimeout: config.headersTimeoutMs,
    requestTimeout: config.requestTimeoutMs,
    connectionsCheckingInterval: Math.min(1000, config.headersTimeoutMs),
  };
  const servers: (http.Server | https.Server)[] = [];
  let tls: NodeTls | null = null;
  let tlsPort: number | null = null;
  if (config.tlsPort !== null) {
    tls = config.role === 'provincial' ? await provincialDataPortTls(config.dataDir) : await ensureNodeTls(config.dataDir, config.instance);
    const server = https.createServer({
      key: tls.serverKeyPem, cert: tls.serverCertPem, ca: tls.caCertPem,
      // Checked by the pipeline, so a refusal is a coded X-Road error rather than a dropped handshake.
      requestCert: true, rejectUnauthorized: false,
      keepAliveTimeout: 65_000, ...limits,
    }, onRequest);
    servers.push(server);
    tlsPort = await listen(server, config.tlsPort, config.tlsHost);
  }
  let httpPort: number | null = null;
  if (config.httpPort !== null) {
    const server = http.createServer({ keepAliveTimeout: 65_000, ...limits }, onRequest);
    servers.push(server);
    httpPort = await listen(server, config.httpPort, '127.0.0.1');
  }

  return {
    snapshots, metrics, tls,
    ports: { tls: tlsPort, http: httpPort },
    syncSnapshot: () => fetcher.poll(),
    health: () => ({ recordWriterOk: recorder.healthy && !reserve.breached, diskFreeBytes: reserve.freeBytes, diskReserveBytes: reserve.reserveBytes }),
    async close() {
      fetcher.stop();
      // Stop taking connections, let the exchanges under way finish and be recorded (bounded by
      // the longest an exchange can take, failover included), then close what is left.
      const closed = servers.map((s) => new Promise<void>((r) => { s.close(() => r()); s.closeIdleConnections(); }));
      const longest = Math.max(1000, ...[...(snapshots.current?.services.values() ?? [])].map(longestExchangeMs));
      await Promise.race([door.idle(), new Promise((r) => setTimeout(r, longest + 1000).unref())]);
      for (const s of servers) s.closeAllConnections();
      await Promise.all(closed);
      await recorder.close();
      reserve.stop();
      await pools.close();
      await peers.close();
    },
  };
}
