// A central node and a provincial node as real processes (`tabadol start --role …`), each with its own
// data directory: the province owns no registry, runs on the centre's signed snapshot fetched over the
// node port, answers inquiries for services homed on it, and keeps serving with the centre killed
// until the snapshot's validUntil, then refuses (Server.ServerProxy.OutdatedGlobalConf). A "centre"
// offering a snapshot with a bad signature is refused. `node add` keeps one node per province and
// refuses a URL that is not a node port's. The centre's statistics include the province after a pull.
import os from 'node:os';
import path from 'node:path';
import https from 'node:https';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { fork, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CLI } from './cli-entry.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { JUDICIARY, SERVICE, startTestProvider, until, waitFor } from './harness.ts';
import { seedCentreWithProvincialService } from './cluster-processes.ts';
import { initCa, loadCa } from '../src/identity/ca.ts';
import { issueNodeCertificate, writeNodeCertificate } from '../src/identity/node-certificates.ts';
import { caDirOf, nodeCertDirOf } from '../src/node/node-tls.ts';
import { snapshotVerifyKeyFile } from '../src/keys/node-keys.ts';
import { defaultConfig } from '../src/node/config.ts';
import { startProvincialControlPlane } from '../src/node/provincial-plane.ts';
import { signSnapshot } from '../src/snapshot/signature.ts';
import { servedSnapshot, snapshotHandler } from '../src/snapshot/endpoint.ts';
import type { SnapshotDocument } from '../src/snapshot/document.ts';

interface Proc { child: ChildProcess; ports: { admin: number; http: number; node: number } }

function startProcess(dataDir: string, args: string[]): Promise<Proc> {
  const child = fork(CLI.module, ['--data', dataDir, 'start', '--http-port', '0', '--no-tls', '--admin-port', '0', '--no-portal', '--node-port', '0', '--node-host', '127.0.0.1', ...args], {
    execArgv: CLI.execArgv, env: { ...process.env, TABADOL_LOG_LEVEL: 'silent' }, stdio: 'ignore',
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ports: Proc['ports'] }) => resolve({ child, ports: m.ports }));
    child.once('exit', (code) => reject(new Error(`node exited with ${code}`)));
  });
}

function freePort(): Promise<number> {
  const server = net.createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as AddressInfo).port;
    server.close(() => resolve(port));
  }));
}

async function admin(method: 'GET' | 'POST', p: string, body?: unknown) {
  const token = (await readFile(path.join(centreDir, 'keys', 'admin-token'), 'utf8')).trim();
  const res = await request(`http://127.0.0.1:${centre!.ports.admin}${p}`, {
    method, headers: { authorization: `Bearer ${token}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.statusCode, body: await res.body.json() as unknown };
}

const stop = (p: Proc | undefined) => new Promise<void>((r) => {
  if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return r();
  p.child.once('exit', () => r());
  p.child.kill('SIGTERM');
});

let root: string;
let centreDir: string;
let p23Dir: string;
let centre: Proc | undefined;
let p23: Proc | undefined;
let provider: Awaited<ReturnType<typeof startTestProvider>>;

const ask = async (id: string) => {
  const res = await request(`http://127.0.0.1:${p23!.ports.http}/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY, 'x-road-id': id } });
  return { status: res.statusCode, error: res.headers['x-road-error'], body: await res.body.text() };
};

beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'tabadol-provinces-'));
  centreDir = path.join(root, 'central');
  p23Dir = path.join(root, 'p23');
  provider = await startTestProvider();
  await initCa(caDirOf(centreDir), { instance: 'IR' });
  // The centre's registry: p23 registered (its record key, its node port at an address chosen
  // beforehand), the NOCR identity subsystem homed on it, the judiciary a consumer.
  const p23Port = await freePort();
  await seedCentreWithProvincialService(centreDir, provider.baseUrl, 2000, { dataDir: p23Dir, nodePort: p23Port });
  // The province's certificate from the centre's CA.
  const issued = await tabadolInProcess(['--data', centreDir, 'node-cert', 'issue', 'p23', '--out', nodeCertDirOf(p23Dir)]);
  expect(issued.code).toBe(0);
  centre = await startProcess(centreDir, ['--role', 'central', '--snapshot-validity', '6', '--rollup-pull-interval', '1']);
  // Published by the centre itself, so that the snapshot the province runs on has its six seconds' validity.
  const published = await admin('POST', '/v1/snapshot/publish');
  expect(published.status, JSON.stringify(published.body)).toBe(200);
  p23 = await startProcess(p23Dir, ['--role', 'provincial', '--province', '23', '--node-id', 'p23', '--node-port', String(p23Port),
    '--central-node-id', 'central', '--central-node-url', `https://127.0.0.1:${centre.ports.node}`,
    '--snapshot-key', snapshotVerifyKeyFile(centreDir), '--witness-interval', '1']);
  const kept = await tabadolInProcess(['--data', centreDir, 'node', 'remove', 'p23']);
  expect(kept.stderr).toContain('Admin.Conflict'); // subsystems are homed on it
}, 40_000);

