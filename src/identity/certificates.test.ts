import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { mkdtemp, readdir, readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { PeerCertificate, TLSSocket } from 'node:tls';
import { Agent, request } from 'undici';
import { initCa, loadCa, type Ca } from './ca.ts';
import {
  issueServerCertificate, issueSubsystemCertificate, subsystemIdOfPeer, subsystemUri, writeCertificate,
} from './certificates.ts';
import { generateKeyPair, x509 } from './x509.ts';

const tempDir = () => mkdtemp(join(tmpdir(), 'tabadol-cert-'));
const peer = (subjectaltname: string) => ({ subjectaltname }) as PeerCertificate;
const CLIENT_AUTH = '1.3.6.1.5.5.7.3.2';
const SERVER_AUTH = '1.3.6.1.5.5.7.3.1';

let ca: Ca;
let otherCa: Ca;
let caCert: X509Certificate;

beforeAll(async () => {
  const [dir, otherDir] = [await tempDir(), await tempDir()];
  await initCa(dir, { instance: 'IR' });
  await initCa(otherDir, { instance: 'IR' });
  ca = await loadCa(dir);
  otherCa = await loadCa(otherDir);
  caCert = new X509Certificate(ca.certPem);
});

describe('issueSubsystemCertificate', () => {
  it('issues a client certificate verified by the CA and bound to the subsystem by a SAN URI', async () => {
    const now = new Date();
    const { certPem, keyPem } = await issueSubsystemCertificate(ca, 'IR/GOV/POLICE/licensing', { now });
    const cert = new X509Certificate(certPem);

    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.checkIssued(caCert)).toBe(true);
    expect(cert.ca).toBe(false);
    expect(cert.checkPrivateKey(createPrivateKey(keyPem))).toBe(true);
    expect(cert.keyUsage).toEqual([CLIENT_AUTH]);
    expect(cert.subject.split('\n')).toEqual(['C=IR', 'O=POLICE', 'OU=GOV', 'CN=licensing']);
    expect(cert.subjectAltName).toBe('URI:xroad:IR/GOV/POLICE/licensing');
    expect(subsystemIdOfPeer(peer(cert.subjectAltName!))).toBe('IR/GOV/POLICE/licensing');

    // One year by default; the serial it reports is the one Node reads from a TLS peer.
    const days = (new Date(cert.validTo).getTime() - now.getTime()) / 86_400_000;
    expect(Math.round(days)).toBe(365);
  });

  it('reports the serial as the node reads it from a peer, and the validity', async () => {
    const issued = await issueSubsystemCertificate(ca, 'IR/GOV/POLICE/licensing');
    const cert = new X509Certificate(issued.certPem);
    expect(issued.serial).toBe(cert.serialNumber.toUpperCase());
    expect(issued.notAfter.getTime()).toBe(new Date(cert.validTo).getTime());
  });

  it('gives every certificate its own serial and key', async () => {
    const a = await issueSubsystemCertificate(ca, 'IR/GOV/POLICE/licensing');
    const b = await issueSubsystemCertificate(ca, 'IR/GOV/POLICE/licensing');
    expect(new X509Certificate(a.certPem).serialNumber).not.toBe(new X509Certificate(b.certPem).serialNumber);
    expect(a.keyPem).not.toBe(b.keyPem);
  });

  it('does not verify against a different CA', async () => {
    const { certPem } = await issueSubsystemCertificate(otherCa, 'IR/GOV/POLICE/licensing');
    const cert = new X509Certificate(certPem);
    expect(cert.verify(caCert.publicKey)).toBe(false);
  });

  it.each(['IR/GOV/POLICE', 'IR/GOV/POLICE/licensing/extra', 'IR/GOV//licensing', 'IR/GOV/POL ICE/x', ''])(
    'refuses the malformed subsystem id %j with Client.InvalidClientIdentifier',
    async (id) => {
      await expect(issueSubsystemCertificate(ca, id)).rejects.toMatchObject({ type: 'Client.InvalidClientIdentifier' });
    },
  );

  it("round-trips identifiers with X-Road's punctuation through the SAN URI", async () => {
    const id = "IR/COM/10103/tehran,city'(1)+a=b?c";
    const { certPem } = await issueSubsystemCertificate(ca, id);
    const cert = new X509Certificate(certPem);
    expect(cert.subjectAltName).toMatch(/^URI:xroad:IR\/COM\/10103\/[A-Za-z0-9%.+=,-]+$/);
    expect(subsystemIdOfPeer(peer(cert.subjectAltName!))).toBe(id);
  });

  it('refuses codes outside PR-REST §4.8 (non-ASCII letters, look-alikes)', async () => {
    await expect(issueSubsystemCertificate(ca, 'IR/COM/10103/شهرداری')).rejects.toMatchObject({ type: 'Client.InvalidClientIdentifier' });
    await expect(issueSubsystemCertificate(ca, 'IR/GOV/N\u041ECR/identity')).rejects.toMatchObject({ type: 'Client.InvalidClientIdentifier' });
  });

  it('never outlives the CA', async () => {
    const dir = await tempDir();
    const now = new Date();
    await initCa(dir, { instance: 'IR', now, validYears: 1 });
    const shortCa = await loadCa(dir);
    const { certPem } = await issueSubsystemCertificate(shortCa, 'IR/GOV/POLICE/licensing', { now, validDays: 3650 });
    expect(new X509Certificate(certPem).validTo).toBe(new X509Certificate(shortCa.certPem).validTo);
    await expect(issueSubsystemCertificate(shortCa, 'IR/GOV/POLICE/licensing', { validDays: 0 }))
      .rejects.toMatchObject({ type: 'Admin.InvalidInput' });
  });
});

