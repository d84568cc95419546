// Node certificates: a node of the exchange (the centre, a province) proves which node it is to
// another node, as server and as client of the node-to-node port. The binding is a SAN URI
// `urn:tabadol:node:<id>` with the id also in the CN, and the certificate carries both TLS usages
// (RFC 5280 §4.2.1.12: serverAuth and clientAuth). A subsystem's certificate has an `xroad:` URI and
// clientAuth only, so neither kind can pass as the other (peer.ts reads both bindings).
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Errors, fail } from '../errors/catalogue.ts';
import { isValidPart, partProblem } from '../identifiers/xroad-id.ts';
import { countryOf, type Ca } from './ca.ts';
import { issueLeaf, withoutUndefined, writeCertificate, type IssueOptions, type IssuedCertificate } from './certificates.ts';
import { CERT_MODE, writeReplacing } from './files.ts';
import { nodeUri } from './peer.ts';
import { x509 } from './x509.ts';

/** Two years: a node is an operator's machine renewed on a schedule, not an agency's client. */
export const DEFAULT_NODE_VALID_DAYS = 730;

/** The CA's certificate beside a node's own: the only trust anchor a node needs for its peers. */
export const NODE_CA_FILE = 'ca.crt.pem';

/** A node id is a code (as X-Road codes are): it names record chains and peers in URLs. */
export function checkNodeIdText(nodeId: string): string {
  const problem = partProblem(nodeId);
  if (problem !== undefined || !isValidPart(nodeId)) fail(Errors.InvalidInput, `node id ${problem ?? 'is not a valid code'}: ${JSON.stringify(nodeId.slice(0, 80))}`);
  return nodeId;
}

export async function issueNodeCertificate(ca: Ca, nodeId: string, opts: IssueOptions = {}): Promise<IssuedCertificate> {
  checkNodeIdText(nodeId);
  const subject = new x509.Name([
    ...countryOf(instanceOf(ca)),
    { O: [{ utf8String: 'Tabadol' }] },
    { OU: [{ utf8String: 'node' }] },
    { CN: [{ utf8String: nodeId }] },
  ]);
  return issueLeaf(ca, subject, [{ type: 'url', value: nodeUri(nodeId) }],
    [x509.ExtendedKeyUsage.serverAuth, x509.ExtendedKeyUsage.clientAuth], { validDays: DEFAULT_NODE_VALID_DAYS, ...withoutUndefined(opts) });
}

/** Writes cert.pem, key.pem (mode 0600) and the CA's certificate: the directory a node's operator installs. */
export async function writeNodeCertificate(dir: string, files: IssuedCertificate, caCertPem: string): Promise<{ certPath: string; keyPath: string; caPath: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const paths = await writeCertificate(dir, files);
  const caPath = join(dir, NODE_CA_FILE);
  await writeReplacing(caPath, caCertPem, CERT_MODE);
  return { ...paths, caPath };
}

/** The instance the CA was made for: its C attribute when it has one (ca.ts writes it for two-letter codes). */
function instanceOf(ca: Ca): string {
  return ca.cert.subjectName.getField('C')[0] ?? '';
}
