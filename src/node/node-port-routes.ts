// The routes of the node-to-node port beyond its health (src/node/node-port.ts): one plugin per
// concern (snapshot distribution, exchanges routed to a provider's node, witnessed chain heads,
// rollups), added here. Every route is behind the port's peer check: handlers read the calling
// node with peerOf(req). Routes get what they need from the context node-port-open.ts builds.
import type Database from 'better-sqlite3';
import type { Logger } from 'pino';
import type { RegistryDb } from '../store/database.ts';
import type { NodeConfig } from './config.ts';
import type { NodePortPlugin } from './node-port.ts';
import { WitnessStore } from '../records/witness-store.ts';
import { RollupChanges } from '../oversight/rollup-changes.ts';
import { witnessRoutes } from './witness-routes.ts';
import { rollupRoutes } from './rollup-routes.ts';
import { exchangeRoutes } from './exchange-routes.ts';
import { trackerRoutes } from './tracker-routes.ts';
import { snapshotHandler, SNAPSHOT_PATH, type ServedSnapshot } from '../snapshot/endpoint.ts';

export interface NodePortRoutesContext {
  config: NodeConfig;
  /** The registry store (record keys, witnessed heads); null on a node that owns none (a province). */
  registryDb: RegistryDb | null;
  /** The signed snapshot this node gives other nodes (the centre's publication); absent: none. */
  snapshot?: (() => ServedSnapshot | undefined) | undefined;
  /** A connection of the node port's own to this node's records.db (rollups). */
  recordsDb: Database.Database;
  log: Logger;
}

export function nodePortRoutes(ctx: NodePortRoutesContext): NodePortPlugin[] {
  const registryDb = ctx.registryDb;
  return [
    // Only a node with a registry witnesses: it checks heads against the record keys it holds.
    ...(registryDb === null ? [] : [witnessRoutes(new WitnessStore(registryDb, ctx.config.now))]),
    rollupRoutes(new RollupChanges(ctx.recordsDb, ctx.config.nodeId), ctx.config.centralNode?.nodeId ?? null),
    ...(ctx.snapshot === undefined ? [] : [snapshotRoutes(ctx.snapshot)]),
    // Exchanges routed here by a consumer's node: this node's provider half and its own record.
    exchangeRoutes(ctx.config, ctx.log),
    trackerRoutes(ctx.config),
  ];
}

/** `GET /v1/snapshot` on the node port: the centre's signed snapshot for its provinces, answered by the
 * same handler (ETag, 304) as the loopback endpoint its own data planes poll. Any node of the exchange
 * may fetch it (the peer check ran first): it is the registry's catalogue, signed, not citizens' data. */
export function snapshotRoutes(current: () => ServedSnapshot | undefined): NodePortPlugin {
  const handle = snapshotHandler(current);
  return {
    name: 'snapshot',
    register(app) {
      app.get(SNAPSHOT_PATH, (req, reply) => {
        // The plain Node handler writes the answer itself; Fastify leaves the reply alone.
        reply.hijack();
        handle(req.raw, reply.raw);
      });
    },
  };
}
