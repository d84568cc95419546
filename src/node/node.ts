// One Tabadol node in one process: control plane and data plane together.
import { pino, type Logger } from 'pino';
import type { NodeConfig } from './config.ts';
import type { NodeKeys } from '../keys/node-keys.ts';
import type { Registry } from '../registry/registry.ts';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import type { ExchangeMetrics } from '../metrics/metrics.ts';
import type { NodeTls } from './node-tls.ts';
import { startControlPlane } from './control-plane.ts';
import { startDataPlane } from './data-plane.ts';
import { startPortal } from '../portal/server.ts';
import { checkCitizenStandIn } from '../portal/citizen-stand-in.ts';

export interface RunningNode {
  config: NodeConfig;
  keys: NodeKeys;
  registry: Registry;
  snapshots: SnapshotHolder;
  metrics: ExchangeMetrics;
  ports: { admin: number; tls: number | null; http: number | null; portal: number | null };
  tls: NodeTls | null;
  log: Logger;
  /** Loads the newest published snapshot now rather than at the next poll. */
  syncSnapshot(): Promise<void>;
  close(): Promise<void>;
}

export async function startNode(config: NodeConfig, log: Logger = pino({ level: config.logLevel })): Promise<RunningNode> {
  // A stand-in the node could not run (or must not) is refused before anything opens.
  checkCitizenStandIn(config);
  const control = await startControlPlane(config, log);
  const data = await startDataPlane(config, control.keys, control.store.db, log);
  if (data.ports.http !== null) log.warn({ port: data.ports.http }, 'plain-HTTP data port open on localhost: a development convenience, not for production');
  const admin = await control.listenAdmin({
    snapshots: data.snapshots,
    metricsText: async () => ({ contentType: data.metrics.registry.contentType, text: await data.metrics.registry.metrics() }),
    // This process's data plane sees an admin change at once, not at the next poll.
    afterChange: () => data.syncSnapshot(),
  });
  // The public portal (src/portal/): open data, the citizen stand-in when asked for, the dashboard later.
  const portal = await startPortal(config, control.registry, log, data.ports.http);
  if (config.citizenStandIn !== null) log.warn({ client: config.citizenStandIn.client }, 'citizen page with a SIMULATED national login on the portal: a development stand-in, not for production');
  if (portal) control.compliance.openDataDatasets = () => portal.openData.datasetCount();
  // The registry refuses provider base URLs on the node's own ports: it must know them.
  await control.registry.recordNodePorts([admin, data.ports.tls, data.ports.http, portal?.port ?? null]);
  return {
    config, log, keys: control.keys, registry: control.registry, snapshots: data.snapshots, metrics: data.metrics, tls: data.tls,
    ports: { admin, ...data.ports, portal: portal?.port ?? null },
    syncSnapshot: () => data.syncSnapshot(),
    async close() {
      await portal?.close();
      await data.close();
      await control.close();
    },
  };
}