describe('subsystemIdOfPeer', () => {
  it('is undefined without a certificate or without a binding', () => {
    expect(subsystemIdOfPeer(undefined)).toBeUndefined();
    expect(subsystemIdOfPeer({} as PeerCertificate)).toBeUndefined(); // what getPeerCertificate() gives with no cert
    expect(subsystemIdOfPeer(peer('DNS:localhost, IP Address:127.0.0.1'))).toBeUndefined();
    expect(subsystemIdOfPeer(peer('URI:https://xroad:IR/GOV/POLICE/licensing'))).toBeUndefined();
  });

  it('finds the binding among other names', () => {
    expect(subsystemIdOfPeer(peer('DNS:a.example, URI:xroad:IR/GOV/POLICE/licensing, email:x@y'))).toBe('IR/GOV/POLICE/licensing');
  });

  it('refuses malformed or ambiguous bindings', () => {
    expect(subsystemIdOfPeer(peer('URI:xroad:IR/GOV/POLICE'))).toBeUndefined();
    expect(subsystemIdOfPeer(peer('URI:xroad:IR/GOV/POLICE/a/b'))).toBeUndefined();
    expect(subsystemIdOfPeer(peer('URI:xroad:IR/GOV/POLICE/%E0%A4'))).toBeUndefined();
    expect(subsystemIdOfPeer(peer('URI:xroad:IR/GOV/POLICE/a%20b'))).toBeUndefined();
    expect(subsystemIdOfPeer(peer('URI:xroad:IR/GOV/POLICE/a, URI:xroad:IR/GOV/POLICE/b'))).toBeUndefined();
  });

  it('reads a URI Node had to quote because it holds a raw comma or quote', async () => {
    // Not what this CA issues (it percent-encodes), but another issuer's certificate may.
    const keys = await generateKeyPair(true);
    const cert = await x509.X509CertificateGenerator.createSelfSigned({
      name: 'CN=foreign',
      keys,
      extensions: [new x509.SubjectAlternativeNameExtension([
        { type: 'dns', value: 'a.example' },
        { type: 'url', value: "xroad:IR/COM/A,B/it's" },
      ])],
    });
    const san = new X509Certificate(cert.toString('pem')).subjectAltName!;
    expect(san).toContain('URI:"xroad:');
    expect(subsystemIdOfPeer(peer(san))).toBe("IR/COM/A,B/it's");
  });

  it('agrees with subsystemUri', () => {
    const id = { instance: 'IR', memberClass: 'GOV', memberCode: "a'b?c=d", subsystemCode: 'x+y' };
    expect(subsystemIdOfPeer(peer(`URI:${subsystemUri(id)}`))).toBe("IR/GOV/a'b?c=d/x+y");
  });
});

