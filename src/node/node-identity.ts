// This node's certificate for the node-to-node port, under its data directory (tls/node/). On the
// node that holds the CA (the centre, or a node of its own), the first start issues one and records
// it in the registry, as node-tls.ts does for the data port's server certificate; a node without the
// CA's key (a province) runs on the certificate its operator installed there from
// `tabadol node-cert issue <id> --out DIR` on the centre.
import { X509Certificate, createPrivateKey } from 'node:crypto';
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { KeyObject } from 'node:crypto';
import { Errors, fail } from '../errors/catalogue.ts';
import { CA_CERT_FILE, CA_KEY_FILE, initCa, loadCa } from '../identity/ca.ts';
import type { IssuedCertificate } from '../identity/certificates.ts';
import { NODE_CA_FILE, issueNodeCertificate, writeNodeCertificate } from '../identity/node-certificates.ts';
import { nodeIdOfPeer } from '../identity/peer.ts';
import { fileExists } from '../files/exists.ts';
import { NodeCertificates } from '../registry/node-certificates.ts';
import type { RegistryDb } from '../store/database.ts';
import type { NodeConfig } from './config.ts';
import { caDirOf, nodeCertDirOf } from './node-tls.ts';

export interface NodeIdentity {
  nodeId: string;
  certPem: string;
  keyPem: string;
  /** The exchange CA: the only trust anchor for peers, in both directions. */
  caCertPem: string;
  serial: string;
  notAfter: Date;
}

export async function ensureNodeIdentity(
  config: Pick<NodeConfig, 'dataDir' | 'instance' | 'nodeId' | 'snapshotValidityMs' | 'now'>,
  registry: { db: RegistryDb; signingKey: KeyObject },
): Promise<NodeIdentity> {
  const dir = nodeCertDirOf(config.dataDir);
  const caDir = caDirOf(config.dataDir);
  const holdsCa = await fileExists(path.join(caDir, CA_KEY_FILE));
  const installed = await fileExists(path.join(dir, 'cert.pem'));
  // A brand-new exchange: the first start makes its CA, as the data port does.
  if (!installed && !holdsCa && !(await fileExists(path.join(caDir, CA_CERT_FILE)))) await initCa(caDir, { instance: config.instance });

  const caCertPem = await readFirst([path.join(caDir, CA_CERT_FILE), path.join(dir, NODE_CA_FILE)]);
  if (installed) {
    const current = await readIdentity(dir, caCertPem, config.nodeId);
    if (current.notAfter.getTime() > config.now()) return current;
    if (!holdsCa) {
      fail(Errors.NodeStartFailed, `the node certificate in ${dir} expired on ${current.notAfter.toISOString()}: issue a new one on the central node with tabadol node-cert issue ${config.nodeId} --out DIR and install it there`);
    }
  } else if (!holdsCa && !(await fileExists(path.join(caDir, CA_KEY_FILE)))) {
    fail(Errors.NodeStartFailed, `no node certificate in ${dir}: issue one on the central node with tabadol node-cert issue ${config.nodeId} --out DIR and install it there`);
  }
  // Issued, recorded, then written: a certificate the registry does not know never reaches the disk.
  const ca = await loadCa(caDir);
  const issued = await issueNodeCertificate(ca, config.nodeId, { now: new Date(config.now()) });
  await recordIssued(config, registry, issued);
  await writeNodeCertificate(dir, issued, ca.certPem);
  return readIdentity(dir, ca.certPem, config.nodeId);
}

async function recordIssued(
  config: Pick<NodeConfig, 'instance' | 'nodeId' | 'snapshotValidityMs' | 'now'>,
  registry: { db: RegistryDb; signingKey: KeyObject },
  issued: IssuedCertificate,
): Promise<void> {
  const records = new NodeCertificates(registry.db, {
    instance: config.instance, nodeId: config.nodeId, role: 'node', signingKey: registry.signingKey,
    validityMs: config.snapshotValidityMs, now: () => new Date(config.now()),
  });
  await records.record({ serial: issued.serial, nodeId: config.nodeId, notBefore: issued.notBefore.toISOString(), notAfter: issued.notAfter.toISOString() }, 'node');
}

/** Reads the installed certificate and refuses one that is not this node's or not from this CA. */
async function readIdentity(dir: string, caCertPem: string, nodeId: string): Promise<NodeIdentity> {
  const [certPem, keyPem] = await Promise.all([readFile(path.join(dir, 'cert.pem'), 'utf8'), readFile(path.join(dir, 'key.pem'), 'utf8')]);
  let cert: X509Certificate;
  let ca: X509Certificate;
  let keyMatches: boolean;
  try {
    cert = new X509Certificate(certPem);
    ca = new X509Certificate(caCertPem);
    keyMatches = cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch (e) {
    return fail(Errors.NodeStartFailed, `the node certificate or key in ${dir} is not valid PEM`, e);
  }
  if (!keyMatches) fail(Errors.NodeStartFailed, `the key in ${dir} does not match its certificate`);
  if (!cert.checkIssued(ca) || !cert.verify(ca.publicKey)) fail(Errors.NodeStartFailed, `the node certificate in ${dir} is not issued by this exchange's CA`);
  const bound = nodeIdOfPeer(cert.toLegacyObject());
  if (bound !== nodeId) fail(Errors.NodeStartFailed, `the node certificate in ${dir} is bound to ${bound ?? 'no node'}, but this node is ${nodeId}`);
  return {
    nodeId, certPem, keyPem, caCertPem,
    serial: cert.serialNumber.toUpperCase().replace(/^0+(?=.)/, ''),
    notAfter: new Date(cert.validTo),
  };
}

async function readFirst(files: string[]): Promise<string> {
  for (const f of files) if (await fileExists(f)) return readFile(f, 'utf8');
  return fail(Errors.NodeStartFailed, `no CA certificate at ${files.join(' or ')}`);
}
