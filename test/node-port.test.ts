// The node-to-node port: mutual TLS where only a node certificate of this exchange's CA, bound to a
// node, in force and not revoked per the snapshot, gets an answer; and the client that refuses a
// server whose certificate names another node. Real TLS on 127.0.0.1.
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { mkdtemp, readFile } from 'node:fs/promises';
import type { TLSSocket } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { JUDICIARY, startTestNode, type TestNode, until } from './harness.ts';
import { initCa, loadCa, type Ca } from '../src/identity/ca.ts';
import { issueLeaf, issueSubsystemCertificate, type IssuedCertificate } from '../src/identity/certificates.ts';
import { issueNodeCertificate } from '../src/identity/node-certificates.ts';
import { nodeIdOfPeer, nodeUri, subsystemIdOfPeer, subsystemUri } from '../src/identity/peer.ts';
import { x509 } from '../src/identity/x509.ts';
import { parseSubsystemId } from '../src/identifiers/xroad-id.ts';
import { NodeCertificates } from '../src/registry/node-certificates.ts';
import { NodeClient } from '../src/node/node-client.ts';
import { checkPeer } from '../src/node/node-port.ts';
import { isTabadolError } from '../src/errors/catalogue.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';

const ctx = {} as { t: TestNode; ca: Ca; records: NodeCertificates; url: string };
const closers: (() => Promise<void> | void)[] = [];

beforeAll(async () => {
  ctx.t = await startTestNode({ nodePort: 0, nodeHost: '127.0.0.1' });
  ctx.ca = await loadCa(ctx.t.node.tls!.caDir);
  ctx.url = `https://127.0.0.1:${ctx.t.node.ports.node}`;
  ctx.records = new NodeCertificates(ctx.t.node.registry.db, {
    instance: 'IR', nodeId: 'central', role: 'tool', signingKey: ctx.t.node.keys.signingKey, validityMs: 24 * 3600_000, now: () => new Date(),
  });
});
afterAll(async () => {
  for (const c of closers) await c();
  await ctx.t.close();
});

/** A node certificate issued the way `tabadol node-cert issue` does it: recorded in the registry. */
async function issueRecorded(nodeId: string): Promise<IssuedCertificate> {
  const cert = await issueNodeCertificate(ctx.ca, nodeId);
  await ctx.records.record({ serial: cert.serial, nodeId, notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString() });
  return cert;
}

function clientAs(cert: IssuedCertificate): NodeClient {
  const client = new NodeClient({ identity: { certPem: cert.certPem, keyPem: cert.keyPem, caCertPem: ctx.ca.certPem } });
  closers.push(() => client.close());
  return client;
}

/** A plain mutual-TLS call that trusts the exchange CA (the server's node binding is not what these tests check). */
async function callWith(cert?: { certPem: string; keyPem: string }) {
  const agent = new Agent({ connect: { ca: ctx.ca.certPem, cert: cert?.certPem, key: cert?.keyPem, checkServerIdentity: () => undefined } });
  closers.push(() => agent.close());
  const res = await request(`${ctx.url}/node/v1/health`, { dispatcher: agent });
  return { status: res.statusCode, error: res.headers['x-road-error'], body: await res.body.json() as Record<string, unknown> };
}

/** The call fails before any HTTP answer: the handshake was refused. */
async function expectHandshakeRefused(cert?: { certPem: string; keyPem: string }) {
  const outcome = await callWith(cert).then((r) => ({ answered: r.status }), (e: unknown) => ({ failed: (e as Error).message }));
  expect(outcome).toHaveProperty('failed');
}

