// The node's own secrets, kept in its data directory:
// - an Ed25519 key that signs registry snapshots and record-chain checkpoints;
// - a key for the keyed hash of subjects (citizens' identifiers are never stored in the clear);
// - the admin API's bearer token.
// Keys are parsed once into KeyObjects: re-parsing PEM per signature costs ten times the signature.
import { generateKeyPairSync, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileExists } from '../files/exists.ts';
import path from 'node:path';

export interface NodeKeys {
  signingKey: KeyObject;
  verifyKey: KeyObject;
  verifyKeyPem: string;
  subjectKey: Buffer;
  adminToken: string;
}

/** Loads the node's keys from `<dataDir>/keys`, creating any that are missing. */
export async function loadOrCreateNodeKeys(dataDir: string): Promise<NodeKeys> {
  const dir = path.join(dataDir, 'keys');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const signingFile = path.join(dir, 'node-signing.key.pem');
  const verifyFile = path.join(dir, 'node-signing.pub.pem');
  const subjectFile = path.join(dir, 'subject-hash.key');
  const tokenFile = path.join(dir, 'admin-token');

  if (!(await fileExists(signingFile))) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    await writeFile(signingFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
    await writeFile(verifyFile, publicKey.export({ type: 'spki', format: 'pem' }));
  }
  if (!(await fileExists(subjectFile))) await writeFile(subjectFile, randomBytes(32).toString('base64'), { mode: 0o600 });
  if (!(await fileExists(tokenFile))) await writeFile(tokenFile, randomBytes(24).toString('base64url'), { mode: 0o600 });

  const signingKey = createPrivateKey(await readFile(signingFile));
  const verifyKeyPem = await readFile(verifyFile, 'utf8');
  return {
    signingKey,
    verifyKey: createPublicKey(verifyKeyPem),
    verifyKeyPem,
    subjectKey: Buffer.from((await readFile(subjectFile, 'utf8')).trim(), 'base64'),
    adminToken: (await readFile(tokenFile, 'utf8')).trim(),
  };
}

/** Keys held only in memory, for tests and throwaway nodes. */
export function ephemeralNodeKeys(): NodeKeys {
  const { privateKey, publicKey } = generateKeyPairSync('ed25519');
  const verifyKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
  return {
    signingKey: privateKey,
    verifyKey: publicKey,
    verifyKeyPem,
    subjectKey: randomBytes(32),
    adminToken: randomBytes(24).toString('base64url'),
  };
}
