// Failover among the nodes serving one provider: a centre and two provinces in one test process
// (node certificates from one CA, node ports on 127.0.0.1), running on one snapshot document in which
// the person service is served by p23 and, standing by, p07. The consumer asks at the centre.
// What must hold: the home node carries the exchange while it is up; when it cannot be reached the
// standby carries it within the same exchange, and the provider is asked once; the centre then goes
// to the standby first, and back to the home node once the home node answers its health check;
// an exchange that reached a node and failed there is never sent to a second node.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import type http from 'node:http';
import https from 'node:https';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { JUDICIARY, SERVICE, seedRegistry, startTestProvider, waitFor, type TestNode } from './harness.ts';
import { freePort } from './cluster-processes.ts';
import { loadSigned, makeExchange, nodeUrl, recordsOf, startCentre, startProvince, writeNodeCertificateFor, type Exchange } from './two-nodes.ts';
import { routedChainId } from '../src/node/exchange-routes.ts';
import type { SnapshotDocument } from '../src/snapshot/document.ts';
import { initCa, loadCa } from '../src/identity/ca.ts';
import { issueNodeCertificate } from '../src/identity/node-certificates.ts';

const CITIZEN_PATH = '/persons/0012345679';
const ctx = {} as {
  x: Exchange; p07Dir: string; p23Port: number; version: number; doc: SnapshotDocument;
  centre: TestNode; p23: TestNode | undefined; p07: TestNode; p07Closed?: boolean; provider: Awaited<ReturnType<typeof startTestProvider>>;
};

/** The document every node runs on: the person service served by p23, then p07. */
function servedDocument(): SnapshotDocument {
  const doc = structuredClone(ctx.centre.node.snapshots.current!.doc);
  ctx.version = Math.max(ctx.version ?? 0, ctx.centre.node.snapshots.version) + 1000;
  doc.version = ctx.version;
  doc.nodes = [
    { id: 'central', role: 'central', province: null, url: nodeUrl(ctx.centre) },
    { id: 'p23', role: 'provincial', province: '23', url: `https://127.0.0.1:${ctx.p23Port}` },
    { id: 'p07', role: 'provincial', province: '07', url: nodeUrl(ctx.p07) },
  ];
  const person = doc.services.find((s) => s.id === SERVICE)!;
  person.node = 'p23';
  person.standbyNodes = ['p07'];
  person.timeoutMs = 1500;
  return doc;
}

async function startP23(first: boolean): Promise<TestNode> {
  const t = await startProvince(ctx.x, { nodePort: ctx.p23Port });
  if (first) {
    await seedRegistry(t.node, ctx.provider.baseUrl);
    await t.sync();
  }
  await loadSigned([[t, ctx.doc]]);
  return t;
}

const ask = (xroadId: string, headers: Record<string, string> = {}) =>
  ctx.centre.http(`/r1/${SERVICE}${CITIZEN_PATH}`, { headers: { 'X-Road-Client': JUDICIARY, 'X-Road-Id': xroadId, ...headers } });

/** Which node's provider half recorded the exchange, or 'none'. */
function carrier(xroadId: string): string {
  const on = [ctx.p23 && recordsOf(ctx.p23, xroadId).length > 0 ? 'p23' : undefined, recordsOf(ctx.p07, xroadId).length > 0 ? 'p07' : undefined].filter(Boolean);
  return on.length === 0 ? 'none' : on.join('+');
}

const callsFor = (xroadId: string) => ctx.provider.calls.filter((c) => c.headers['x-road-id'] === xroadId).length;

beforeAll(async () => {
  ctx.x = await makeExchange();
  ctx.provider = await startTestProvider();
  ctx.p07Dir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-p07-'));
  await writeNodeCertificateFor(ctx.x, 'p07', ctx.p07Dir);
  ctx.p23Port = await freePort();
  ctx.centre = await startCentre(ctx.x);
  ctx.p07 = await startProvince(ctx.x, { dataDir: ctx.p07Dir, nodeId: 'p07' });
  for (const t of [ctx.centre, ctx.p07]) {
    await seedRegistry(t.node, ctx.provider.baseUrl);
    await t.sync();
  }
  ctx.doc = servedDocument();
  await loadSigned([[ctx.centre, ctx.doc], [ctx.p07, ctx.doc]]);
  ctx.p23 = await startP23(true);
}, 60_000);

