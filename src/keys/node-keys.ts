// The node's own secrets, kept in its data directory, as every process of the node needs them:
// - the record key (`node-signing`): Ed25519, signs the checkpoints of this node's record chains;
//   its public half is registered in the registry (registry/node-record-keys.ts) for auditors;
// - a key for the keyed hash of subjects (citizens' identifiers are never stored in the clear);
// - the admin API's bearer token.
// The snapshot-signing key is not here: only the control plane that publishes snapshots loads it
// (snapshot-signing-key.ts), and the data planes read its public half alone (readSnapshotVerifyKey),
// so that an internet-facing process that is taken over cannot sign a registry snapshot.
// Until the keys were separated, `node-signing` signed snapshots too: snapshots published before a
// data directory's upgrade verify with `node-signing.pub.pem`.
// Keys are parsed once into KeyObjects: re-parsing PEM per signature costs ten times the signature.
import { generateKeyPairSync, createPrivateKey, createPublicKey, randomBytes, type KeyObject } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { fileExists } from '../files/exists.ts';
import path from 'node:path';

export interface NodeKeys {
  /** The record key: signs record-chain checkpoints, never snapshots. */
  signingKey: KeyObject;
  /** Its public half (`keys/node-signing.pub.pem`), registered in the registry for auditors. */
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

/** Where the snapshot-signing key's public half is kept: the one file of it a data plane reads. */
export function snapshotVerifyKeyFile(dataDir: string): string {
  return path.join(dataDir, 'keys', 'snapshot-signing.pub.pem');
}

/** The public key that verifies this node's snapshots, without going near the private one. */
export async function readSnapshotVerifyKey(dataDir: string): Promise<KeyObject> {
  return createPublicKey(await readFile(snapshotVerifyKeyFile(dataDir), 'utf8'));
}
