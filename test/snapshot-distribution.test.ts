// The planes apart: a data plane runs only on a snapshot it fetched over HTTP and verified with the
// snapshot public key. It refuses bad signatures, snapshots signed with the record key, older
// versions and other content under its version; it keeps serving when its source is gone, starts
// from its disk cache, and refuses as outdated once the snapshot expires. A data directory from
// before the keys were separated upgrades itself; worker processes never open the registry.
import os from 'node:os';
import path from 'node:path';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, readdir, readlink, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { pino, type Logger } from 'pino';
import { request } from 'undici';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDICIARY, SERVICE, forkNode, seedDataDir, seedRegistry, startTestNode, startTestProvider, stopProcess, waitFor } from './harness.ts';
import { defaultConfig } from '../src/node/config.ts';
import { snapshotCacheDir, startDataPlane, type DataPlane } from '../src/node/data-plane.ts';
import { ephemeralNodeKeys, loadOrCreateNodeKeys } from '../src/keys/node-keys.ts';
import { openRegistryStore } from '../src/store/database.ts';
import { Registry } from '../src/registry/registry.ts';
import { recordKeysOf, recordKeysSetting } from '../src/registry/node-record-keys.ts';
import { latestSnapshot } from '../src/snapshot/publish.ts';
import { signSnapshot, verifySnapshot } from '../src/snapshot/signature.ts';
import { servedSnapshot, startSnapshotEndpoint, type ServedSnapshot, type SnapshotEndpoint } from '../src/snapshot/endpoint.ts';
import type { SignedSnapshot, SnapshotDocument } from '../src/snapshot/document.ts';
import { auditVerify } from '../src/cli/audit-commands.ts';
import { recordsFile } from '../src/records/record-store.ts';

const HOUR = 3600_000;

function capturingLog(): { log: Logger; lines: () => { msg: string; level: number }[] } {
  const out: string[] = [];
  const stream = new Writable({ write(chunk: Buffer, _e, cb) { out.push(chunk.toString()); cb(); } });
  return { log: pino({ level: 'info' }, stream), lines: () => out.join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { msg: string; level: number }) };
}

