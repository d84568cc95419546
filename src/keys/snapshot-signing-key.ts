// The key that signs registry snapshots (`keys/snapshot-signing.key.pem` and `.pub.pem`). Only the
// control plane that publishes snapshots loads it; data planes verify with its public half alone,
// and a layering rule keeps this module out of their reach (docs/layering.md).
import { generateKeyPairSync, createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileExists } from '../files/exists.ts';
import { snapshotVerifyKeyFile } from './node-keys.ts';

export interface SnapshotSigningKey {
  signingKey: KeyObject;
  verifyKey: KeyObject;
  verifyKeyPem: string;
  /** Made by this call: a data directory from before the keys were separated, or a new one. */
  created: boolean;
}

/** Loads the snapshot-signing key of `<dataDir>/keys`, creating it if it is missing. */
export async function loadOrCreateSnapshotSigningKey(dataDir: string): Promise<SnapshotSigningKey> {
  const dir = path.join(dataDir, 'keys');
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const privateFile = path.join(dir, 'snapshot-signing.key.pem');
  const publicFile = snapshotVerifyKeyFile(dataDir);
  let created = false;
  if (!(await fileExists(privateFile))) {
    const { privateKey, publicKey } = generateKeyPairSync('ed25519');
    // The public half first and each file renamed into place whole: a crash in between leaves no
    // private key without its public half, and no half-written file.
    await writeAtomic(publicFile, publicKey.export({ type: 'spki', format: 'pem' }).toString(), 0o644);
    await writeAtomic(privateFile, privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), 0o600);
    created = true;
  }
  const signingKey = createPrivateKey(await readFile(privateFile));
  const verifyKey = createPublicKey(signingKey);
  const verifyKeyPem = verifyKey.export({ type: 'spki', format: 'pem' }).toString();
  // The public file is what data planes trust: keep it the private key's own half.
  if (!(await fileExists(publicFile)) || (await readFile(publicFile, 'utf8')) !== verifyKeyPem) await writeAtomic(publicFile, verifyKeyPem, 0o644);
  return { signingKey, verifyKey, verifyKeyPem, created };
}

async function writeAtomic(file: string, text: string, mode: number): Promise<void> {
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text, { mode });
  await rename(temp, file);
}
