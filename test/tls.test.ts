// The TLS data port: the client certificate must come from this exchange's CA and be bound to the
// subsystem named in X-Road-Client.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { startTestNode, startTestProvider, seedRegistry, SERVICE, JUDICIARY, POLICE, type TestNode } from './harness.ts';
import { initCa, loadCa } from '../src/identity/ca.ts';
import { issueSubsystemCertificate } from '../src/identity/certificates.ts';

let t: TestNode;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let caPem: string;
const agents: Agent[] = [];

beforeAll(async () => {
  provider = await startTestProvider();
  t = await startTestNode();
  await seedRegistry(t.node, provider.baseUrl);
  await t.sync();
  caPem = t.node.tls!.caCertPem;
});
afterAll(async () => {
  await Promise.all(agents.map((a) => a.close()));
  await t.close();
  await provider.close();
});

async function callOverTls(client: string, cert?: { certPem: string; keyPem: string }) {
  const agent = new Agent({ connect: { ca: caPem, cert: cert?.certPem, key: cert?.keyPem, servername: 'localhost' } });
  agents.push(agent);
  const res = await request(`https://localhost:${t.node.ports.tls}/r1/${SERVICE}/persons/0012345679`, {
    headers: { 'x-road-client': client }, dispatcher: agent,
  });
  return { status: res.statusCode, error: res.headers['x-road-error'], body: await res.body.json() as any };
}

describe('mutual TLS at the data port', () => {
  it('answers a client whose certificate is bound to its subsystem', async () => {
    const cert = await issueSubsystemCertificate(await loadCa(t.node.tls!.caDir), JUDICIARY);
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
    const cert = await issueSubsystemCertificate(await loadCa(t.node.tls!.caDir), POLICE);
    const res = await callOverTls(JUDICIARY, cert);
    expect(res.error).toBe('Client.SslAuthenticationFailed');
    expect(res.body.message).toContain(`bound to ${POLICE}`);
    expect(provider.calls).toHaveLength(1); // only the first test's call reached the provider
  });
});
