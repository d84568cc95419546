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

export interface NodePortRoutesContext {
  config: NodeConfig;
  /** The registry store (record keys, witnessed heads). */
  registryDb: RegistryDb;
  /** A connection of the node port's own to this node's records.db (rollups). */
  recordsDb: Database.Database;
  log: Logger;
}

export function nodePortRoutes(ctx: NodePortRoutesContext): NodePortPlugin[] {
  return [
    witnessRoutes(new WitnessStore(ctx.registryDb, ctx.config.now)),
    rollupRoutes(new RollupChanges(ctx.recordsDb, ctx.config.nodeId), ctx.config.centralNode?.nodeId ?? null),
  ];
}
