// The signed snapshot as it travels between planes and nodes: the exact signed document text (a
// JSON string inside the envelope, so not one byte of it changes), its signature, its version and
// its expiry. The envelope itself is not signed: whoever reads it verifies the document's signature
// and takes version and expiry from the verified document (signature.ts), never from the envelope.
import { createHash } from 'node:crypto';
import { Errors, fail } from '../errors/catalogue.ts';
import type { SignedSnapshot } from './document.ts';

export const ENVELOPE_FORMAT = 'tabadol-signed-snapshot/1';

export interface SnapshotEnvelope {
  format: typeof ENVELOPE_FORMAT;
  version: number;
  validUntil: string;
  signature: string;
  document: string;
}

export function toEnvelope(signed: SignedSnapshot, validUntil: string): SnapshotEnvelope {
  return { format: ENVELOPE_FORMAT, version: signed.version, validUntil, signature: signed.signature, document: signed.document };
}

/** A strong entity tag (RFC 9110 §8.8.3) of one signed version: its number and a digest of text and signature. */
export function etagOf(signed: SignedSnapshot): string {
  const digest = createHash('sha256').update(signed.document).update('\n').update(signed.signature).digest('base64url').slice(0, 22);
  return `"${signed.version}-${digest}"`;
}

/** Reads an envelope's shape; the signature is checked by the caller. */
export function parseEnvelope(text: string): SnapshotEnvelope {
  let e: Partial<SnapshotEnvelope>;
  try {
    e = JSON.parse(text) as Partial<SnapshotEnvelope>;
  } catch {
    fail(Errors.SnapshotInvalid, 'the snapshot envelope is not JSON');
  }
  if (e === null || typeof e !== 'object' || e.format !== ENVELOPE_FORMAT || !Number.isSafeInteger(e.version) || (e.version ?? 0) < 1
    || typeof e.validUntil !== 'string' || typeof e.signature !== 'string' || typeof e.document !== 'string') {
    fail(Errors.SnapshotInvalid, `the snapshot envelope is not ${ENVELOPE_FORMAT}`);
  }
  return e as SnapshotEnvelope;
}
