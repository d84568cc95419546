// What a node sends and fetches on its own between nodes, on timers: its signed chain heads to its
// central node (records/witness-sender.ts), and, on a centre, its provinces' rollups
// (oversight/remote-rollups-puller.ts). Both call the other node's node port as this node, with its
// node certificate (node-identity.ts). Null when the node reports to nobody and pulls from nobody.
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import type { RegistryDb } from '../store/database.ts';
import { Errors, fail } from '../errors/catalogue.ts';
import { openRecordStore, recordsFile } from '../records/record-store.ts';
import { startWitnessSender, type WitnessSender } from '../records/witness-sender.ts';
import { startRollupPuller, type RollupPuller } from '../oversight/remote-rollups-puller.ts';
import type { NodeConfig, PeerNode } from './config.ts';
import { ensureNodeIdentity } from './node-identity.ts';
import { NodeClient } from './node-client.ts';
import { provincialIdentity } from './provincial-plane.ts';

export interface NodeExchanges {
  witness: WitnessSender | null;
  rollups: RollupPuller | null;
  /** Stops the timers; sends the chain heads one last time (call once the record writers closed). */
  stop(): Promise<void>;
}

export async function startNodeExchanges(
  config: NodeConfig,
  /** Null on a province: it owns no registry, its certificate is the one the centre issued. */
  registry: { db: RegistryDb; signingKey: KeyObject } | null,
  snapshots: SnapshotHolder,
  log: Logger,
): Promise<NodeExchanges | null> {
  // A centre with a node port pulls the rollups of the provincial nodes its registry knows (the
  // snapshot's `nodes`), as well as those named by --province-node.
  const pullsRegistered = config.role === 'central' && config.nodePort !== null;
  if (config.centralNode === null && config.provinceNodes.length === 0 && !pullsRegistered) return null;
  if (config.centralNode?.nodeId === config.nodeId) fail(Errors.InvalidInput, `--central-node-id names this node (${config.nodeId})`);
  if (config.provinceNodes.some((p) => p.nodeId === config.nodeId)) fail(Errors.InvalidInput, `--province-node names this node (${config.nodeId}): its own rollups are counted already`);
  const identity = registry === null ? await provincialIdentity(config) : await ensureNodeIdentity(config, registry);
  const client = new NodeClient({ identity, revokedSerials: () => snapshots.current?.revokedSerials });
  const witness = config.centralNode === null ? null : startWitnessSender({
    recordsFile: recordsFile(config.dataDir), central: config.centralNode, client, intervalMs: config.witnessIntervalMs, log,
  });
  const recordsDb = config.provinceNodes.length === 0 && !pullsRegistered ? null : openRecordStore(recordsFile(config.dataDir), 'normal');
  const flagged = [...config.provinceNodes];
  const provinces = (): PeerNode[] => {
    const registered = (snapshots.current?.doc.nodes ?? [])
      .filter((n) => n.role === 'provincial' && n.id !== config.nodeId && !flagged.some((f) => f.nodeId === n.id))
      .map((n) => ({ nodeId: n.id, url: n.url }));
    return [...flagged, ...registered];
  };
  const rollups = recordsDb === null ? null : startRollupPuller({
    recordsDb, client, nodes: provinces, intervalMs: config.rollupPullIntervalMs, log, now: config.now,
  });
  if (witness) log.info({ central: config.centralNode!.nodeId, intervalMs: config.witnessIntervalMs }, 'sending chain heads to the central node');
  if (rollups) log.info({ provinces: provinces().map((p) => p.nodeId), intervalMs: config.rollupPullIntervalMs }, 'pulling the provinces\' rollups');
  return {
    witness, rollups,
    async stop() {
      await rollups?.stop();
      await witness?.stop();
      await client.close();
      recordsDb?.close();
    },
  };
}
