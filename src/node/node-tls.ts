// The node's TLS material under its data directory: the exchange CA (created on first start) and
// the server certificate of the data port, issued by that CA.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { initCa, loadCa } from '../identity/ca.ts';
import { issueServerCertificate, writeCertificate } from '../identity/certificates.ts';
import { fileExists } from '../files/exists.ts';

export interface NodeTls {
  caDir: string;
  caCertPath: string;
  caCertPem: string;
  serverCertPem: string;
  serverKeyPem: string;
}


/** Where the node certificate (the node port's, and a province's data port's), its key and the
 * exchange CA's certificate live: what `node-cert issue --out` writes. */
export function nodeCertDirOf(dataDir: string): string {
  return path.join(dataDir, 'tls', 'node');
}

export function caDirOf(dataDir: string): string {
  return path.join(dataDir, 'ca');
}

/** Where a subsystem's client certificate is written by default. */
export function certDirOf(dataDir: string, subsystemId: string): string {
  return path.join(dataDir, 'certs', ...subsystemId.split('/'));
}

export async function ensureNodeTls(dataDir: string, instance: string): Promise<NodeTls> {
  const caDir = caDirOf(dataDir);
  if (!(await fileExists(path.join(caDir, 'ca.crt.pem')))) await initCa(caDir, { instance });
  const ca = await loadCa(caDir);
  const serverDir = path.join(dataDir, 'tls', 'server');
  if (!(await fileExists(path.join(serverDir, 'cert.pem')))) {
    await writeCertificate(serverDir, await issueServerCertificate(ca, ['localhost', '127.0.0.1', '::1']));
  }
  return {
    caDir,
    caCertPath: path.join(caDir, 'ca.crt.pem'),
    caCertPem: ca.certPem,
    serverCertPem: await readFile(path.join(serverDir, 'cert.pem'), 'utf8'),
    serverKeyPem: await readFile(path.join(serverDir, 'key.pem'), 'utf8'),
  };
}
