// Assembles and runs one Tabadol node: control plane (registry, snapshots, admin API) and data
// plane (the pipeline behind a TLS port and, for development, a plain-HTTP port).
import http from 'node:http';
import https from 'node:https';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { readFile } from 'node:fs/promises';
import { pino, type Logger } from 'pino';
import type { FastifyInstance } from 'fastify';
import type { NodeConfig } from './config.ts';
import { openRegistryStore, type OpenedStore } from '../store/database.ts';
import { loadOrCreateNodeKeys, type NodeKeys } from '../keys/node-keys.ts';
import { Registry } from '../registry/registry.ts';
import { latestSnapshotMeta } from '../snapshot/publish.ts';
import { watchSnapshots } from '../snapshot/watcher.ts';
import { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import { ProviderPools } from '../dataplane/provider-pools.ts';
import { createPipeline } from '../dataplane/pipeline.ts';
import { createDoor } from '../dataplane/door.ts';
import { Recorder } from '../records/recorder.ts';
import { recordsFile } from '../records/record-store.ts';
import { ExchangeMetrics } from '../metrics/metrics.ts';
import { createAdminApp } from '../admin/admin-app.ts';
import { ensureNodeTls, type NodeTls } from './node-tls.ts';

export interface RunningNode {
  config: NodeConfig;
  keys: NodeKeys;
  registry: Registry;
  snapshots: SnapshotHolder;
  metrics: ExchangeMetrics;
  ports: { admin: number; tls: number | null; http: number | null };
  tls: NodeTls | null;
  log: Logger;
  /** Loads the newest published snapshot now rather than at the next poll. */
  syncSnapshot(): Promise<void>;
  close(): Promise<void>;
}

function listen(server: http.Server | https.Server | FastifyInstance['server'], port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}

export async function startNode(config: NodeConfig, log: Logger = pino({ level: config.logLevel })): Promise<RunningNode> {
  const keys = await loadOrCreateNodeKeys(config.dataDir);
  const store: OpenedStore = await openRegistryStore(config.dataDir);
  const registry = new Registry(store.db, {
    instance: config.instance,
    nodeId: config.nodeId,
    signingKey: keys.signingKey,
    validityMs: config.snapshotValidityMs,
    now: () => new Date(config.now()),
  });

  // Control plane: make sure a valid snapshot exists and is re-issued well before it expires.
  const republishIfDue = async () => {
    const meta = await latestSnapshotMeta(store.db);
    if (!meta || Date.parse(meta.validUntil) - config.now() < config.snapshotValidityMs / 2) await registry.publish();
  };
  await republishIfDue();
  const republisher = setInterval(() => republishIfDue().catch((e) => log.error({ err: e }, 'snapshot republish failed')), 60_000);
  republisher.unref();

  const snapshots = new SnapshotHolder(keys.verifyKey);
  const watcher = watchSnapshots(store.db, snapshots, config.snapshotPollMs, log);
  await watcher.poll();

  const recorder = await Recorder.start({
    file: recordsFile(config.dataDir),
    chainId: config.chainId,
    signingKeyPem: keys.signingKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    durability: config.durability,
    checkpointIntervalMs: config.checkpointIntervalMs,
  });
  const metrics = new ExchangeMetrics();
  const pools = new ProviderPools();
  const handle = createDoor({
    stages: createPipeline({ nodeId: config.nodeId, subjectKey: keys.subjectKey, pools, now: config.now }),
    snapshots,
    record: (r) => recorder.append(r),
    observers: [(r) => metrics.observe(r)],
    log,
    now: config.now,
    maxBodyBytes: config.maxBodyBytes,
    instance: config.instance,
  });
  const onRequest = (req: http.IncomingMessage, res: http.ServerResponse) => {
    handle(req, res).catch((e) => {
      log.error({ err: e }, 'unexpected failure at the door');
      if (!res.headersSent) res.writeHead(500).end();
    });
  };

  const servers: (http.Server | https.Server)[] = [];
  let tls: NodeTls | null = null;
  let tlsPort: number | null = null;
  if (config.tlsPort !== null) {
    tls = await ensureNodeTls(config.dataDir, config.instance);
    const server = https.createServer({
      key: tls.serverKeyPem, cert: tls.serverCertPem, ca: tls.caCertPem,
      // Checked by the pipeline, so a refusal is a coded X-Road error rather than a dropped handshake.
      requestCert: true, rejectUnauthorized: false,
      keepAliveTimeout: 65_000,
    }, onRequest);
    servers.push(server);
    tlsPort = await listen(server, config.tlsPort, config.tlsHost);
  }
  let httpPort: number | null = null;
  if (config.httpPort !== null) {
    const server = http.createServer({ keepAliveTimeout: 65_000 }, onRequest);
    servers.push(server);
    httpPort = await listen(server, config.httpPort, '127.0.0.1');
    log.warn({ port: httpPort }, 'plain-HTTP data port open on localhost: a development convenience, not for production');
  }

  const admin = await createAdminApp({
    registry, adminToken: keys.adminToken, snapshots, metrics,
    afterChange: () => watcher.poll(),
  });
  await admin.listen({ port: config.adminPort, host: config.adminHost });
  const adminPort = (admin.server.address() as AddressInfo).port;

  return {
    config, keys, registry, snapshots, metrics, tls, log,
    ports: { admin: adminPort, tls: tlsPort, http: httpPort },
    syncSnapshot: () => watcher.poll(),
    async close() {
      clearInterval(republisher);
      watcher.stop();
      await Promise.all(servers.map((s) => new Promise<void>((r) => { s.close(() => r()); s.closeAllConnections(); })));
      await admin.close();
      await recorder.close();
      await pools.close();
      await store.close();
    },
  };
}

export async function readAdminToken(dataDir: string): Promise<string> {
  return (await readFile(path.join(dataDir, 'keys', 'admin-token'), 'utf8')).trim();
}
