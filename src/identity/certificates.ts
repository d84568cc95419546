// Leaf certificates signed by the exchange CA. A client certificate is bound to exactly one
// subsystem through a SubjectAlternativeName URI `xroad:INSTANCE/CLASS/MEMBER/SUBSYSTEM`;
// the node reads that binding from every mutually authenticated TLS connection.
import { isIP } from 'node:net';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { PeerCertificate } from 'node:tls';
import { Errors, fail } from '../errors/catalogue.ts';
import { isValidPart, parseSubsystemId, subsystemKey, type SubsystemId } from '../identifiers/xroad-id.ts';
import { countryOf, type Ca } from './ca.ts';
import { CERT_MODE, KEY_MODE, writeReplacing } from './files.ts';
import { CLOCK_SKEW_MS, SIGNING_ALGORITHM, generateKeyPair, privateKeyPem, randomSerial, x509 } from './x509.ts';

export interface IssuedCertificate {
  readonly certPem: string;
  readonly keyPem: string;
}

export interface IssueOptions {
  now?: Date;
  validDays?: number;
}

const DEFAULT_VALID_DAYS = 730;
const DAY_MS = 24 * 60 * 60 * 1000;
const URI_PREFIX = 'xroad:';

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
  return issue(ca, subject, [{ type: 'url', value: subsystemUri(id) }], x509.ExtendedKeyUsage.clientAuth, opts);
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
  return issue(ca, subject, names, x509.ExtendedKeyUsage.serverAuth, opts);
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

/** The SAN URI that binds a certificate to a subsystem; parts are percent-encoded (SAN URIs are ASCII). */
export function subsystemUri(id: SubsystemId): string {
  return URI_PREFIX + [id.instance, id.memberClass, id.memberCode, id.subsystemCode].map(encodePart).join('/');
}

/**
 * The subsystem a peer certificate is bound to, or undefined. It does NOT check who issued the
 * certificate: callers must first require `socket.authorized` (chain verified against the CA).
 * Works on the string Node already built (`subjectaltname`), so no certificate is re-parsed.
 */
export function subsystemIdOfPeer(peer: PeerCertificate | undefined): string | undefined {
  const san: string | undefined = peer?.subjectaltname;
  if (!san || !san.includes(URI_PREFIX)) return undefined;
  let found: string | undefined;
  // Node separates names with ", " and escapes any comma inside a name, so the split is exact.
  for (const name of san.split(', ')) {
    if (!name.startsWith('URI:')) continue;
    const uri = name.startsWith('URI:"') ? unquote(name.slice(4)) : name.slice(4);
    if (!uri?.startsWith(URI_PREFIX)) continue;
    // Two bindings in one certificate is ambiguous; trust neither.
    if (found !== undefined) return undefined;
    found = uri.slice(URI_PREFIX.length);
  }
  return found === undefined ? undefined : decodeBinding(found);
}

async function issue(
  ca: Ca,
  subject: x509.Name,
  names: x509.JsonGeneralName[],
  usage: x509.ExtendedKeyUsage,
  opts: IssueOptions,
): Promise<IssuedCertificate> {
  const validDays = opts.validDays ?? DEFAULT_VALID_DAYS;
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
      new x509.ExtendedKeyUsageExtension([usage]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
      await authorityKeyId(ca),
    ],
  });
  return { certPem: cert.toString('pem'), keyPem: await privateKeyPem(keys.privateKey) };
}

/** Reuses the CA's own key identifier so chain builders can match issuer and leaf exactly. */
async function authorityKeyId(ca: Ca): Promise<x509.AuthorityKeyIdentifierExtension> {
  const ski = ca.cert.getExtension(x509.SubjectKeyIdentifierExtension);
  return ski ? new x509.AuthorityKeyIdentifierExtension(ski.keyId) : x509.AuthorityKeyIdentifierExtension.create(ca.cert.publicKey);
}

// Strict RFC 3986 unreserved set: also escapes !'()* so Node never has to quote the name.
function encodePart(part: string): string {
  return encodeURIComponent(part).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function decodeBinding(path: string): string | undefined {
  const encoded = path.split('/');
  if (encoded.length !== 4) return undefined;
  try {
    const parts = encoded.map(decodeURIComponent);
    if (!parts.every(isValidPart)) return undefined;
    const [instance, memberClass, memberCode, subsystemCode] = parts as [string, string, string, string];
    return subsystemKey({ instance, memberClass, memberCode, subsystemCode });
  } catch {
    return undefined; // malformed percent-encoding
  }
}

/** Node writes a name holding a comma, quote or control character as a JSON string: `URI:"a\u002cb"`. */
function unquote(raw: string): string | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

const LABEL = '[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?';
const DNS_NAME = new RegExp(`^(?=.{1,253}$)(?:\\*\\.)?${LABEL}(?:\\.${LABEL})*$`);
