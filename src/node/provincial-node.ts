// A provincial node in one process: the provincial control plane (provincial-plane.ts: the centre's
// snapshot fetched, verified, cached and relayed), a data plane on it with its own records.db, its
// rollups and record chain, the node port (the centre pulls its rollups there; routed exchanges
// arrive there), the witness sender (its signed chain heads to the centre), and an admin API without
// registry routes (src/admin/provincial-admin-app.ts).
import type { AddressInfo } from 'node:net';
import { pino, type Logger } from 'pino';
import type { NodeConfig } from './config.ts';
import type { DataPlane } from './data-plane.ts';
import { snapshotCacheDir, startDataPlane } from './data-plane.ts';
import { startProvincialControlPlane } from './provincial-plane.ts';
import { openNodePort } from './node-port-open.ts';
import { startNodeExchanges, type NodeExchanges } from './node-exchanges.ts';
import { createProvincialAdminApp } from '../admin/provincial-admin-app.ts';
import { Errors, fail } from '../errors/catalogue.ts';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import type { NodeKeys } from '../keys/node-keys.ts';

export interface RunningProvincialNode {
  config: NodeConfig;
  keys: NodeKeys;
  snapshots: SnapshotHolder;
  ports: { admin: number; tls: number | null; http: number | null; portal: number | null; node: number | null };
  exchanges: NodeExchanges | null;
  log: Logger;
  /** Fetches from the centre now, then reloads the data plane. */
  syncSnapshot(): Promise<void>;
  close(): Promise<void>;
}

export async function startProvincialNode(config: NodeConfig, log: Logger = pino({ level: config.logLevel })): Promise<RunningProvincialNode> {
  if (config.province === null) fail(Errors.InvalidInput, 'a provincial node needs --province, its two-digit code');
  if (config.citizenStandIn !== null) fail(Errors.InvalidInput, '--citizen-stand-in runs on the central node');
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
  const syncSnapshot = async () => { await control.poll(); await plane.syncSnapshot(); };
  const admin = await createProvincialAdminApp({
    log, adminToken: control.keys.adminToken, snapshots: plane.snapshots, central: control.central, now: config.now,
    metricsText: async () => ({
      contentType: plane.metrics.registry.contentType,
      text: `${await plane.metrics.registry.metrics()}\n${await control.centreMetricsText()}`,
    }),
  });
  await admin.listen({ port: config.adminPort, host: config.adminHost });
  const nodePort = await openNodePort(config, null, plane.snapshots, log, 'provincial');
  const exchanges = await startNodeExchanges(config, null, plane.snapshots, log);
  if (config.portalPort !== null) log.info('the portal runs on the central node (it reads the registry); a provincial node opens none');
  log.info({ province: config.province, central: control.central.nodeId }, 'provincial node started');
  return {
    config, log, exchanges, keys: control.keys, snapshots: plane.snapshots,
    ports: { admin: (admin.server.address() as AddressInfo).port, ...plane.ports, portal: null, node: nodePort?.port ?? null },
    syncSnapshot,
    async close() {
      await nodePort?.close();
      await admin.close();
      await plane.close();
      // After the record writer signed its last checkpoint: the centre witnesses that.
      await exchanges?.stop();
      await control.close();
    },
  };
}