describe('the node-to-node port', () => {
  it('answers a peer with a valid node certificate: who this node is and what it runs on', async () => {
    const health = await clientAs(await issueRecorded('p23')).health('central', ctx.url);
    expect(health).toMatchObject({ nodeId: 'central', role: 'central', peer: 'p23', snapshot: { valid: true } });
    expect(health.snapshot!.version).toBeGreaterThan(0);
    expect(health.uptimeSeconds).toBeGreaterThanOrEqual(0);
  });

  it('refuses at the handshake a caller without a client certificate', async () => {
    await expectHandshakeRefused();
  });

  it('refuses at the handshake a self-signed certificate and a node certificate of another CA', async () => {
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-other-ca-'));
    await initCa(otherDir, { instance: 'IR' });
    // The other CA's own certificate is self-signed.
    await expectHandshakeRefused({ certPem: await readFile(path.join(otherDir, 'ca.crt.pem'), 'utf8'), keyPem: await readFile(path.join(otherDir, 'ca.key.pem'), 'utf8') });
    await expectHandshakeRefused(await issueNodeCertificate(await loadCa(otherDir), 'p23'));
  });

  it('refuses a subsystem\'s valid certificate of the same CA with a coded error', async () => {
    const res = await callWith(await issueSubsystemCertificate(ctx.ca, JUDICIARY));
    expect(res).toMatchObject({ status: 403, error: 'Node.PeerRefused' });
    expect(res.body.message).toMatch(/bound to no node/);
  });

  it('refuses an expired node certificate at the handshake', async () => {
    const expired = await issueNodeCertificate(ctx.ca, 'p05', { now: new Date(Date.now() - 3 * 24 * 3600_000), validDays: 1 });
    expect(expired.notAfter.getTime()).toBeLessThan(Date.now());
    await expectHandshakeRefused(expired);
  });

  it('refuses a certificate that expires during a kept-alive connection', () => {
    const cert = new X509Certificate(ctx.t.node.tls!.serverCertPem); // any certificate: only the binding and dates are read
    const legacy = { ...cert.toLegacyObject(), subjectaltname: `URI:${nodeUri('p07')}`, ext_key_usage: ['1.3.6.1.5.5.7.3.1', '1.3.6.1.5.5.7.3.2'] };
    const socket = { authorized: true, getPeerCertificate: () => legacy } as unknown as TLSSocket;
    const end = Date.parse(legacy.valid_to);
    expect(checkPeer(socket, ctx.t.node.snapshots, end - 1000).nodeId).toBe('p07');
    expect(() => checkPeer(socket, ctx.t.node.snapshots, end + 1000)).toThrow(/has expired/);
  });

  it('refuses a revoked node certificate once the snapshot with the revocation loads, on a kept-alive connection too', async () => {
    const cert = await issueRecorded('p11');
    const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca: ctx.ca.certPem, cert: cert.certPem, key: cert.keyPem, checkServerIdentity: () => undefined });
    closers.push(() => agent.destroy());
    const first = await get(agent);
    expect(first).toMatchObject({ status: 200, reused: false });

    // Revoked by another process (as `tabadol node-cert revoke` does): the node learns it from its snapshot.
    await ctx.records.revoke(cert.serial, 'cli', 'key lost');
    const refused = await until(() => get(agent), (r) => r.status !== 200);
    expect(refused).toEqual({ status: 403, error: 'Node.PeerRefused', reused: true });
    expect(ctx.t.node.snapshots.current!.revokedSerials.has(cert.serial)).toBe(true);

    const fresh = new https.Agent({ ca: ctx.ca.certPem, cert: cert.certPem, key: cert.keyPem, checkServerIdentity: () => undefined });
    closers.push(() => fresh.destroy());
    expect(await get(fresh)).toEqual({ status: 403, error: 'Node.PeerRefused', reused: false });
    // Another certificate of the same node (a renewal) is accepted.
    expect((await clientAs(await issueRecorded('p11')).health('central', ctx.url)).peer).toBe('p11');
  });

  it('answers an unknown route to an authenticated peer with a coded 404', async () => {
    const res = await clientAs(await issueRecorded('p02')).request('central', ctx.url, '/node/v1/nothing');
    expect(res.statusCode).toBe(404);
    expect(res.headers['x-road-error']).toBe('Node.NotFound');
    await res.body.dump();
  });
});

