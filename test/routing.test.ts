// Routing between nodes: two real nodes in one test process, a centre and the province p23, node
// certificates from one CA (test/two-nodes.ts), node ports on 127.0.0.1. Both run on one snapshot
// document that lists both nodes and homes the person service on p23 and a second service on the
// centre; the test signs that document with each node's own snapshot key and loads it into each
// node's snapshot holder at a version above anything their registries publish (a stand-in for a
// province running on the centre's snapshot, which is registry and snapshot-distribution work).
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JUDICIARY, POLICE, SERVICE, seedRegistry, startTestProvider, waitFor, type TestNode } from './harness.ts';
import { loadSigned, makeExchange, nodeUrl, recordsOf, startCentre, startProvince, type Exchange } from './two-nodes.ts';
import type { SnapshotDocument } from '../src/snapshot/document.ts';
import { initCa, loadCa } from '../src/identity/ca.ts';
import { issueNodeCertificate } from '../src/identity/node-certificates.ts';
import { issueSubsystemCertificate } from '../src/identity/certificates.ts';
import { routedChainId } from '../src/node/exchange-routes.ts';

const LOCAL = 'IR/GOV/NOCR/identity/local';
const CITIZEN_PATH = '/persons/0012345679';

const ctx = {} as { x: Exchange; centre: TestNode; province: TestNode; provider: Awaited<ReturnType<typeof startTestProvider>>; version: number };
const closers: (() => Promise<void>)[] = [];

/** The document both nodes run on; `forProvince` edits the province's copy only. */
async function shareSnapshot(forProvince: (doc: SnapshotDocument) => void = () => {}): Promise<void> {
  const doc = structuredClone(ctx.centre.node.snapshots.current!.doc);
  ctx.version = Math.max(ctx.version ?? 0, ctx.centre.node.snapshots.version, ctx.province.node.snapshots.version) + 1000;
  doc.version = ctx.version;
  doc.nodes = [
    { id: 'central', role: 'central', province: null, url: nodeUrl(ctx.centre) },
    { id: 'p23', role: 'provincial', province: '23', url: nodeUrl(ctx.province) },
  ];
  const person = doc.services.find((s) => s.id === SERVICE)!;
  person.node = 'p23';
  doc.services.push({ ...person, id: LOCAL, serviceCode: 'local', node: 'central' });
  const judiciary = doc.accessRights.find((r) => r.subjectId === JUDICIARY && r.serviceId === SERVICE)!;
  doc.accessRights.push({ ...judiciary, id: 90_001, serviceId: LOCAL });
  const provinceDoc = structuredClone(doc);
  forProvince(provinceDoc);
  await loadSigned([[ctx.centre, doc], [ctx.province, provinceDoc]]);
}

beforeAll(async () => {
  ctx.x = await makeExchange();
  ctx.provider = await startTestProvider();
  ctx.centre = await startCentre(ctx.x);
  ctx.province = await startProvince(ctx.x, {});
  for (const t of [ctx.centre, ctx.province]) {
    await seedRegistry(t.node, ctx.provider.baseUrl);
    await t.sync();
  }
  await shareSnapshot();
});
afterAll(async () => {
  for (const c of closers) await c();
  await ctx.province?.close();
  await ctx.centre?.close();
  await ctx.provider?.close();
  await ctx.x?.cleanup();
});
beforeEach(() => ctx.provider.reset());

/** A call to the province's exchange route as a node (or not) would make it, bypassing the centre's pipeline. */
async function forward(connect: { cert?: string; key?: string; ca: string }, headers: Record<string, string>, signal?: AbortSignal) {
  const agent = new Agent({ connect: { ...connect, checkServerIdentity: () => undefined } });
  closers.push(() => agent.close());
  const res = await request(`${nodeUrl(ctx.province)}/node/v1/exchange/r1/${SERVICE}${CITIZEN_PATH}`, {
    dispatcher: agent, signal,
    headers: { 'x-road-id': `IR-${randomUUID()}`, 'x-road-request-id': randomUUID(), 'x-road-request-hash': 'A'.repeat(86) + '==', ...headers },
  });
  return { status: res.statusCode, error: res.headers['x-road-error'], text: await res.body.text() };
}