afterAll(async () => {
  await stop(p23);
  await stop(centre);
  await provider?.close();
  if (root) await rm(root, { recursive: true, force: true });
});

describe('a provincial node', () => {
  it('starts from the centre\'s snapshot and answers for services homed on it', async () => {
    const res = await until(() => ask('p-1'), (r) => r.status === 200, 15_000);
    expect(res.status, res.body).toBe(200);
    expect(provider.calls.length).toBeGreaterThan(0);
  });

  it('node add keeps one node per province and refuses a URL that is not a node port\'s', async () => {
    const twice = await tabadolInProcess(['--data', centreDir, 'node', 'add', 'tehran-2', '--role', 'provincial', '--province', '23', '--url', 'https://127.0.0.1:5501']);
    expect(twice.code).toBe(2);
    expect(twice.stderr).toContain('Admin.Conflict');
    for (const url of ['http://127.0.0.1:5500', 'https://127.0.0.1:5500/path', 'not a url']) {
      const bad = await tabadolInProcess(['--data', centreDir, 'node', 'add', 'p07', '--role', 'provincial', '--province', '07', '--url', url]);
      expect(bad.code).toBe(2);
      expect(bad.stderr).toContain('Admin.InvalidInput');
    }
    const list = await admin('GET', '/v1/nodes');
    expect((list.body as { id: string }[]).map((n) => n.id)).toEqual(['p23']);
  });

  it('is counted in the centre\'s statistics after a pull', async () => {
    const stats = await until(() => tabadolInProcess(['--data', centreDir, 'stats', '--by', 'node', '--json']),
      (s) => s.code === 0 && s.stdout.includes('p23'), 20_000);
    expect(stats.stdout).toContain('p23');
  }, 30_000);

  it('keeps serving with the centre killed, then refuses once the snapshot expires', async () => {
    centre!.child.kill('SIGKILL');
    await waitFor('the centre gone', () => centre!.child.signalCode !== null);
    expect((await ask('p-2')).status).toBe(200);
    const refused = await until(() => ask('p-3'), (r) => r.status !== 200, 15_000);
    expect(refused.error).toBe('Server.ServerProxy.OutdatedGlobalConf');
  }, 25_000);
});

describe('a snapshot source that is not the centre', () => {
  it('refuses a snapshot whose signature does not verify with the centre\'s key', async () => {
    const ca = await loadCa(caDirOf(centreDir));
    const fakeCert = await issueNodeCertificate(ca, 'central');
    const p07Dir = path.join(root, 'p07');
    await writeNodeCertificate(nodeCertDirOf(p07Dir), await issueNodeCertificate(ca, 'p07'), ca.certPem);
    // A well-formed document signed by another key, from a server holding a centre certificate.
    const now = Date.now();
    const doc: SnapshotDocument = {
      format: 'tabadol-snapshot/1', instance: 'IR', version: 99, createdAt: new Date(now).toISOString(), validUntil: new Date(now + 3600_000).toISOString(),
      publisher: 'central', members: [], subsystems: [], services: [], groups: [], accessRights: [],
    };
    const forged = signSnapshot(doc, generateKeyPairSync('ed25519').privateKey);
    const handle = snapshotHandler(() => servedSnapshot(forged, doc.validUntil));
    const fake = https.createServer({ key: fakeCert.keyPem, cert: fakeCert.certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: true }, handle);
    await new Promise<void>((r) => fake.listen(0, '127.0.0.1', r));
    const url = `https://127.0.0.1:${(fake.address() as AddressInfo).port}`;
    const plane = await startProvincialControlPlane(defaultConfig({
      dataDir: p07Dir, nodeId: 'p07', role: 'provincial', province: '07', snapshotKeyFile: snapshotVerifyKeyFile(centreDir),
      centralNode: { nodeId: 'central', url }, snapshotPollMs: 200, logLevel: 'silent',
    }), pino({ level: 'silent' }), () => undefined);
    try {
      const metrics = await until(() => plane.centreMetricsText(), (t) => /tabadol_central_snapshot_fetch_failures_total\{reason="invalid"\} [1-9]/.test(t), 10_000);
      expect(metrics).toMatch(/tabadol_central_snapshot_fetch_failures_total\{reason="invalid"\} [1-9]/);
      expect(plane.relayed()).toBeUndefined();
    } finally {
      await plane.close();
      fake.closeAllConnections();
      await new Promise<void>((r) => fake.close(() => r()));
    }
  });
});