describe('the client for peers', () => {
  it('refuses a server whose certificate names another node than the one it meant to call', async () => {
    const client = clientAs(await issueRecorded('p30'));
    const e = await client.health('p23', ctx.url).then(() => undefined, (err: unknown) => err);
    expect(isTabadolError(e) && e.type).toBe('Node.PeerMismatch');
    expect((e as Error).message).toContain('bound to central');
  });

  it('refuses a server whose node certificate is revoked per its own snapshot', async () => {
    const serverSerial = new X509Certificate(await readFile(path.join(ctx.t.dataDir, 'tls', 'node', 'cert.pem'), 'utf8')).serialNumber.toUpperCase();
    const mine = await issueRecorded('p29');
    const client = new NodeClient({ identity: { certPem: mine.certPem, keyPem: mine.keyPem, caCertPem: ctx.ca.certPem }, revokedSerials: () => new Set([serverSerial.replace(/^0+/, '')]) });
    closers.push(() => client.close());
    const e = await client.health('central', ctx.url).then(() => undefined, (err: unknown) => err);
    expect(isTabadolError(e) && e.type).toBe('Node.PeerMismatch');
  });
});

describe('tabadol node-cert', () => {
  it('issues a certificate the node port accepts, lists it, and revokes it so that the port refuses it', async () => {
    const dataDir = ctx.t.dataDir;
    const out = await mkdtemp(path.join(os.tmpdir(), 'tabadol-node-cert-'));
    const issued = await tabadolInProcess(['--data', dataDir, 'node-cert', 'issue', 'p17', '--out', out]);
    expect(issued.code, issued.stderr).toBe(0);
    const { serial, certPath, keyPath, caPath } = JSON.parse(issued.stdout) as Record<string, string>;
    expect(await readFile(caPath!, 'utf8')).toBe(ctx.ca.certPem);
    const files = { certPem: await readFile(certPath!, 'utf8'), keyPem: await readFile(keyPath!, 'utf8') };
    expect((await callWith(files)).body.peer).toBe('p17');

    const listed = JSON.parse((await tabadolInProcess(['--data', dataDir, 'node-cert', 'list', '--node', 'p17'])).stdout) as { serial: string; revoked_at: string | null }[];
    expect(listed).toEqual([expect.objectContaining({ serial, node_id: 'p17', revoked_at: null })]);

    // Bad input is refused with a coded error.
    expect((await tabadolInProcess(['--data', dataDir, 'node-cert', 'revoke', '--serial', 'not-hex'])).stderr).toContain('Admin.InvalidInput');
    expect((await tabadolInProcess(['--data', dataDir, 'node-cert', 'issue', 'a/b'])).stderr).toContain('Admin.InvalidInput');
    const revoked = await tabadolInProcess(['--data', dataDir, 'node-cert', 'revoke', '--serial', serial!, '--reason', 'decommissioned']);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect((await tabadolInProcess(['--data', dataDir, 'node-cert', 'revoke', '--serial', serial!])).stderr).toContain('Admin.Conflict');
    const refused = await until(() => callWith(files), (r) => r.status !== 200);
    expect(refused).toMatchObject({ status: 403, error: 'Node.PeerRefused' });
  });
});

describe('the two bindings', () => {
  it('a certificate carrying both a node and a subsystem binding passes as neither', async () => {
    const both = await issueLeaf(ctx.ca, new x509.Name([{ CN: [{ utf8String: 'p23' }] }]),
      [{ type: 'url', value: nodeUri('p23') }, { type: 'url', value: subsystemUri(parseSubsystemId(JUDICIARY)) }],
      [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth], {});
    const legacy = new X509Certificate(both.certPem).toLegacyObject();
    expect(nodeIdOfPeer(legacy)).toBeUndefined();
    expect(subsystemIdOfPeer(legacy)).toBeUndefined();
    // Each kind alone reads as itself only.
    const node = new X509Certificate((await issueNodeCertificate(ctx.ca, 'p23')).certPem).toLegacyObject();
    const sub = new X509Certificate((await issueSubsystemCertificate(ctx.ca, JUDICIARY)).certPem).toLegacyObject();
    expect([nodeIdOfPeer(node), subsystemIdOfPeer(node)]).toEqual(['p23', undefined]);
    expect([nodeIdOfPeer(sub), subsystemIdOfPeer(sub)]).toEqual([undefined, JUDICIARY]);
  });
});

/** One request on a Node https agent, telling whether it went over a kept-alive connection. */
function get(agent: https.Agent): Promise<{ status: number; error: string | undefined; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = https.request({ host: '127.0.0.1', port: ctx.t.node.ports.node!, path: '/node/v1/health', agent }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, error: res.headers['x-road-error'] as string | undefined, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}
