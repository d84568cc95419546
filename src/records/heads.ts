// Signed chain heads an auditor keeps away from the node. A head is the newest signed checkpoint of
// a chain; a copy kept elsewhere proves later that the records it covers existed, even if someone
// able to write the store removes the newest records together with their checkpoints (which the
// store alone cannot reveal: its chain would simply end earlier).
import { createHash, createPublicKey, verify, type KeyObject } from 'node:crypto';
import type Database from 'better-sqlite3';
import { Errors, fail } from '../errors/catalogue.ts';
import { checkpointMessage } from './record.ts';

export const HEADS_FORMAT = 'tabadol-heads/1';

export interface SignedHead {
  chainId: string;
  /** Sequence number of the newest record the checkpoint covers. */
  seq: number;
  /** That record's chain hash (base64 SHA-256). */
  recordHash: string;
  /** When the checkpoint was signed (ISO 8601 UTC). */
  at: string;
  /** Ed25519 over checkpointMessage(chainId, seq, recordHash, at), base64. */
  signature: string;
  /** The key that verifies it (SPKI PEM), and its identifier: SHA-256 of the SPKI DER. */
  publicKey: string;
  keyId: string;
}

export interface HeadsFile { format: typeof HEADS_FORMAT; heads: SignedHead[] }

export function keyIdOf(key: KeyObject): string {
  return 'sha256:' + createHash('sha256').update(key.export({ type: 'spki', format: 'der' })).digest('hex');
}

export function headSignatureValid(h: SignedHead, key: KeyObject): boolean {
  return verify(null, checkpointMessage(h.chainId, h.seq, h.recordHash, h.at), key, Buffer.from(h.signature, 'base64'));
}

/** The newest checkpoint of every chain in the store. */
export function readSignedHeads(db: Database.Database): SignedHead[] {
  const rows = db.prepare(`
    select c.chain_id, c.seq, c.head_hash, c.at, c.signature, c.public_key from checkpoints c
    where c.seq = (select max(seq) from checkpoints where chain_id = c.chain_id) order by c.chain_id`)
    .all() as { chain_id: string; seq: number; head_hash: string; at: string; signature: string; public_key: string }[];
  return rows.map((r) => ({
    chainId: r.chain_id, seq: r.seq, recordHash: r.head_hash, at: r.at, signature: r.signature,
    publicKey: r.public_key, keyId: keyIdOf(createPublicKey(r.public_key)),
  }));
}

const isText = (v: unknown, max = 4096): v is string => typeof v === 'string' && v.length > 0 && v.length <= max;

/** Reads a heads file as `tabadol audit head` wrote it; anything else is refused, naming what is wrong. */
export function parseHeadsFile(text: string): SignedHead[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    fail(Errors.InvalidInput, 'the heads file is not JSON (expected the output of `tabadol audit head`)');
  }
  const d = doc as Partial<HeadsFile> | null;
  if (!d || d.format !== HEADS_FORMAT || !Array.isArray(d.heads)) {
    fail(Errors.InvalidInput, `the heads file is not in the ${HEADS_FORMAT} format of \`tabadol audit head\``);
  }
  return d.heads.map((h: Partial<SignedHead>, i) => {
    if (!h || !isText(h.chainId, 255) || !Number.isSafeInteger(h.seq) || h.seq! < 1 || !isText(h.recordHash, 64)
      || !isText(h.at, 64) || !isText(h.signature, 256) || !isText(h.publicKey) || !isText(h.keyId, 128)) {
      fail(Errors.InvalidInput, `head ${i + 1} of the heads file lacks chainId, seq, recordHash, at, signature, publicKey or keyId`);
    }
    return { chainId: h.chainId, seq: h.seq!, recordHash: h.recordHash, at: h.at, signature: h.signature, publicKey: h.publicKey, keyId: h.keyId };
  });
}
