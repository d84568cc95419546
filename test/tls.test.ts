// The TLS data port: the client certificate must come from this exchange's CA, be bound to the
// subsystem named in X-Road-Client, and not be revoked, on new and on kept-alive connections.
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { SERVICE, JUDICIARY, POLICE, seedRegistry, startTestNode, startTestProvider, type TestNode, until } from './harness.ts';
import { initCa, loadCa } from '../src/identity/ca.ts';
import { issueSubsystemCertificate, type IssuedCertificate } from '../src/identity/certificates.ts';
import { openRegistryAt } from '../src/registry/open-registry.ts';

const ctx = {} as { t: TestNode; provider: Awaited<ReturnType<typeof startTestProvider>> };
beforeAll(async () => {
  ctx.provider = await startTestProvider();
  ctx.t = await startTestNode();
  // The test provider listens on loopback, which the registry refuses unless allowed.
  const problem = await ctx.t.node.registry.providerAddressProblem(new URL(ctx.provider.baseUrl));
  if (problem) await ctx.t.node.registry.allowProviderHost(problem.entry, 'the test provider');
  await seedRegistry(ctx.t.node, ctx.provider.baseUrl);
  await ctx.t.sync();
});
afterAll(async () => {
  await ctx.t.close();
  await ctx.provider.close();
});
beforeEach(() => ctx.provider.reset());

const agents: Agent[] = [];

afterAll(() => Promise.all(agents.map((a) => a.close())));

async function callOverTls(client: string, cert?: { certPem: string; keyPem: string }) {
  const agent = new Agent({ connect: { ca: ctx.t.node.tls!.caCertPem, cert: cert?.certPem, key: cert?.keyPem, servername: 'localhost' } });
  agents.push(agent);
  const res = await request(`https://localhost:${ctx.t.node.ports.tls}/r1/${SERVICE}/persons/0012345679`, {
    headers: { 'x-road-client': client }, dispatcher: agent,
  });
  return { status: res.statusCode, error: res.headers['x-road-error'], body: await res.body.json() as any };
}

describe('mutual TLS at the data port', () => {
  it('answers a client whose certificate is bound to its subsystem', async () => {
    const cert = await issueSubsystemCertificate(await loadCa(ctx.t.node.tls!.caDir), JUDICIARY);
    const res = await callOverTls(JUDICIARY, cert);
    expect(res.status).toBe(200);
    expect(res.body.nationalCode).toBe('0012345679');
  });

  it('refuses a client without a certificate', async () => {
    const res = await callOverTls(JUDICIARY);
    expect(res.status).toBe(400);
    expect(res.error).toBe('Client.SslAuthenticationFailed');
    expect(res.body.message).toMatch(/no client certificate/);
  });

  it('refuses a certificate from another CA', async () => {
    const otherDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-other-ca-'));
    await initCa(otherDir, { instance: 'IR' });
    const cert = await issueSubsystemCertificate(await loadCa(otherDir), JUDICIARY);
    const res = await callOverTls(JUDICIARY, cert);
    expect(res.error).toBe('Client.SslAuthenticationFailed');
    expect(res.body.message).toMatch(/not issued by this exchange/);
  });

  it('refuses a certificate issued to another subsystem', async () => {
    const cert = await issueSubsystemCertificate(await loadCa(ctx.t.node.tls!.caDir), POLICE);
    const res = await callOverTls(JUDICIARY, cert);
    expect(res.error).toBe('Client.SslAuthenticationFailed');
    expect(res.body.message).toContain(`bound to ${POLICE}`);
    expect(ctx.provider.calls).toHaveLength(0);
  });
});

/** A certificate issued the way `tabadol cert issue` does it: recorded in the registry. */
async function issueRecorded(subsystemId: string): Promise<IssuedCertificate> {
  const cert = await issueSubsystemCertificate(await loadCa(ctx.t.node.tls!.caDir), subsystemId);
  await ctx.t.node.registry.recordCertificate({
    serial: cert.serial, subsystemId, notBefore: cert.notBefore.toISOString(), notAfter: cert.notAfter.toISOString(),
  });
  return cert;
}

/** One request on a Node https agent, telling whether it went over a kept-alive connection. */
function get(agent: https.Agent, client: string): Promise<{ status: number; error: string | undefined; reused: boolean }> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', servername: 'localhost', port: ctx.t.node.ports.tls!, path: `/r1/${SERVICE}/persons/0012345679`,
      headers: { 'x-road-client': client }, agent,
    }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, error: res.headers['x-road-error'] as string | undefined, reused: req.reusedSocket }));
    });
    req.on('error', reject);
    req.end();
  });
}

function keepAliveAgent(cert: IssuedCertificate): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets: 1, ca: ctx.t.node.tls!.caCertPem, cert: cert.certPem, key: cert.keyPem });
}

describe('a revoked certificate', () => {
  it('is refused on the next request of an open keep-alive connection, and on a new connection', async () => {
    const cert = await issueRecorded(JUDICIARY);
    const agent = keepAliveAgent(cert);
    try {
      const first = await get(agent, JUDICIARY);
      expect(first).toMatchObject({ status: 200, reused: false });

      // Revoked by another process (as `tabadol cert revoke` does): the node learns it from its snapshot poll.
      const other = await openRegistryAt(ctx.t.dataDir);
      await other.registry.revokeCertificate(cert.serial, 'cli');
      await other.close();

      const refused = await until(() => get(agent, JUDICIARY), (r) => r.status !== 200);
      expect(refused).toEqual({ status: 400, error: 'Client.SslAuthenticationFailed', reused: true });
      expect(ctx.t.node.snapshots.current!.revokedSerials.has(cert.serial)).toBe(true);
    } finally {
      agent.destroy();
    }
    const fresh = keepAliveAgent(cert);
    try {
      expect(await get(fresh, JUDICIARY)).toEqual({ status: 400, error: 'Client.SslAuthenticationFailed', reused: false });
    } finally {
      fresh.destroy();
    }
    // A certificate issued afterwards (renewal) is accepted.
    const renewed = keepAliveAgent(await issueRecorded(JUDICIARY));
    try {
      expect((await get(renewed, JUDICIARY)).status).toBe(200);
    } finally {
      renewed.destroy();
    }
  });

  it('revoked by subsystem through the admin API is refused at the next request', async () => {
    const cert = await issueRecorded(POLICE);
    const agent = keepAliveAgent(cert);
    try {
      // The police may call the service's verify endpoint only: a GET is AccessDenied, which proves the TLS check passed.
      expect(await get(agent, POLICE)).toMatchObject({ error: 'Server.ServerProxy.AccessDenied' });
      const res = await request(`http://127.0.0.1:${ctx.t.node.ports.admin}/v1/subsystems/${encodeURIComponent(POLICE)}/certificates`, {
        method: 'DELETE', headers: { authorization: `Bearer ${ctx.t.node.keys.adminToken}` },
      });
      const body = await res.body.json() as { revoked: { serial: string }[] };
      expect(res.statusCode).toBe(200);
      expect(body.revoked.map((c) => c.serial)).toEqual([cert.serial]);
      const refused = await until(() => get(agent, POLICE), (r) => r.error === 'Client.SslAuthenticationFailed');
      expect(refused).toMatchObject({ status: 400, error: 'Client.SslAuthenticationFailed', reused: true });
    } finally {
      agent.destroy();
    }
  });
});