describe('issueServerCertificate', () => {
  it('names DNS hosts and IPv4/IPv6 addresses and allows only serverAuth', async () => {
    const { certPem } = await issueServerCertificate(ca, ['localhost', '127.0.0.1', '::1']);
    const cert = new X509Certificate(certPem);
    expect(cert.verify(caCert.publicKey)).toBe(true);
    expect(cert.keyUsage).toEqual([SERVER_AUTH]);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkIP('::1')).toBe('::1');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(subsystemIdOfPeer(peer(cert.subjectAltName!))).toBeUndefined();
  });

  it('refuses an empty host list and things that are not hosts', async () => {
    await expect(issueServerCertificate(ca, [])).rejects.toMatchObject({ type: 'Admin.InvalidInput' });
    await expect(issueServerCertificate(ca, ['bad host'])).rejects.toMatchObject({ type: 'Admin.InvalidInput' });
    await expect(issueServerCertificate(ca, ['a..b'])).rejects.toMatchObject({ type: 'Admin.InvalidInput' });
  });
});

describe('writeCertificate', () => {
  it('writes cert.pem and a 0600 key.pem, and replaces them atomically on re-issue', async () => {
    const dir = join(await tempDir(), 'node');
    const first = await issueSubsystemCertificate(ca, 'IR/GOV/POLICE/licensing');
    const { certPath, keyPath } = await writeCertificate(dir, first);
    expect(certPath).toBe(join(dir, 'cert.pem'));
    expect(keyPath).toBe(join(dir, 'key.pem'));
    expect(await readFile(certPath, 'utf8')).toBe(first.certPem);
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);

    const second = await issueSubsystemCertificate(ca, 'IR/GOV/POLICE/licensing');
    await writeCertificate(dir, second);
    expect(await readFile(keyPath, 'utf8')).toBe(second.keyPem);
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    expect((await readdir(dir)).sort()).toEqual(['cert.pem', 'key.pem']);
  });
});

describe('mutual TLS with the CA', () => {
  let server: Server;
  let url: string;
  const agents: Agent[] = [];

  beforeAll(async () => {
    const { certPem, keyPem } = await issueServerCertificate(ca, ['localhost', '127.0.0.1', '::1']);
    server = createServer(
      { key: keyPem, cert: certPem, ca: ca.certPem, requestCert: true, rejectUnauthorized: false },
      (req, res) => {
        const socket = req.socket as TLSSocket;
        res.setHeader('content-type', 'application/json');
        res.end(JSON.stringify({
          authorized: socket.authorized,
          subsystem: subsystemIdOfPeer(socket.getPeerCertificate()) ?? null,
        }));
      },
    );
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  });

  afterAll(async () => {
    await Promise.all(agents.map((a) => a.close()));
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  async function call(client?: { certPem: string; keyPem: string }): Promise<{ authorized: boolean; subsystem: string | null }> {
    const agent = new Agent({ connect: { ca: ca.certPem, cert: client?.certPem, key: client?.keyPem } });
    agents.push(agent);
    const res = await request(url, { dispatcher: agent });
    expect(res.statusCode).toBe(200);
    return (await res.body.json()) as { authorized: boolean; subsystem: string | null };
  }

  it('authorizes a client certificate from the CA and reads its subsystem', async () => {
    const client = await issueSubsystemCertificate(ca, 'IR/GOV/POLICE/licensing');
    expect(await call(client)).toEqual({ authorized: true, subsystem: 'IR/GOV/POLICE/licensing' });
  });

  it('does not authorize a client certificate from another CA, whatever subsystem it claims', async () => {
    const forged = await issueSubsystemCertificate(otherCa, 'IR/GOV/POLICE/licensing');
    const answer = await call(forged);
    expect(answer.authorized).toBe(false);
    // The binding is still readable, which is exactly why callers must check `authorized` first.
    expect(answer.subsystem).toBe('IR/GOV/POLICE/licensing');
  });

  it('does not authorize a client without a certificate', async () => {
    expect(await call()).toEqual({ authorized: false, subsystem: null });
  });

  it('does not authorize a server certificate used as a client certificate', async () => {
    const serverCert = await issueServerCertificate(ca, ['localhost']);
    expect((await call(serverCert)).authorized).toBe(false);
  });
});
