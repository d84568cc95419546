// The control plane of a node: the registry store, the snapshot publisher that keeps a valid
// snapshot in the store, the snapshot endpoint its data planes fetch from, and the admin API. It
// alone loads the snapshot-signing key; data planes get the endpoint's URL and the public key.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { NodeConfig } from './config.ts';
import type { KeyObject } from 'node:crypto';
import { loadOrCreateNodeKeys, type NodeKeys } from '../keys/node-keys.ts';
import { loadOrCreateSnapshotSigningKey } from '../keys/snapshot-signing-key.ts';
import { registerRecordKey } from '../registry/node-record-keys.ts';
import { keyIdOf } from '../records/heads.ts';
import { SnapshotPublication } from '../snapshot/publication.ts';
import { startSnapshotEndpoint } from '../snapshot/endpoint.ts';
import { openRegistryStore, type OpenedStore } from '../store/database.ts';
import { Registry } from '../registry/registry.ts';
import { lastChangeAt, latestSnapshotMeta } from '../snapshot/publish.ts';
import { createAdminApp, type AdminDeps } from '../admin/admin-app.ts';
import { recordsFile } from '../records/record-store.ts';
import { startTracker, type RunningTracker } from '../tracker/tracker-host.ts';
import { openStatsSource } from '../oversight/stats-source.ts';
import { RollupThread } from '../oversight/rollup-host.ts';
import type { RegistryDb } from '../store/database.ts';
import { Compliance } from '../compliance/compliance.ts';
import { bindRegistryNodes, RegistryNodes } from '../registry/nodes.ts';
import { startSlaTimer } from '../compliance/sla-timer.ts';

export interface ControlPlane {
  /** The node's keys; `signingKey` there is the record key, not the snapshot key. */
  keys: NodeKeys;
  /** Verifies this node's snapshots: what its data planes are given. */
  snapshotVerifyKey: KeyObject;
  /** The registry store with the snapshot key, for registry changes made outside the registry's
   * own operations (the node's own node certificate, recorded on first start). */
  registryWriter: { db: RegistryDb; signingKey: KeyObject };
  /** The newest verified snapshot, served to data planes (and to other nodes through the node port). */
  publication: SnapshotPublication;
  /** Where local data planes fetch snapshots: loopback, a port of its own. */
  snapshotUrl: string;
  store: OpenedStore;
  registry: Registry;
  /** Starts the admin API once the data-plane side of its dependencies exists. */
  /** Service levels and mandates; told of the open-data catalogue once the portal runs. */
  compliance: Compliance;
  listenAdmin(deps: Omit<AdminDeps, 'registry' | 'adminToken' | 'log' | 'stats' | 'compliance'>): Promise<number>;
  close(): Promise<void>;
}

