// The TLS data port: the client certificate must come from this exchange's CA and be bound to the
// subsystem named in X-Road-Client.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp } from 'node:fs/promises';
import { afterAll, describe, expect, it } from 'vitest';
import { Agent, request } from 'undici';
import { SERVICE, JUDICIARY, POLICE, useSeededNode } from './harness.ts';
import { initCa, loadCa } from '../src/identity/ca.ts';
import { issueSubsystemCertificate } from '../src/identity/certificates.ts';

const ctx = useSeededNode();

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
