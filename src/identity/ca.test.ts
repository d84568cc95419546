import { describe, it, expect } from 'vitest';
import { X509Certificate, createPublicKey, webcrypto } from 'node:crypto';
import { copyFile, mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TabadolError } from '../errors/catalogue.ts';
import { initCa, loadCa } from './ca.ts';
import { x509 } from './x509.ts';

const tempDir = () => mkdtemp(join(tmpdir(), 'tabadol-ca-'));

describe('initCa', () => {
  it('writes a self-signed CA certificate and a private key only the owner can read', async () => {
    const dir = join(await tempDir(), 'nested', 'ca');
    const { certPath, keyPath } = await initCa(dir, { instance: 'IR' });

    expect(certPath).toBe(join(dir, 'ca.crt.pem'));
    expect(keyPath).toBe(join(dir, 'ca.key.pem'));
    expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    expect(await readFile(keyPath, 'utf8')).toMatch(/^-----BEGIN PRIVATE KEY-----/);

    const cert = new X509Certificate(await readFile(certPath));
    expect(cert.ca).toBe(true);
    expect(cert.subject.split('\n')).toEqual(['C=IR', 'O=Tabadol', 'CN=Tabadol IR CA']);
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(cert.publicKey.asymmetricKeyDetails?.namedCurve).toBe('prime256v1');
  });

  it('marks basicConstraints and keyUsage critical, allowing only certificate and CRL signing', async () => {
    const dir = await tempDir();
    const { certPath } = await initCa(dir, { instance: 'IR' });
    const cert = new x509.X509Certificate(await readFile(certPath, 'utf8'));

    const basic = cert.getExtension(x509.BasicConstraintsExtension);
    expect(basic?.ca).toBe(true);
    expect(basic?.critical).toBe(true);
    const usage = cert.getExtension(x509.KeyUsagesExtension);
    expect(usage?.critical).toBe(true);
    expect(usage?.usages).toBe(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign);
  });

  it('leaves C out when the instance is not a two-letter country code, and honours now/validYears', async () => {
    const dir = await tempDir();
    const now = new Date('2030-03-01T00:00:00Z');
    const { certPath } = await initCa(dir, { instance: 'TEST-1', now, validYears: 3 });
    const cert = new X509Certificate(await readFile(certPath));

    expect(cert.subject.split('\n')).toEqual(['O=Tabadol', 'CN=Tabadol TEST-1 CA']);
    expect(new Date(cert.validTo).toISOString()).toBe('2033-03-01T00:00:00.000Z');
    expect(new Date(cert.validFrom).getTime()).toBeLessThanOrEqual(now.getTime());
  });

  it('refuses to replace an existing CA and leaves it untouched', async () => {
    const dir = await tempDir();
    const { certPath, keyPath } = await initCa(dir, { instance: 'IR' });
    const before = [await readFile(certPath, 'utf8'), await readFile(keyPath, 'utf8')];

    const second = initCa(dir, { instance: 'IR' });
    await expect(second).rejects.toBeInstanceOf(TabadolError);
    await expect(second).rejects.toMatchObject({ type: 'Admin.CaExists', status: 409 });
    expect([await readFile(certPath, 'utf8'), await readFile(keyPath, 'utf8')]).toEqual(before);
  });

  it('rejects an instance code that is not an X-Road identifier part', async () => {
    await expect(initCa(await tempDir(), { instance: 'I R' })).rejects.toMatchObject({ type: 'Admin.InvalidInput' });
  });
});

describe('loadCa', () => {
  it('fails with Admin.CaMissing on an empty or absent directory', async () => {
    const dir = await tempDir();
    await expect(loadCa(dir)).rejects.toMatchObject({ type: 'Admin.CaMissing', status: 404 });
    await expect(loadCa(join(dir, 'nope'))).rejects.toMatchObject({ type: 'Admin.CaMissing' });
  });

  it('loads a key that signs what the CA certificate verifies', async () => {
    const dir = await tempDir();
    const { certPath } = await initCa(dir, { instance: 'IR' });
    const ca = await loadCa(dir);

    expect(ca.certPem).toBe(await readFile(certPath, 'utf8'));
    expect(ca.cert.subject).toContain('CN=Tabadol IR CA');
    expect(ca.privateKey.extractable).toBe(false);

    const data = new TextEncoder().encode('tabadol');
    const algorithm = { name: 'ECDSA', hash: 'SHA-256' };
    const signature = await webcrypto.subtle.sign(algorithm, ca.privateKey as webcrypto.CryptoKey, data);
    const publicKey = createPublicKey(ca.certPem);
    const spki = publicKey.export({ format: 'der', type: 'spki' });
    const verifier = await webcrypto.subtle.importKey('spki', spki, { name: 'ECDSA', namedCurve: 'P-256' }, false, ['verify']);
    expect(await webcrypto.subtle.verify(algorithm, verifier, signature, data)).toBe(true);
  });

  it('refuses a key that does not belong to the certificate', async () => {
    const [a, b] = [await tempDir(), await tempDir()];
    await initCa(a, { instance: 'IR' });
    await initCa(b, { instance: 'IR' });
    await copyFile(join(b, 'ca.key.pem'), join(a, 'ca.key.pem'));
    await expect(loadCa(a)).rejects.toMatchObject({ type: 'Server.ServerProxy.InternalError' });
  });
});