export async function startControlPlane(config: NodeConfig, log: Logger): Promise<ControlPlane> {
  const keys = await loadOrCreateNodeKeys(config.dataDir);
  const snapshotKey = await loadOrCreateSnapshotSigningKey(config.dataDir);
  if (snapshotKey.created) log.info('snapshot-signing key created (keys/snapshot-signing.key.pem); snapshots published before it verify with keys/node-signing.pub.pem');
  const store = await openRegistryStore(config.dataDir);
  const registry = new Registry(store.db, {
    instance: config.instance,
    nodeId: config.nodeId,
    signingKey: snapshotKey.signingKey,
    validityMs: config.snapshotValidityMs,
    now: () => new Date(config.now()),
  });
  // The exchange's nodes (registry/nodes.ts), for the admin API: published with the snapshot key.
  bindRegistryNodes(registry, new RegistryNodes(store.db, {
    instance: config.instance, nodeId: config.nodeId, role: 'node', signingKey: snapshotKey.signingKey,
    validityMs: config.snapshotValidityMs, now: () => new Date(config.now()),
  }));
  // The registry's central node is recorded once; a node started with another --node-id is refused
  // before it serves (Admin.NodeIdMismatch).
  await registry.centralNode().catch(async (e: unknown) => { await store.close(); throw e; });
  // The key this node's record checkpoints are signed with, where an auditor finds it.
  await registerRecordKey(store.db, config.nodeId, keys.verifyKeyPem, keyIdOf(keys.verifyKey), new Date(config.now()));

  // A valid snapshot must exist and be re-issued well before it expires. A change and its snapshot
  // commit together; the check against the last change is a safety net for data directories
  // written before they did.
  const republishIfDue = async () => {
    const [meta, changedAt] = await Promise.all([latestSnapshotMeta(store.db), lastChangeAt(store.db)]);
    const left = meta === undefined ? 0 : Date.parse(meta.validUntil) - config.now();
    const expiring = left < config.snapshotValidityMs / 2;
    // Published by a tool (the CLI's day) or under a longer --snapshot-validity than this node's:
    // re-issued, so that nodes cut off from the centre stop when this node's validity says.
    const tooLong = left > config.snapshotValidityMs + 60_000;
    const behind = meta !== undefined && changedAt !== undefined && changedAt > meta.createdAt;
    if (expiring || tooLong || behind) await registry.publish();
  };
  await republishIfDue();
  // Checked often enough that a short validity (`--snapshot-validity`) is re-issued in time too.
  const republisher = setInterval(() => { republishIfDue().catch((e) => log.error({ err: e }, 'snapshot republish failed')); }, Math.min(10_000, Math.max(250, config.snapshotValidityMs / 8)));
  republisher.unref();
  // What the data planes fetch: the newest stored version that verifies with the snapshot key.
  const publication = new SnapshotPublication({ db: store.db, verifyKey: snapshotKey.verifyKey, republish: () => registry.publish(), log });
  await publication.refresh();
  publication.start(config.snapshotPollMs);
  const snapshotEndpoint = await startSnapshotEndpoint(() => publication.current());

  // This connection makes the rollup tables and keeps compliance's breaches; the rollups themselves
  // are read on a thread of their own (rollup-host.ts): with --workers 1 this process is also the
  // data plane, whose exchanges a year of statistics must not hold up.
  const stats = openStatsSource(config.dataDir, config.nodeId);
  const rollups = new RollupThread({ recordsFile: recordsFile(config.dataDir), nodeId: config.nodeId, log });
  // Service levels of each closed Jalali month, evaluated soon after it closes and kept (src/compliance/).
  const compliance = new Compliance(stats.db, rollups);
  const slaTimer = startSlaTimer({ compliance, registry, log, now: () => config.now() });
  let admin: Awaited<ReturnType<typeof createAdminApp>> | undefined;
  let tracker: RunningTracker | undefined;
  return {
    keys, store, registry, compliance, publication,
    snapshotVerifyKey: snapshotKey.verifyKey,
    registryWriter: { db: store.db, signingKey: snapshotKey.signingKey },
    snapshotUrl: snapshotEndpoint.url,
    async listenAdmin(deps) {
      // The citizen's data tracker (src/tracker/): started here because it names callers from the
      // snapshot the data plane runs on, which exists once the admin API is given it.
      tracker = await startTracker({
        recordsFile: recordsFile(config.dataDir), subjectKey: keys.subjectKey, nodeId: config.nodeId, registry,
        snapshot: () => deps.snapshots.current, log,
      });
      admin = await createAdminApp({ registry, adminToken: keys.adminToken, log, stats: rollups, compliance, ...deps });
      await admin.listen({ port: config.adminPort, host: config.adminHost });
      return (admin.server.address() as AddressInfo).port;
    },
    async close() {
      clearInterval(republisher);
      publication.stop();
      await snapshotEndpoint.close();
      await admin?.close();
      await tracker?.close();
      await slaTimer.stop();
      await rollups.close();
      stats.close();
      await store.close();
    },
  };
}
