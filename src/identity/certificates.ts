// Leaf certificates signed by the exchange CA. A client certificate is bound to exactly one
// subsystem through a SubjectAlternativeName URI `xroad:INSTANCE/CLASS/MEMBER/SUBSYSTEM`;
// the node reads that binding from every mutually authenticated TLS connection.
import { isIP } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { Errors, fail } from '../errors/catalogue.ts';
import { parseSubsystemId } from '../identifiers/xroad-id.ts';
import { countryOf, type Ca } from './ca.ts';
import { CERT_MODE, KEY_MODE, writeReplacing } from './files.ts';
import { subsystemUri } from './peer.ts';

export { subsystemIdOfPeer, subsystemUri } from './peer.ts';
import { CLOCK_SKEW_MS, SIGNING_ALGORITHM, generateKeyPair, privateKeyPem, randomSerial, x509 } from './x509.ts';

export interface IssuedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
  /** Upper-case hex, as the node reads it from a TLS peer: what a revocation names. */
  readonly serial: string;
  readonly notBefore: Date;
  readonly notAfter: Date;
}

export interface IssueOptions {
  now?: Date;
  validDays?: number;
}

/** A client certificate lives one year: a lost key is useful to a thief for a bounded time, and a
 * yearly `cert renew` is an operator's routine. Server certificates keep two years. */
export const DEFAULT_CLIENT_VALID_DAYS = 365;
const DEFAULT_SERVER_VALID_DAYS = 730;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function issueSubsystemCertificate(
  ca: Ca,
  subsystemId: string,
  opts: IssueOptions = {},
): Promise<IssuedCertificate> {
  const id = parseSubsystemId(subsystemId);
  const subject = new x509.Name([
    ...countryOf(id.instance),
    { O: [{ utf8String: id.memberCode }] },
    { OU: [{ utf8String: id.memberClass }] },
    { CN: [{ utf8String: id.subsystemCode }] },
  ]);
  return issueLeaf(ca, subject, [{ type: 'url', value: subsystemUri(id) }], [x509.ExtendedKeyUsage.clientAuth], { validDays: DEFAULT_CLIENT_VALID_DAYS, ...withoutUndefined(opts) });
}

export async function issueServerCertificate(
  ca: Ca,
  hosts: string[],
  opts: IssueOptions = {},
): Promise<IssuedCertificate> {
  if (hosts.length === 0) fail(Errors.InvalidInput, 'a server certificate needs at least one host name or address');
  const names = hosts.map((host): x509.JsonGeneralName => {
    if (isIP(host) !== 0 && !host.includes('%')) return { type: 'ip', value: host };
    if (DNS_NAME.test(host)) return { type: 'dns', value: host };
    return fail(Errors.InvalidInput, `not a host name or IP address: ${JSON.stringify(host)}`);
  });
  const subject = new x509.Name([{ CN: [{ utf8String: hosts[0]! }] }]);
  return issueLeaf(ca, subject, names, [x509.ExtendedKeyUsage.serverAuth], { validDays: DEFAULT_SERVER_VALID_DAYS, ...withoutUndefined(opts) });
}

export async function writeCertificate(
  dir: string,
  files: IssuedCertificate,
): Promise<{ certPath: string; keyPath: string }> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const certPath = join(dir, 'cert.pem');
  const keyPath = join(dir, 'key.pem');
  await writeReplacing(keyPath, files.keyPem, KEY_MODE);
  await writeReplacing(certPath, files.certPem, CERT_MODE);
  return { certPath, keyPath };
}



/** A leaf signed by the CA with the given names and extended key usages (the kinds of leaf are in
 * this file and in node-certificates.ts). */
export async function issueLeaf(
  ca: Ca,
  subject: x509.Name,
  names: x509.JsonGeneralName[],
  usages: x509.ExtendedKeyUsage[],
  opts: IssueOptions,
): Promise<IssuedCertificate> {
  const validDays = opts.validDays ?? DEFAULT_SERVER_VALID_DAYS;
  if (!Number.isInteger(validDays) || validDays < 1) fail(Errors.InvalidInput, `validDays ${validDays}`);
  const now = opts.now ?? new Date();
  if (now >= ca.cert.notAfter) fail(Errors.InvalidInput, `the CA expired on ${ca.cert.notAfter.toISOString()}`);
  // A certificate outliving its CA fails verification anyway; clamping makes its real end visible.
  const wanted = new Date(now.getTime() + validDays * DAY_MS);
  const notAfter = wanted > ca.cert.notAfter ? ca.cert.notAfter : wanted;

  const keys = await generateKeyPair(true);
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject,
    issuer: ca.cert.subjectName,
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter,
    publicKey: keys.publicKey,
    signingKey: ca.privateKey,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
      new x509.ExtendedKeyUsageExtension(usages),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await authorityKeyId(ca),
    ],
  });
  return {
    certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey),
    serial: cert.serialNumber.toUpperCase().replace(/^0+(?=.)/, ''), notBefore: cert.notBefore, notAfter: cert.notAfter,
  };
}

export function withoutUndefined(o: IssueOptions): IssueOptions {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as IssueOptions;
}

/** Reuses the CA's own key identifier so chain builders can match issuer and leaf exactly. */
async function authorityKeyId(ca: Ca): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = ca.cert.getExtension(x509.SubjectKeyIdentifierExtension);
  return ski ? new x509.AuthorityKeyIdentifierExtension(ski.keyId) : x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey);
}




const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^(?=.{1,253}$)(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`);
