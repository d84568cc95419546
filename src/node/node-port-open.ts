// Opens the node-to-node port of a node from its configuration: this node's certificate (issued and
// recorded on the first start where the CA lives, node-identity.ts) and the routes of
// node-port-routes.ts, given the stores they read. Null when the configuration turns the port off.
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import type { RegistryDb } from '../store/database.ts';
import { openRecordStore, recordsFile } from '../records/record-store.ts';
import type { NodeConfig } from './config.ts';
import { ensureNodeIdentity } from './node-identity.ts';
import { startNodePort, type RunningNodePort } from './node-port.ts';
import { nodePortRoutes } from './node-port-routes.ts';
import type { ServedSnapshot } from '../snapshot/endpoint.ts';
import { provincialIdentity } from './provincial-plane.ts';

export async function openNodePort(
  config: NodeConfig,
  /** The registry store and the key node certificates are recorded with; null on a province. */
  registry: { db: RegistryDb; signingKey: KeyObject } | null,
  snapshots: SnapshotHolder,
  log: Logger,
  role: string,
  /** The signed snapshot served to other nodes (the centre's). */
  snapshot?: () => ServedSnapshot | undefined,
): Promise<RunningNodePort | null> {
  if (config.nodePort === null) return null;
  const identity = registry === null ? await provincialIdentity(config) : await ensureNodeIdentity(config, registry);
  // Reads beside the record writers (WAL); closed with the port.
  const recordsDb = openRecordStore(recordsFile(config.dataDir), 'normal');
  let port: RunningNodePort;
  try {
    port = await startNodePort({
      identity, nodeId: config.nodeId, role, snapshots, log, now: config.now, startedAt: config.now(),
      plugins: nodePortRoutes({ config, registryDb: registry === null ? null : registry.db, recordsDb, log, snapshot }),
      port: config.nodePort, host: config.nodeHost,
      headersTimeoutMs: config.headersTimeoutMs, requestTimeoutMs: config.requestTimeoutMs,
    });
  } catch (e) {
    recordsDb.close();
    throw e;
  }
  log.info({ port: port.port, host: config.nodeHost, serial: identity.serial }, 'node-to-node port open');
  return {
    ...port,
    async close() {
      await port.close();
      recordsDb.close();
    },
  };
}