afterAll(async () => {
  await ctx.p23?.close();
  if (!ctx.p07Closed) await ctx.p07?.close();
  await ctx.centre?.close();
  await ctx.provider?.close();
  await ctx.x?.cleanup();
  if (ctx.p07Dir) await rm(ctx.p07Dir, { recursive: true, force: true });
});
beforeEach(() => ctx.provider.reset());

describe('a provider served by several nodes', () => {
  it('is reached through its home node while the home node is up; a pin picks a standby, and a node not serving it is refused', async () => {
    const id = `IR-${randomUUID()}`;
    expect((await ask(id)).status).toBe(200);
    expect(carrier(id)).toBe('p23');
    expect(recordsOf(ctx.p23!, id)).toMatchObject([{ chain_id: routedChainId('p23'), status: 200 }]);

    const pinned = `IR-${randomUUID()}`;
    expect((await ask(pinned, { 'X-Road-Security-Server': 'IR/GOV/OPERATOR/p07' })).status).toBe(200);
    expect(carrier(pinned)).toBe('p07');

    const elsewhere = await ask(`IR-${randomUUID()}`, { 'X-Road-Security-Server': 'IR/GOV/OPERATOR/p10' });
    expect(elsewhere.headers['x-road-error']).toBe('Server.ClientProxy.InvalidSecurityServer');
    expect(elsewhere.json().message).toContain('p23, p07');
  });

  it('fails over to the standby within the exchange when the home node is down, asks the provider once, and goes back once the home node answers again', async () => {
    await ctx.p23!.close();
    ctx.p23 = undefined;
    // The first exchange finds p23 refusing connections and is carried by p07.
    const first = `IR-${randomUUID()}`;
    const res = await ask(first);
    expect(res.status).toBe(200);
    expect(res.json()).toMatchObject({ nationalCode: '0012345679' });
    expect(carrier(first)).toBe('p07');
    expect(callsFor(first)).toBe(1);
    // The centre's own record is the one answer, naming the node that carried it, with its request hash.
    expect(recordsOf(ctx.centre, first)).toMatchObject([{ status: 200, error_type: null, peer_node: 'p07', request_hash: recordsOf(ctx.p07, first)[0]!.request_hash }]);
    expect(recordsOf(ctx.p07, first)).toMatchObject([{ peer_node: 'central' }]);
    // While p23 is down, p07 carries the person service (the order itself: src/dataplane/stages/route.test.ts).
    for (let i = 0; i < 3; i++) {
      const id = `IR-${randomUUID()}`;
      expect((await ask(id)).status).toBe(200);
      expect(carrier(id)).toBe('p07');
    }
    // p23 comes back at the same address; once it answers its health check it carries again.
    ctx.p23 = await startP23(false);
    const back = await waitFor('the centre to route to p23 again', async () => {
      const id = `IR-${randomUUID()}`;
      const r = await ask(id);
      return r.status === 200 && carrier(id) === 'p23' ? id : undefined;
    }, 20_000);
    expect(callsFor(back)).toBe(1);
  }, 60_000);

  it('does not send an exchange to a second node once it reached one: the home node\'s timeout is the answer', async () => {
    const slow = `IR-${randomUUID()}`;
    ctx.provider.set((req, _body, res) => {
      if (req.headers['x-road-id'] === slow) return; // never answers: p23 gives up at the service's timeout
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ nationalCode: '0012345679', firstName: 'علی', lastName: 'رضایی' }));
    });
    const res = await ask(slow);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.ServiceTimeout');
    expect(callsFor(slow)).toBe(1);
    expect(carrier(slow)).toBe('p23');
    // p23 answered (with its refusal): it is not down, and carries the next exchange.
    const next = `IR-${randomUUID()}`;
    expect((await ask(next)).status).toBe(200);
    expect(carrier(next)).toBe('p23');
  }, 30_000);

  describe('with something else at the home node\'s address', () => {
    let impostor: https.Server | undefined;
    /** p23 stopped, and a TLS server of the given kind listening at its node port instead. */
    async function replaceP23(o: { cert: { certPem: string; keyPem: string }; answer: (res: http.ServerResponse) => void }): Promise<void> {
      if (ctx.p23) {
        await ctx.p23.close();
        ctx.p23 = undefined;
      }
      await closeImpostor();
      const server = https.createServer({ key: o.cert.keyPem, cert: o.cert.certPem, requestCert: false }, (req, res) => {
        req.resume();
        req.on('end', () => o.answer(res));
      });
      impostor = server;
      await new Promise<void>((r) => server.listen(ctx.p23Port, '127.0.0.1', () => r()));
    }
    async function closeImpostor(): Promise<void> {
      const server = impostor;
      impostor = undefined;
      if (!server) return;
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    }
    afterAll(closeImpostor);

    it('takes a 503 with no X-Road-Error for nobody\'s answer: a coded NetworkError, recorded as such', async () => {
      // p23's certificate, so the handshake and the node binding pass: only the answer is wrong.
      await replaceP23({ cert: await ctx.x.issue('p23'), answer: (res) => res.writeHead(503, { 'content-type': 'application/json' }).end('{"message":"Service Unavailable"}') });
      const id = `IR-${randomUUID()}`;
      const res = await ask(id, { 'X-Road-Security-Server': 'IR/GOV/OPERATOR/p23' });
      expect(res.headers['x-road-error']).toBe('Server.ClientProxy.NetworkError');
      expect(recordsOf(ctx.centre, id)).toMatchObject([{ status: 500, error_type: 'Server.ClientProxy.NetworkError', peer_node: 'p23' }]);
      expect(ctx.provider.calls).toHaveLength(0);
    });

    it('fails over when the home node refuses before any provider call (stopping, or on an expired snapshot)', async () => {
      for (const type of ['Node.Closing', 'Server.ServerProxy.OutdatedGlobalConf']) {
        await replaceP23({ cert: await ctx.x.issue('p23'), answer: (res) => res.writeHead(503, { 'x-road-error': type, 'content-type': 'application/json' }).end('{}') });
        const id = `IR-${randomUUID()}`;
        const res = await ask(id);
        expect(res.status, type).toBe(200);
        expect(carrier(id)).toBe('p07');
        expect(callsFor(id)).toBe(1);
      }
    });

    it('fails over when the home node\'s certificate does not verify (a TLS service of another CA at its address)', async () => {
      const otherDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-other-ca-'));
      try {
        await initCa(otherDir, { instance: 'IR' });
        await replaceP23({ cert: await issueNodeCertificate(await loadCa(otherDir), 'p23'), answer: (res) => res.writeHead(200).end('{}') });
        const id = `IR-${randomUUID()}`;
        expect((await ask(id)).status).toBe(200);
        expect(carrier(id)).toBe('p07');
        expect(callsFor(id)).toBe(1);
      } finally {
        await rm(otherDir, { recursive: true, force: true });
      }
    });
  });

  it('refuses with NetworkError, having tried each, when no serving node can be reached', async () => {
    if (ctx.p23) await ctx.p23.close();
    ctx.p23 = undefined;
    await ctx.p07.close();
    ctx.p07Closed = true;
    const id = `IR-${randomUUID()}`;
    const res = await ask(id);
    expect(res.headers['x-road-error']).toBe('Server.ClientProxy.NetworkError');
    expect(ctx.provider.calls).toHaveLength(0);
    // Recorded against the last node tried (p23, found down before, is tried last), which the answer names.
    const [record] = recordsOf(ctx.centre, id);
    expect(record).toMatchObject({ error_type: 'Server.ClientProxy.NetworkError', peer_node: 'p23' });
    expect(res.json().message).toContain('p23');
  });
});
