// One Tabadol node in one process: control plane and data plane together.
import { pino, type Logger } from 'pino';
import type { NodeConfig } from './config.ts';
import type { NodeKeys } from '../keys/node-keys.ts';
import type { Registry } from '../registry/registry.ts';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import type { ExchangeMetrics } from '../metrics/metrics.ts';
import type { NodeTls } from './node-tls.ts';
import { startControlPlane } from './control-plane.ts';
import { snapshotCacheDir, startDataPlane } from './data-plane.ts';
import { startPortal } from '../portal/server.ts';
import { checkCitizenStandIn } from '../portal/citizen-stand-in.ts';
import { openNodePort } from './node-port-open.ts';
import { startNodeExchanges, type NodeExchanges } from './node-exchanges.ts';
import { Errors, fail } from '../errors/catalogue.ts';

export interface RunningNode {
  config: NodeConfig;
  keys: NodeKeys;
  registry: Registry;
  snapshots: SnapshotHolder;
  metrics: ExchangeMetrics;
  ports: { admin: number; tls: number | null; http: number | null; portal: number | null; node: number | null };
  tls: NodeTls | null;
  log: Logger;
  /** Chain heads sent to the central node, provinces' rollups pulled; null when neither is configured. */
  exchanges: NodeExchanges | null;
  /** Loads the newest published snapshot now rather than at the next poll. */
  syncSnapshot(): Promise<void>;
  close(): Promise<void>;
}

export async function startNode(config: NodeConfig, log: Logger = pino({ level: config.logLevel })): Promise<RunningNode> {
  // A stand-in the node could not run (or must not) is refused before anything opens.
  checkCitizenStandIn(config);
  // A province owns no registry: provincial-node.ts runs it.
  if (config.role !== 'central') fail(Errors.InvalidInput, 'startNode runs a central node; a provincial node runs with startProvincialNode');
  const control = await startControlPlane(config, log);
  // The data plane fetches the snapshot from the control plane over loopback, as a worker process
  // or another node would: it gets the endpoint and the public key, never the registry database.
  const data = await startDataPlane(config, control.keys, {
    url: control.snapshotUrl, verifyKey: control.snapshotVerifyKey, cacheDir: snapshotCacheDir(config.dataDir),
  }, log);
  // A change made here is served at once and fetched at once, not at the next polls.
  const syncSnapshot = async () => { await control.publication.refresh(); await data.syncSnapshot(); };
  if (data.ports.http !== null) log.warn({ port: data.ports.http }, 'plain-HTTP data port open on localhost: a development convenience, not for production');
  const admin = await control.listenAdmin({
    snapshots: data.snapshots,
    metricsText: async () => ({ contentType: data.metrics.registry.contentType, text: await data.metrics.registry.metrics() }),
    // This process's data plane sees an admin change at once, not at the next poll.
    afterChange: syncSnapshot,
  });
  // The public portal (src/portal/): open data, the citizen stand-in when asked for, the dashboard.
  const portal = await startPortal({
    config, registry: control.registry, compliance: control.compliance, log, dataHttpPort: data.ports.http,
    snapshots: data.snapshots, afterChange: syncSnapshot, nodeHealth: () => data.health(),
  });
  if (config.citizenStandIn !== null) log.warn({ client: config.citizenStandIn.client }, 'citizen page with a SIMULATED national login on the portal: a development stand-in, not for production');
  if (portal) control.compliance.openDataDatasets = () => portal.openData.datasetCount();
  // Other nodes of the exchange, over mutual TLS with node certificates (src/node/node-port.ts). A node
  // that runs its own registry is its registry's central node.
  const nodePort = await openNodePort(config, control.registryWriter, data.snapshots, log, 'central', () => control.publication.current());
  const exchanges = await startNodeExchanges(config, control.registryWriter, data.snapshots, log);
  // The registry refuses provider base URLs on the node's own ports: it must know them.
  await control.registry.recordNodePorts([admin, data.ports.tls, data.ports.http, portal?.port ?? null, nodePort?.port ?? null]);
  return {
    config, log, exchanges, keys: control.keys, registry: control.registry, snapshots: data.snapshots, metrics: data.metrics, tls: data.tls,
    ports: { admin, ...data.ports, portal: portal?.port ?? null, node: nodePort?.port ?? null },
    syncSnapshot: syncSnapshot,
    async close() {
      await nodePort?.close();
      await portal?.close();
      await data.close();
      // After the record writers signed their last checkpoints: the centre witnesses those.
      await exchanges?.stop();
      await control.close();
    },
  };
}
