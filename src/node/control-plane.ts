// The control plane of a node: the registry store, the snapshot publisher that keeps a valid
// snapshot in the store, and the admin API.
import type { AddressInfo } from 'node:net';
import type { Logger } from 'pino';
import type { NodeConfig } from './config.ts';
import { loadOrCreateNodeKeys, type NodeKeys } from '../keys/node-keys.ts';
import { openRegistryStore, type OpenedStore } from '../store/database.ts';
import { Registry } from '../registry/registry.ts';
import { lastChangeAt, latestSnapshotMeta } from '../snapshot/publish.ts';
import { createAdminApp, type AdminDeps } from '../admin/admin-app.ts';
import { recordsFile } from '../records/record-store.ts';
import { startTracker, type RunningTracker } from '../tracker/tracker-host.ts';
import { openStatsSource } from '../oversight/stats-source.ts';
import { Compliance } from '../compliance/compliance.ts';
import { startSlaTimer } from '../compliance/sla-timer.ts';

export interface ControlPlane {
  keys: NodeKeys;
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
  const store = await openRegistryStore(config.dataDir);
  const registry = new Registry(store.db, {
    instance: config.instance,
    nodeId: config.nodeId,
    signingKey: keys.signingKey,
    validityMs: config.snapshotValidityMs,
    now: () => new Date(config.now()),
  });
  // The registry's central node is recorded once; a node started with another --node-id is refused
  // before it serves (Admin.NodeIdMismatch).
  await registry.centralNode().catch(async (e: unknown) => { await store.close(); throw e; });

  // A valid snapshot must exist and be re-issued well before it expires. A change and its snapshot
  // commit together; the check against the last change is a safety net for data directories
  // written before they did.
  const republishIfDue = async () => {
    const [meta, changedAt] = await Promise.all([latestSnapshotMeta(store.db), lastChangeAt(store.db)]);
    const expiring = !meta || Date.parse(meta.validUntil) - config.now() < config.snapshotValidityMs / 2;
    const behind = meta !== undefined && changedAt !== undefined && changedAt > meta.createdAt;
    if (expiring || behind) await registry.publish();
  };
  await republishIfDue();
  const republisher = setInterval(() => { republishIfDue().catch((e) => log.error({ err: e }, 'snapshot republish failed')); }, 10_000);
  republisher.unref();

  const stats = openStatsSource(config.dataDir);
  // Service levels of each closed Jalali month, evaluated soon after it closes and kept (src/compliance/).
  const compliance = new Compliance(stats.db, stats.reader);
  const slaTimer = startSlaTimer({ compliance, registry, log, now: () => config.now() });
  let admin: Awaited<ReturnType<typeof createAdminApp>> | undefined;
  let tracker: RunningTracker | undefined;
  return {
    keys, store, registry, compliance,
    async listenAdmin(deps) {
      // The citizen's data tracker (src/tracker/): started here because it names callers from the
      // snapshot the data plane runs on, which exists once the admin API is given it.
      tracker = await startTracker({
        recordsFile: recordsFile(config.dataDir), subjectKey: keys.subjectKey, nodeId: config.nodeId, registry,
        snapshot: () => deps.snapshots.current, log,
      });
      admin = await createAdminApp({ registry, adminToken: keys.adminToken, log, stats: stats.reader, compliance, ...deps });
      await admin.listen({ port: config.adminPort, host: config.adminHost });
      return (admin.server.address() as AddressInfo).port;
    },
    async close() {
      clearInterval(republisher);
      await admin?.close();
      await tracker?.close();
      await slaTimer.stop();
      stats.close();
      await store.close();
    },
  };
}
