// A provincial node's TLS data port, as agencies reach it in production: a centre and a province as
// real processes, the province started with `--tls-port` and no CA key of its own. Its data port
// serves on the node certificate the centre issued (`node-cert issue`), is verified by an agency as
// node p23 of the exchange CA, answers a client certificate the centre issued (`cert issue`), refuses
// one revoked at the centre once the revocation arrives in the snapshot (on a kept-alive connection
// too), and refuses one from another CA. The province never makes a CA of its own.
import path from 'node:path';
import https from 'node:https';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { JUDICIARY, SERVICE, startTestProvider, until } from './harness.ts';
import { seedCentreWithProvincialService, startCentreAndProvince, type CentreAndProvince } from './cluster-processes.ts';
import { initCa, loadCa } from '../src/identity/ca.ts';
import { issueSubsystemCertificate } from '../src/identity/certificates.ts';
import { caDirOf } from '../src/node/node-tls.ts';
import type { ProvincePorts } from '../scripts/cluster-nodes.mjs';

interface Cert { certPem: string; keyPem: string; serial?: string }

let cluster: CentreAndProvince | undefined;
let root: string;
let centreDir: string;
let p23Dir: string;
let ports: ProvincePorts & { tls: number };
let caCertPem: string;
let provider: Awaited<ReturnType<typeof startTestProvider>>;

/** `tabadol cert issue` at the centre (recorded in its registry), into a directory of its own. */
async function issueAtCentre(name: string): Promise<Cert & { serial: string }> {
  const out = path.join(root, 'agency-certs', name);
  const issued = await tabadolInProcess(['--data', centreDir, 'cert', 'issue', JUDICIARY, '--out', out]);
  if (issued.code !== 0) throw new Error(`cert issue: ${issued.stderr}`);
  const serial = (JSON.parse(issued.stdout) as { serial: string }).serial;
  return { serial, certPem: await readFile(path.join(out, 'cert.pem'), 'utf8'), keyPem: await readFile(path.join(out, 'key.pem'), 'utf8') };
}

/** An agency's keep-alive connection to the province's TLS data port. It checks the server the way
 * TLS clients do by default, against the exchange CA and a name: the node id, which is the node
 * certificate's CN (it has no DNS name; curl does the same with --resolve p23:PORT:ADDRESS). */
function agencyAgent(cert: Cert | undefined, servername = 'p23'): https.Agent {
  return new https.Agent({ keepAlive: true, maxSockets: 1, ca: caCertPem, cert: cert?.certPem, key: cert?.keyPem, servername });
}

function ask(agent: https.Agent): Promise<{ status: number; error: string | undefined; reused: boolean; body: string }> {
  return new Promise((resolve, reject) => {
    const req = https.request({
      host: '127.0.0.1', port: ports.tls, path: `/r1/${SERVICE}/persons/0012345679`, headers: { 'x-road-client': JUDICIARY }, agent,
    }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => { body += d; });
      res.on('end', () => resolve({ status: res.statusCode!, error: res.headers['x-road-error'] as string | undefined, reused: req.reusedSocket, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

beforeAll(async () => {
  provider = await startTestProvider();
  // p23 registered at the centre (its record key, its node port), the NOCR identity subsystem homed on it.
  cluster = await startCentreAndProvince((dir, p23) => seedCentreWithProvincialService(dir, provider.baseUrl, 2000, p23), { tls: true });
  ({ root, centreDir, provinceDir: p23Dir } = cluster);
  ports = cluster.ports as ProvincePorts & { tls: number };
  caCertPem = await readFile(path.join(caDirOf(centreDir), 'ca.crt.pem'), 'utf8');
}, 90_000);

afterAll(async () => {
  await cluster?.close();
  await provider?.close();
});

describe('a provincial node\'s TLS data port', () => {
  it('answers an agency holding a client certificate the centre issued, on the node certificate, without a CA of its own', async () => {
    const agent = agencyAgent(await issueAtCentre('valid'));
    try {
      // The first snapshot reaches the province over the node port; until then it refuses.
      const res = await until(() => ask(agent), (r) => r.status === 200, 30_000);
      expect(res.status, res.body).toBe(200);
      expect(JSON.parse(res.body)).toMatchObject({ nationalCode: '0012345679' });
    } finally {
      agent.destroy();
    }
    // The province holds the CA's certificate only (beside its node certificate), never a CA.
    expect(existsSync(caDirOf(p23Dir))).toBe(false);
    expect(existsSync(path.join(p23Dir, 'tls', 'node', 'ca.crt.pem'))).toBe(true);
  }, 40_000);

  it('is node p23 of the exchange CA to a client that checks: another node\'s name does not match', async () => {
    const agent = agencyAgent(await issueAtCentre('checks'), 'p10');
    try {
      await expect(ask(agent)).rejects.toThrow(/p10|altnames|Hostname/i);
    } finally {
      agent.destroy();
    }
  });

  it('refuses a certificate from another CA', async () => {
    const otherDir = path.join(root, 'other-ca');
    await initCa(otherDir, { instance: 'IR' });
    const agent = agencyAgent(await issueSubsystemCertificate(await loadCa(otherDir), JUDICIARY));
    try {
      const res = await ask(agent);
      expect(res.status).toBe(400);
      expect(res.error).toBe('Client.SslAuthenticationFailed');
      expect(res.body).toMatch(/not issued by this exchange/);
    } finally {
      agent.destroy();
    }
  });

  it('refuses a certificate revoked at the centre once the revocation arrives in the snapshot, on an open connection too', async () => {
    const cert = await issueAtCentre('revoked');
    const agent = agencyAgent(cert);
    try {
      expect(await ask(agent)).toMatchObject({ status: 200, reused: false });
      // Revoked at the centre, as its operator does; the province learns it from the next snapshot.
      const revoked = await tabadolInProcess(['--data', centreDir, 'cert', 'revoke', '--serial', cert.serial]);
      expect(revoked.code, revoked.stderr).toBe(0);
      const refused = await until(() => ask(agent), (r) => r.status !== 200, 30_000);
      expect(refused).toMatchObject({ status: 400, error: 'Client.SslAuthenticationFailed', reused: true });
    } finally {
      agent.destroy();
    }
    const fresh = agencyAgent(cert);
    try {
      expect(await ask(fresh)).toMatchObject({ status: 400, error: 'Client.SslAuthenticationFailed', reused: false });
    } finally {
      fresh.destroy();
    }
  }, 40_000);
});
