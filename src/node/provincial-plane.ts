// The control plane of a provincial node. It owns no registry: it fetches the centre's signed
// snapshot from the centre's node-to-node port (mutual TLS, the centre's certificate checked to be
// bound to the centre's node id), verifies it with the centre's snapshot PUBLIC key, caches it on
// disk, and relays it to its own data planes through a loopback endpoint, as the centre's control
// plane does from its store. When the centre is down it keeps relaying the last verified version;
// the data planes serve on it until its validUntil, then refuse (Server.ServerProxy.OutdatedGlobalConf).
//
// The centre's public key is given as a file (`--snapshot-key`, the centre's
// keys/snapshot-signing.pub.pem) and pinned in the province's data directory on first use, rather
// than fetched from the centre: the key is what makes a snapshot trustworthy, so it must not come
// over the channel whose content it checks, and a pinned copy lets the node restart on its cache
// while the centre is unreachable.
import path from 'node:path';
import { createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import type { Logger } from 'pino';
import { Registry as MetricsRegistry } from 'prom-client';
import { Errors, fail } from '../errors/catalogue.ts';
import { fileExists } from '../files/exists.ts';
import { loadOrCreateNodeKeys, type NodeKeys } from '../keys/node-keys.ts';
import { SnapshotFetcher } from '../snapshot/fetcher.ts';
import { SNAPSHOT_PATH, servedSnapshot, startSnapshotEndpoint, type ServedSnapshot } from '../snapshot/endpoint.ts';
import type { NodeConfig, PeerNode } from './config.ts';
import { NodeClient } from './node-client.ts';
import { ensureNodeIdentity, type NodeIdentity } from './node-identity.ts';
import { nodeCertDirOf } from './node-tls.ts';
import { snapshotCacheDir } from './data-plane.ts';
import type { RegistryDb } from '../store/database.ts';
import type { SignedSnapshot } from '../snapshot/document.ts';

/** Where the centre's snapshot public key is pinned. */
export function pinnedSnapshotKeyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'central-snapshot.pub.pem');
}

export interface ProvincialControlPlane {
  keys: NodeKeys;
  identity: NodeIdentity;
  central: PeerNode;
  /** The centre's snapshot public key: what the local data planes verify with too. */
  snapshotVerifyKey: KeyObject;
  /** Where local data planes fetch the relayed snapshot: loopback. */
  snapshotUrl: string;
  /** The version relayed, for the admin API. */
  relayed(): ServedSnapshot | undefined;
  /** The centre-fetch metrics (tabadol_central_snapshot_*), Prometheus text. */
  centreMetricsText(): Promise<string>;
  /** Fetches from the centre now. */
  poll(): Promise<void>;
  close(): Promise<void>;
}

/** A province never issues its own node certificate or writes a registry: its identity is the one
 * the centre issued (`tabadol node-cert issue <id> --out DIR` on the centre, installed in DATA/tls/node/). */
export const NO_REGISTRY: { db: RegistryDb; signingKey: KeyObject } = {
  get db(): RegistryDb { return fail(Errors.NodeStartFailed, 'a provincial node owns no registry: its node certificate is issued on the central node'); },
  get signingKey(): KeyObject { return fail(Errors.NodeStartFailed, 'a provincial node owns no registry: its node certificate is issued on the central node'); },
};

/** Temp file then rename(2): a crash leaves the old pin or the new one, whole. */
async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await rename(temp, file);
}

export async function provincialIdentity(config: NodeConfig): Promise<NodeIdentity> {
  const dir = nodeCertDirOf(config.dataDir);
  if (!(await fileExists(path.join(dir, 'cert.pem')))) {
    fail(Errors.NodeStartFailed, `no node certificate in ${dir}: issue one on the central node with tabadol node-cert issue ${config.nodeId} --out DIR and install it there`);
  }
  return ensureNodeIdentity(config, NO_REGISTRY);
}