describe('routing an exchange to the service\'s home node', () => {
  it('sends an inquiry for a service homed on the other node there, where it is answered; both nodes record it with the same X-Road-Id, request id and request hash', async () => {
    const xroadId = `IR-${randomUUID()}`;
    const res = await ctx.centre.http(`/r1/${SERVICE}${CITIZEN_PATH}`, { headers: { 'X-Road-Client': JUDICIARY, 'X-Road-Id': xroadId, 'X-Road-UserId': 'judge-1' } });
    expect(res.status).toBe(200);
    expect(res.json()).toEqual({ nationalCode: '0012345679', firstName: 'علی', lastName: 'رضایی' });
    expect(ctx.provider.calls).toHaveLength(1);
    // The provider sees the verified caller and the X-Road ids, as from a node of its own.
    expect(ctx.provider.calls[0]!.headers['x-road-client']).toBe(JUDICIARY);
    expect(ctx.provider.calls[0]!.headers['x-road-id']).toBe(xroadId);
    expect(ctx.provider.calls[0]!.headers['x-road-request-hash']).toBeUndefined();

    const consumerSide = recordsOf(ctx.centre, xroadId);
    const providerSide = recordsOf(ctx.province, xroadId);
    expect(consumerSide).toHaveLength(1);
    expect(providerSide).toHaveLength(1);
    expect(consumerSide[0]!.chain_id).toBe('central/0');
    expect(providerSide[0]!.chain_id).toBe(routedChainId('p23'));
    for (const r of [...consumerSide, ...providerSide]) {
      expect(r).toMatchObject({ xroad_id: xroadId, client: JUDICIARY, status: 200, error_type: null });
      expect(r.request_id).toBe(res.headers['x-road-request-id']);
      expect(r.request_hash).toBe(res.headers['x-road-request-hash']);
    }
  });

  it('answers an inquiry for a service homed on the same node without touching the other node', async () => {
    const xroadId = `IR-${randomUUID()}`;
    const res = await ctx.centre.http(`/r1/${LOCAL}${CITIZEN_PATH}`, { headers: { 'X-Road-Client': JUDICIARY, 'X-Road-Id': xroadId } });
    expect(res.status).toBe(200);
    expect(recordsOf(ctx.centre, xroadId)).toHaveLength(1);
    expect(recordsOf(ctx.province, xroadId)).toEqual([]);
  });

  it('refuses X-Road-Security-Server naming a node that does not serve the service, before anything is sent', async () => {
    const xroadId = `IR-${randomUUID()}`;
    const res = await ctx.centre.http(`/r1/${SERVICE}${CITIZEN_PATH}`, {
      headers: { 'X-Road-Client': JUDICIARY, 'X-Road-Id': xroadId, 'X-Road-Security-Server': 'IR/GOV/OPERATOR/central' },
    });
    expect(res.headers['x-road-error']).toBe('Server.ClientProxy.InvalidSecurityServer');
    expect(ctx.provider.calls).toHaveLength(0);
    expect(recordsOf(ctx.province, xroadId)).toEqual([]);
    const pinned = await ctx.centre.http(`/r1/${SERVICE}${CITIZEN_PATH}`, { headers: { 'X-Road-Client': JUDICIARY, 'X-Road-Security-Server': 'IR/GOV/OPERATOR/p23' } });
    expect(pinned.status).toBe(200);
  });

  it('the provider\'s node checks access itself: a caller without the right is refused there, even when a node forwarded it', async () => {
    // Forwarded by a node of the exchange (the centre's certificate), for the police, whose right
    // covers POST /verify only.
    const cert = await ctx.x.issue('central');
    const res = await forward({ cert: cert.certPem, key: cert.keyPem, ca: ctx.x.ca.certPem }, { 'x-road-client': POLICE, 'x-road-id': 'IR-forwarded-police' });
    expect(res.status).toBe(500);
    expect(res.error).toBe('Server.ServerProxy.AccessDenied');
    expect(ctx.provider.calls).toHaveLength(0);
    expect(recordsOf(ctx.province, 'IR-forwarded-police')).toMatchObject([{ chain_id: routedChainId('p23'), client: POLICE, error_type: 'Server.ServerProxy.AccessDenied' }]);
  });

  it('relays the provider node\'s refusal to the caller when the two nodes\' rights differ', async () => {
    // The centre's copy lets the police call the whole service; the province's does not.
    const withoutPoliceRight = (doc: SnapshotDocument) => { doc.accessRights = doc.accessRights.filter((r) => r.id !== 90_002); };
    const centreDoc = ctx.centre.node.snapshots.current!.doc;
    const police = centreDoc.accessRights.find((r) => r.subjectId === POLICE && r.serviceId === SERVICE)!;
    const before = ctx.centre.node.snapshots.current!.doc.accessRights;
    before.push({ ...police, id: 90_002, method: null, path: null });
    try {
      await shareSnapshot(withoutPoliceRight);
    } finally {
      before.pop();
    }
    const xroadId = `IR-${randomUUID()}`;
    const res = await ctx.centre.http(`/r1/${SERVICE}${CITIZEN_PATH}`, { headers: { 'X-Road-Client': POLICE, 'X-Road-Id': xroadId } });
    expect(res.status).toBe(500);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
    expect(ctx.provider.calls).toHaveLength(0);
    expect(recordsOf(ctx.centre, xroadId)).toMatchObject([{ error_type: 'Server.ServerProxy.AccessDenied' }]);
    expect(recordsOf(ctx.province, xroadId)).toMatchObject([{ error_type: 'Server.ServerProxy.AccessDenied' }]);
    await shareSnapshot();
  });

  it('refuses the exchange route to a subsystem\'s certificate, to a caller without a certificate, and to a node certificate of another CA', async () => {
    const subsystem = await issueSubsystemCertificate(ctx.x.ca, JUDICIARY);
    const bySubsystem = await forward({ cert: subsystem.certPem, key: subsystem.keyPem, ca: ctx.x.ca.certPem }, { 'x-road-client': JUDICIARY, 'x-road-id': 'IR-by-subsystem' });
    expect(bySubsystem.status).toBe(403);
    expect(bySubsystem.error).toBe('Node.PeerRefused');

    const handshakeRefused = (p: Promise<unknown>) => p.then(() => 'answered', () => 'refused');
    expect(await handshakeRefused(forward({ ca: ctx.x.ca.certPem }, { 'x-road-client': JUDICIARY, 'x-road-id': 'IR-no-cert' }))).toBe('refused');

    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-other-ca-'));
    closers.push(() => rm(otherDir, { recursive: true, force: true }));
    await initCa(otherDir, { instance: 'IR' });
    const forged = await issueNodeCertificate(await loadCa(otherDir), 'central');
    expect(await handshakeRefused(forward({ cert: forged.certPem, key: forged.keyPem, ca: ctx.x.ca.certPem }, { 'x-road-client': JUDICIARY, 'x-road-id': 'IR-forged' }))).toBe('refused');

    expect(ctx.provider.calls).toHaveLength(0);
    for (const id of ['IR-by-subsystem', 'IR-no-cert', 'IR-forged']) expect(recordsOf(ctx.province, id)).toEqual([]);
  });

  it('keeps the provider node\'s record when the consumer\'s node goes away mid-exchange', async () => {
    let release: (() => void) | undefined;
    ctx.provider.set((_req, _body, res) => {
      release = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ nationalCode: '0012345679', firstName: 'علی', lastName: 'رضایی' }));
      };
    });
    const cert = await ctx.x.issue('central');
    const abort = new AbortController();
    const call = forward({ cert: cert.certPem, key: cert.keyPem, ca: ctx.x.ca.certPem }, { 'x-road-client': JUDICIARY, 'x-road-id': 'IR-consumer-gone' }, abort.signal)
      .then(() => 'answered', () => 'gone');
    await waitFor('the provider to be called', () => release !== undefined);
    // The consumer's connection is cut while the provider works, as a killed node's would be.
    abort.abort();
    expect(await call).toBe('gone');
    release!();
    const rows = await waitFor('the provider node\'s record', () => {
      const r = recordsOf(ctx.province, 'IR-consumer-gone');
      return r.length > 0 ? r : undefined;
    });
    expect(rows).toMatchObject([{ chain_id: routedChainId('p23'), client: JUDICIARY, status: 200, error_type: null }]);
  });
});