async function metric(dp: DataPlane, name: string): Promise<number | undefined> {
  const text = await dp.metrics.registry.metrics();
  const m = new RegExp(`^${name.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text);
  return m ? Number(m[1]) : undefined;
}

async function call(dp: DataPlane): Promise<{ status: number; error: string | undefined }> {
  const res = await request(`http://127.0.0.1:${dp.ports.http}/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY } });
  await res.body.text();
  return { status: res.statusCode, error: res.headers['x-road-error'] as string | undefined };
}

describe('a data plane fed by a snapshot endpoint', () => {
  let dataDir: string;
  let provider: Awaited<ReturnType<typeof startTestProvider>>;
  const snapshotKey = generateKeyPairSync('ed25519');
  const recordKeys = ephemeralNodeKeys();
  let base: SnapshotDocument;
  let clock = Date.now();
  let offered: ServedSnapshot | undefined;
  let endpoint: SnapshotEndpoint;
  let dp: DataPlane;
  const captured = capturingLog();

  const make = (version: number, o: Partial<SnapshotDocument> = {}, key = snapshotKey.privateKey): SignedSnapshot =>
    signSnapshot({ ...base, version, createdAt: new Date(clock).toISOString(), validUntil: new Date(clock + HOUR).toISOString(), ...o }, key);
  const offer = (s: SignedSnapshot) => { offered = servedSnapshot(s, (JSON.parse(s.document) as SnapshotDocument).validUntil); };
  const config = () => defaultConfig({
    dataDir, adminPort: 0, tlsPort: null, httpPort: 0, checkpointIntervalMs: 0, snapshotPollMs: 60_000, logLevel: 'silent', now: () => clock,
  });
  const start = (url: string) => startDataPlane(config(), recordKeys, { url, verifyKey: snapshotKey.publicKey, cacheDir: snapshotCacheDir(dataDir) }, captured.log);

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-snapdist-'));
    provider = await startTestProvider();
    // The registry's content, as its publisher would compile it; this test signs versions of it.
    const store = await openRegistryStore(':memory:');
    const registry = new Registry(store.db, { instance: 'IR', nodeId: 'central', signingKey: snapshotKey.privateKey, validityMs: HOUR, now: () => new Date() });
    await seedRegistry({ registry }, provider.baseUrl);
    base = JSON.parse((await latestSnapshot(store.db))!.document) as SnapshotDocument;
    await store.close();
    // The test's clock starts after the rights it granted begin.
    clock = Date.now() + 1000;
    offer(make(2));
    endpoint = await startSnapshotEndpoint(() => offered);
    dp = await start(endpoint.url);
  });
  afterAll(async () => {
    await dp.close();
    await endpoint.close();
    await provider.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('answers with the signed text, a strong ETag and 304 for If-None-Match; other methods and paths are coded refusals', async () => {
    const res = await request(endpoint.url);
    const body = await res.body.json() as { version: number; document: string; signature: string; validUntil: string };
    expect(res.statusCode).toBe(200);
    expect(body.version).toBe(2);
    expect(body.document).toBe(offered!.signed.document);
    expect(verifySnapshot(body, snapshotKey.publicKey).version).toBe(2);
    const etag = res.headers.etag as string;
    const again = await request(endpoint.url, { headers: { 'if-none-match': etag } });
    await again.body.text();
    expect(again.statusCode).toBe(304);
    const post = await request(endpoint.url, { method: 'POST' });
    expect(post.statusCode).toBe(405);
    expect((await post.body.json() as { type: string }).type).toBe('Admin.MethodNotAllowed');
    const other = await request(endpoint.url.replace('/v1/snapshot', '/v1/other'));
    expect(other.statusCode).toBe(404);
    await other.body.text();
  });

  it('serves the fetched version', async () => {
    expect(dp.snapshots.version).toBe(2);
    expect((await call(dp)).status).toBe(200);
  });

  it('rejects a snapshot whose signature does not verify, and keeps the one it has', async () => {
    const good = make(3);
    offer({ ...good, document: good.document.replace('"IR"', '"XX"') });
    await dp.syncSnapshot();
    expect(dp.snapshots.version).toBe(2);
    expect(await metric(dp, 'tabadol_snapshot_fetch_failures_total{reason="invalid"}')).toBe(1);
    expect((await call(dp)).status).toBe(200);
  });

  it('rejects a snapshot signed with the record key: a data plane taken over cannot forge one', async () => {
    const forged = make(4, {}, recordKeys.signingKey);
    // A genuine signature by the record key: with one key for both, as before, it would be taken.
    expect(verifySnapshot(forged, recordKeys.verifyKey).version).toBe(4);
    offer(forged);
    await dp.syncSnapshot();
    expect(dp.snapshots.version).toBe(2);
    expect(await metric(dp, 'tabadol_snapshot_fetch_failures_total{reason="invalid"}')).toBe(2);
  });

  it('rejects an older version, and other content under the version it holds', async () => {
    offer(make(1));
    await dp.syncSnapshot();
    expect(dp.snapshots.version).toBe(2);
    offer(make(2, { createdAt: new Date(clock - 1).toISOString() }));
    await dp.syncSnapshot();
    expect(dp.snapshots.version).toBe(2);
    expect(await metric(dp, 'tabadol_snapshot_fetch_failures_total{reason="rollback"}')).toBe(2);
    expect(captured.lines().filter((l) => l.msg.startsWith('snapshot refused'))).toHaveLength(4);
  });

  it('takes a newer valid version and caches it on disk', async () => {
    offer(make(5));
    await dp.syncSnapshot();
    expect(dp.snapshots.version).toBe(5);
    const cached = JSON.parse(await readFile(path.join(snapshotCacheDir(dataDir), 'central-0.json'), 'utf8')) as SignedSnapshot;
    expect(cached.version).toBe(5);
    expect(await metric(dp, 'tabadol_snapshot_last_fetch_timestamp_seconds')).toBe(clock / 1000);
  });

  it('keeps serving when its source is gone, and a restarted data plane serves from the disk cache', async () => {
    await endpoint.close();
    clock += 60_000;
    await dp.syncSnapshot();
    expect(dp.snapshots.version).toBe(5);
    expect((await call(dp)).status).toBe(200);
    expect(await metric(dp, 'tabadol_snapshot_fetch_failures_total{reason="unreachable"}')).toBe(1);
    expect(captured.lines().some((l) => l.msg === 'snapshot source unreachable: serving the held snapshot until it expires')).toBe(true);

    await dp.close();
    dp = await start(endpoint.url);
    expect(dp.snapshots.version).toBe(5);
    expect((await call(dp)).status).toBe(200);
    expect(await metric(dp, 'tabadol_snapshot_expires_in_seconds')).toBe((HOUR - 60_000) / 1000);
  });

  it('refuses every exchange as OutdatedGlobalConf once the snapshot expires, and says so in its log and metrics', async () => {
    clock += HOUR;
    expect(await call(dp)).toEqual({ status: 500, error: 'Server.ServerProxy.OutdatedGlobalConf' });
    await dp.syncSnapshot();
    expect(captured.lines().some((l) => l.level >= 50 && l.msg.startsWith('snapshot expired'))).toBe(true);
    expect(await metric(dp, 'tabadol_snapshot_expires_in_seconds')).toBeLessThan(0);
  });
});

describe('a data directory from before the keys were separated', () => {
  let dataDir: string;
  let provider: Awaited<ReturnType<typeof startTestProvider>>;
  let oldVersion: number;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-upgrade-'));
    provider = await startTestProvider();
    // The old layout: one key, node-signing, signed the snapshots and the checkpoints.
    const keys = await loadOrCreateNodeKeys(dataDir);
    const store = await openRegistryStore(dataDir);
    const registry = new Registry(store.db, { instance: 'IR', nodeId: 'central', signingKey: keys.signingKey, validityMs: HOUR, now: () => new Date() });
    await seedRegistry({ registry }, provider.baseUrl);
    oldVersion = (await latestSnapshot(store.db))!.version;
    await store.close();
  });
  afterAll(async () => {
    await provider.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('gets a snapshot key on first start, publishes with it and serves; older versions verify with the old key', async () => {
    const t = await startTestNode({ dataDir });
    try {
      expect((await t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY } })).status).toBe(200);
      const snapshotPub = createPublicKey(await readFile(path.join(dataDir, 'keys', 'snapshot-signing.pub.pem'), 'utf8'));
      const recordPub = t.node.keys.verifyKey;
      expect(t.node.snapshots.version).toBeGreaterThan(oldVersion);
      const latest = (await latestSnapshot(t.node.registry.db))!;
      expect(verifySnapshot(latest, snapshotPub).version).toBe(t.node.snapshots.version);
      expect(() => verifySnapshot(latest, recordPub)).toThrow(/signature/);
      const old = await t.node.registry.db.selectFrom('snapshots').select(['version', 'document', 'signature']).where('version', '=', oldVersion).executeTakeFirstOrThrow();
      expect(verifySnapshot(old, recordPub).version).toBe(oldVersion);
      // The record key, registered for the auditor.
      const registered = await recordKeysOf(t.node.registry.db, 'central');
      expect(registered.map((k) => k.publicKey)).toEqual([t.node.keys.verifyKeyPem]);
    } finally {
      await t.close();
    }
  });

  it('is audited against the record key the registry holds for the node', async () => {
    const records = recordsFile(dataDir);
    const registryFile = path.join(dataDir, 'registry.db');
    const report = await auditVerify({ records, publicKey: '/nonexistent', registry: registryFile });
    expect(report.ok).toBe(true);
    expect(report.chains[0]!.checkpoints).toBeGreaterThan(0);
    // A registry that holds another key for the node: the checkpoints do not verify against it.
    const db = new Database(registryFile);
    const other = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'pem' }).toString();
    db.prepare('update settings set value = ? where key = ?').run(JSON.stringify([{ publicKey: other, keyId: 'x', registeredAt: new Date().toISOString() }]), recordKeysSetting('central'));
    db.close();
    const refused = await auditVerify({ records, publicKey: '/nonexistent', registry: registryFile });
    expect(refused.ok).toBe(false);
    await expect(auditVerify({ records, publicKey: '/nonexistent', registry: registryFile, node: 'tabriz' })).rejects.toThrow(/no record key for node tabriz/);
  });
});