/** The centre's snapshot key: the file given now (pinned for later starts), else the pinned one. */
async function centreSnapshotKey(config: NodeConfig, log: Logger): Promise<KeyObject> {
  const pinned = pinnedSnapshotKeyFile(config.dataDir);
  if (config.snapshotKeyFile !== null) {
    const text = await readFile(config.snapshotKeyFile, 'utf8').catch((e: Error) => fail(Errors.NodeStartFailed, `cannot read --snapshot-key ${config.snapshotKeyFile}: ${e.message}`));
    let key: KeyObject;
    try {
      key = createPublicKey(text);
    } catch (e) {
      return fail(Errors.NodeStartFailed, `--snapshot-key ${config.snapshotKeyFile} is not a public key in PEM`, e);
    }
    const pem = key.export({ type: 'spki', format: 'pem' }).toString();
    const before = await fileExists(pinned) ? await readFile(pinned, 'utf8') : undefined;
    if (before !== pem) {
      await mkdir(path.dirname(pinned), { recursive: true, mode: 0o700 });
      await writeAtomic(pinned, pem, 0o644);
      log.warn({ file: pinned, replaced: before !== undefined }, 'the central node\'s snapshot key pinned from --snapshot-key');
    }
    return key;
  }
  if (!(await fileExists(pinned))) fail(Errors.NodeStartFailed, `no central snapshot key: start once with --snapshot-key FILE (the centre's keys/snapshot-signing.pub.pem); it is then kept in ${pinned}`);
  return createPublicKey(await readFile(pinned, 'utf8'));
}

/** @param onSnapshot each snapshot the centre gave, once verified (a primary's own copy follows it). */
export async function startProvincialControlPlane(config: NodeConfig, log: Logger, revokedSerials: () => ReadonlySet<string> | undefined,
  onSnapshot?: (signed: SignedSnapshot) => void): Promise<ProvincialControlPlane> {
  const central = config.centralNode ?? fail(Errors.InvalidInput, 'a provincial node needs its central node: --central-node-id and --central-node-url');
  const keys = await loadOrCreateNodeKeys(config.dataDir);
  const identity = await provincialIdentity(config);
  const snapshotVerifyKey = await centreSnapshotKey(config, log);
  const client = new NodeClient({ identity, revokedSerials });
  let relay: ServedSnapshot | undefined;
  const centreMetrics = new MetricsRegistry();
  const fetcher = await SnapshotFetcher.start({
    source: {
      url: new URL(SNAPSHOT_PATH, central.url).toString(), verifyKey: snapshotVerifyKey,
      cacheDir: snapshotCacheDir(config.dataDir), cacheName: 'central', dispatcher: client.agentFor(central.nodeId),
    },
    intervalMs: config.snapshotPollMs,
    log: log.child({ source: `central node ${central.nodeId}` }),
    now: config.now,
    // Verified by the fetcher with the centre's key; relayed as it came, signature and all.
    accept: (signed, doc) => { relay = servedSnapshot(signed, doc.validUntil); onSnapshot?.(signed); },
    metrics: centreMetrics,
  });
  if (!relay) log.warn({ central: central.nodeId }, 'no snapshot from the central node yet and none cached: exchanges are refused until one arrives');
  const endpoint = await startSnapshotEndpoint(() => relay);
  log.info({ central: central.nodeId, url: central.url, version: fetcher.version }, 'provincial node: snapshots from the central node');
  return {
    keys, identity, central, snapshotVerifyKey,
    snapshotUrl: endpoint.url,
    relayed: () => relay,
    // The same gauges as a data plane's, renamed: what the centre last gave, not what loopback did.
    centreMetricsText: async () => (await centreMetrics.metrics()).replace(/tabadol_snapshot_/g, 'tabadol_central_snapshot_'),
    poll: () => fetcher.poll(),
    async close() {
      fetcher.stop();
      await endpoint.close();
      await client.close();
    },
  };
}
