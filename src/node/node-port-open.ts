// Opens the node-to-node port of a node from its configuration: this node's certificate (issued and
// recorded on the first start where the CA lives, node-identity.ts) and the routes of
// node-port-routes.ts. Null when the configuration turns the port off.
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import type { RegistryDb } from '../store/database.ts';
import type { NodeConfig } from './config.ts';
import { ensureNodeIdentity } from './node-identity.ts';
import { startNodePort, type RunningNodePort } from './node-port.ts';
import { NODE_PORT_ROUTES } from './node-port-routes.ts';

export async function openNodePort(
  config: NodeConfig,
  registry: { db: RegistryDb; signingKey: KeyObject },
  snapshots: SnapshotHolder,
  log: Logger,
  role: string,
): Promise<RunningNodePort | null> {
  if (config.nodePort === null) return null;
  const identity = await ensureNodeIdentity(config, registry);
  const port = await startNodePort({
    identity, nodeId: config.nodeId, role, snapshots, log, now: config.now, startedAt: config.now(),
    plugins: NODE_PORT_ROUTES, port: config.nodePort, host: config.nodeHost,
    headersTimeoutMs: config.headersTimeoutMs, requestTimeoutMs: config.requestTimeoutMs,
  });
  log.info({ port: port.port, host: config.nodeHost, serial: identity.serial }, 'node-to-node port open');
  return port;
}
