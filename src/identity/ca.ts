// The exchange is its own certificate authority: it signs the client certificates that bind a
// TLS connection to one subsystem, and the server certificates of the nodes' data ports.
import { X509Certificate as NodeX509Certificate, createPrivateKey, type KeyObject } from 'node:crypto';
import { access, mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { Errors, fail } from '../errors/catalogue.ts';
import { isValidPart } from '../identifiers/xroad-id.ts';
import { CERT_MODE, KEY_MODE, isErrno, writeNew } from './files.ts';
import {
  CLOCK_SKEW_MS, KEY_ALGORITHM, SIGNING_ALGORITHM, generateKeyPair, privateKeyPem, randomSerial, webcrypto, x509,
} from './x509.ts';

export const CA_CERT_FILE = 'ca.crt.pem';
export const CA_KEY_FILE = 'ca.key.pem';
const DEFAULT_CA_YEARS = 10;

export interface Ca {
  readonly certPem: string;
  readonly cert: x509.X509Certificate;
  /** Non-extractable once loaded: the CA key is only ever used to sign. */
  readonly privateKey: CryptoKey;
}

export async function initCa(
  caDir: string,
  opts: { instance: string; now?: Date; validYears?: number },
): Promise<{ certPath: string; keyPath: string }> {
  if (!isValidPart(opts.instance)) fail(Errors.InvalidInput, `instance ${JSON.stringify(opts.instance)}`);
  const validYears = opts.validYears ?? DEFAULT_CA_YEARS;
  if (!Number.isInteger(validYears) || validYears < 1) fail(Errors.InvalidInput, `validYears ${validYears}`);
  const now = opts.now ?? new Date();
  const certPath = join(caDir, CA_CERT_FILE);
  const keyPath = join(caDir, CA_KEY_FILE);

  await mkdir(caDir, { recursive: true, mode: 0o700 });
  // Either file alone still means "a CA lives here": never overwrite half of one.
  if ((await exists(certPath)) || (await exists(keyPath))) fail(Errors.CaExists, caDir);

  const keys = await generateKeyPair(true);
  const notAfter = new Date(now);
  notAfter.setUTCFullYear(notAfter.getUTCFullYear() + validYears);
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: caName(opts.instance),
    notBefore: new Date(now.getTime() - CLOCK_SKEW_MS),
    notAfter,
    keys,
    signingAlgorithm: SIGNING_ALGORITHM,
    extensions: [
      // pathLength 0: the CA signs leaves directly, never an intermediate.
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    ],
  });

  // Exclusive creates: if another `ca init` races us, exactly one of them wins.
  try {
    await writeNew(keyPath, await privateKeyPem(keys.privateKey), KEY_MODE);
  } catch (e) {
    if (isErrno(e, 'EEXIST')) fail(Errors.CaExists, caDir);
    throw e;
  }
  try {
    await writeNew(certPath, cert.toString('pem'), CERT_MODE);
  } catch (e) {
    await rm(keyPath, { force: true });
    if (isErrno(e, 'EEXIST')) fail(Errors.CaExists, caDir);
    throw e;
  }
  return { certPath, keyPath };
}

export async function loadCa(caDir: string): Promise<Ca> {
  const [certPem, keyPem] = await Promise.all([
    readCaFile(caDir, CA_CERT_FILE),
    readCaFile(caDir, CA_KEY_FILE),
  ]);
  let nodeCert: NodeX509Certificate;
  let keyObject: KeyObject;
  try {
    nodeCert = new NodeX509Certificate(certPem);
    keyObject = createPrivateKey(keyPem);
  } catch (e) {
    return fail(Errors.InternalError, `the CA files in ${caDir} are not valid PEM`, e);
  }
  // Catches swapped or hand-edited files before they produce certificates nobody can verify.
  if (!nodeCert.ca) fail(Errors.InternalError, `${join(caDir, CA_CERT_FILE)} is not a CA certificate`);
  if (!nodeCert.checkPrivateKey(keyObject)) fail(Errors.InternalError, `the CA key in ${caDir} does not match its certificate`);

  let privateKey: CryptoKey;
  try {
    const der = keyObject.export({ format: 'der', type: 'pkcs8' });
    privateKey = (await webcrypto.subtle.importKey('pkcs8', der, KEY_ALGORITHM, false, ['sign'])) as CryptoKey;
  } catch (e) {
    return fail(Errors.InternalError, `the CA key in ${caDir} is not an ECDSA P-256 key`, e);
  }
  return { certPem, cert: new x509.X509Certificate(certPem), privateKey };
}

function caName(instance: string): x509.Name {
  return new x509.Name([
    ...countryOf(instance),
    { O: [{ utf8String: 'Tabadol' }] },
    { CN: [{ utf8String: `Tabadol ${instance} CA` }] },
  ]);
}

/** X.509's C attribute must be a two-letter country code; other instance codes are left out. */
export function countryOf(instance: string): x509.JsonAttributeAndObjectValue[] {
  return /^[A-Z]{2}$/.test(instance) ? [{ C: [{ printableString: instance }] }] : [];
}

async function readCaFile(caDir: string, file: string): Promise<string> {
  try {
    return await readFile(join(caDir, file), 'utf8');
  } catch (e) {
    if (isErrno(e, 'ENOENT') || isErrno(e, 'ENOTDIR')) fail(Errors.CaMissing, caDir);
    return fail(Errors.InternalError, `cannot read ${join(caDir, file)}`, e);
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path);
    return true;
  } catch (e) {
    if (isErrno(e, 'ENOENT')) return false;
    throw e;
  }
}