describe.skipIf(process.platform !== 'linux')('a node with two data-plane workers', () => {
  let dataDir: string;
  let provider: Awaited<ReturnType<typeof startTestProvider>>;

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-workers-'));
    provider = await startTestProvider();
    await seedDataDir(dataDir, provider.baseUrl);
  });
  afterAll(async () => {
    await provider.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('runs workers that serve from fetched snapshots without ever opening the registry database', async () => {
    const node = await forkNode(dataDir, 2);
    try {
      const res = await request(`http://127.0.0.1:${node.ports.http}/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY } });
      await res.body.text();
      expect(res.statusCode).toBe(200);
      // Each worker keeps its own cached copy.
      const cache = await waitFor('both workers\' snapshot caches', async () => {
        const names = (await readdir(snapshotCacheDir(dataDir))).filter((n) => n.endsWith('.json')).sort();
        return names.length === 2 ? names : undefined;
      });
      expect(cache).toEqual(['central-0.json', 'central-1.json']);
      for (const pid of node.pids) {
        const fds = await readdir(`/proc/${pid}/fd`);
        const files = await Promise.all(fds.map((fd) => readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));
        expect(files.filter((f) => f.includes('registry.db'))).toEqual([]);
        expect(files.some((f) => f.endsWith('records.db'))).toBe(true);
      }
    } finally {
      await stopProcess(node.child);
    }
  });
});
