// A provincial node in one process: the provincial control plane (provincial-plane.ts: the centre's
// snapshot fetched, verified, cached and relayed), a data plane on it with its own records.db, its
// rollups and record chain, its data ports (the TLS one on the node certificate from the centre,
// the same door as the centre's), the node port (the centre pulls its rollups there; routed exchanges
// arrive there), the witness sender (its signed chain heads to the centre), and an admin API without
// registry routes (src/admin/provincial-admin-app.ts).
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { NodeConfig } from './config.ts';
import type { DataPlane } from './data-plane.ts';
import { snapshotCacheDir, startDataPlane } from './data-plane.ts';
import { pinnedSnapshotKeyFile, startProvincialControlPlane, type ProvincialControlPlane } from './provincial-plane.ts';
import { startDataPlaneWorkers, type DataPlaneWorkers } from './cluster.ts';
import { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import { openNodePort } from './node-port-open.ts';
import { startNodeExchanges, type NodeExchanges } from './node-exchanges.ts';
import { createProvincialAdminApp } from '../admin/provincial-admin-app.ts';
import { Errors, fail } from '../errors/catalogue.ts';
import type { NodeKeys } from '../keys/node-keys.ts';
import type { NodeTls } from './node-tls.ts';

export interface RunningProvincialNode {
  config: NodeConfig;
  keys: NodeKeys;
  snapshots: SnapshotHolder;
  /** The TLS data port's material: the node certificate from the centre and the CA's certificate
   * (data-plane.ts says why that certificate); null with --no-tls, and with --workers (each worker
   * reads its own). */
  tls: NodeTls | null;
  ports: { admin: number; tls: number | null; http: number | null; portal: number | null; node: number | null };
  exchanges: NodeExchanges | null;
  log: Logger;
  /** Fetches from the centre now, then reloads the data plane. */
  syncSnapshot(): Promise<void>;
  /** The data-plane processes: this one, or the workers. */
  workerPids(): number[];
  close(): Promise<void>;
}

function checkProvincialConfig(config: NodeConfig): void {
  if (config.province === null) fail(Errors.InvalidInput, 'a provincial node needs --province, its two-digit code');
  if (config.citizenStandIn !== null) fail(Errors.InvalidInput, '--citizen-stand-in runs on the central node');
}

/** What a provincial node's primary process runs beside its data planes: the admin API, the node
 * port (the centre pulls rollups there; routed exchanges arrive there) and the witness sender. */
async function startProvincialPrimary(config: NodeConfig, log: Logger, control: ProvincialControlPlane, data: {
  snapshots: SnapshotHolder; ports: { tls: number | null; http: number | null };
  metricsText(): Promise<{ contentType: string; text: string }>; syncSnapshot(): Promise<void>; close(): Promise<void>;
}, tls: NodeTls | null, workerPids: () => number[]): Promise<RunningProvincialNode> {
  const syncSnapshot = async () => { await control.poll(); await data.syncSnapshot(); };
  const admin = await createProvincialAdminApp({
    log, adminToken: control.keys.adminToken, snapshots: data.snapshots, central: control.central, now: config.now,
    metricsText: async () => {
      const m = await data.metricsText();
      return { contentType: m.contentType, text: `${m.text}\n${await control.centreMetricsText()}` };
    },
  });
  try {
    await admin.listen({ port: config.adminPort, host: config.adminHost });
  } catch (e) {
    await data.close();
    await control.close();
    throw e;
  }
  const nodePort = await openNodePort(config, null, data.snapshots, log, 'provincial');
  const exchanges = await startNodeExchanges(config, null, data.snapshots, log);
  if (config.portalPort !== null) log.info('the portal runs on the central node (it reads the registry); a provincial node opens none');
  log.info({ province: config.province, central: control.central.nodeId }, 'provincial node started');
  return {
    config, log, exchanges, keys: control.keys, snapshots: data.snapshots, tls,
    ports: { admin: (admin.server.address() as AddressInfo).port, ...data.ports, portal: null, node: nodePort?.port ?? null },
    syncSnapshot,
    workerPids,
    async close() {
      await nodePort?.close();
      await admin.close();
      await data.close();
      // After the record writers signed their last checkpoints: the centre witnesses those.
      await exchanges?.stop();
      await control.close();
    },
  };
}

export async function startProvincialNode(config: NodeConfig, log: Logger = pino({ level: config.logLevel })): Promise<RunningProvincialNode> {
  checkProvincialConfig(config);
  let data: DataPlane | undefined;
  const control = await startProvincialControlPlane(config, log, () => data?.snapshots.current?.revokedSerials);
  try {
    data = await startDataPlane(config, control.keys, {
      url: control.snapshotUrl, verifyKey: control.snapshotVerifyKey, cacheDir: snapshotCacheDir(config.dataDir),
    }, log);
  } catch (e) {
    await control.close();
    throw e;
  }
  const plane = data;
  if (plane.ports.http !== null) log.warn({ port: plane.ports.http }, 'plain-HTTP data port open on localhost: a development convenience, not for production');
  return startProvincialPrimary(config, log, control, {
    snapshots: plane.snapshots, ports: plane.ports, syncSnapshot: () => plane.syncSnapshot(), close: () => plane.close(),
    metricsText: async () => ({ contentType: plane.metrics.registry.contentType, text: await plane.metrics.registry.metrics() }),
  }, plane.tls, () => [process.pid]);
}

/**
 * A provincial node on several cores: this process runs the provincial control plane (the centre's
 * snapshot fetched, verified and relayed on loopback), the admin API, the node port and the witness
 * sender; each worker runs a data plane on the shared data ports with its own record chain
 * `<node>/<worker>`, fetching the relayed snapshot like the centre's workers (cluster.ts). No
 * process of a province opens a registry.
 */
export async function startProvincialCluster(config: NodeConfig, workers: number, log: Logger = pino({ level: config.logLevel })): Promise<RunningProvincialNode> {
  checkProvincialConfig(config);
  // This process's own copy (admin API, node port, the node client's revocation check) follows the centre's.
  let snapshots: SnapshotHolder | undefined;
  const control = await startProvincialControlPlane(config, log, () => snapshots?.current?.revokedSerials, (signed) => { snapshots?.load(signed); });
  const holder = new SnapshotHolder(control.snapshotVerifyKey);
  snapshots = holder;
  const first = control.relayed();
  if (first) holder.load(first.signed);
  let workersUp: DataPlaneWorkers;
  try {
    workersUp = await startDataPlaneWorkers(config, workers, { url: control.snapshotUrl, keyFile: pinnedSnapshotKeyFile(config.dataDir) }, log);
  } catch (e) {
    await control.close();
    throw e;
  }
  const data = workersUp;
  return startProvincialPrimary(config, log, control, {
    snapshots: holder, ports: data.ports, metricsText: () => data.metricsText(), close: () => data.close(),
    syncSnapshot: async () => { data.syncSnapshot(); },
  }, null, () => data.pids());
}
