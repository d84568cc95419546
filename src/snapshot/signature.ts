// Ed25519 over the exact document text: the text, not a re-serialisation, is what is signed, so a
// verifier never depends on JSON key order.
import { sign, verify, type KeyObject } from 'node:crypto';
import { Errors, fail } from '../errors/catalogue.ts';
import type { SignedSnapshot, SnapshotDocument } from './document.ts';

export function signSnapshot(doc: SnapshotDocument, key: KeyObject): SignedSnapshot {
  const document = JSON.stringify(doc);
  return { version: doc.version, document, signature: sign(null, Buffer.from(document), key).toString('base64') };
}

export function verifySnapshot(signed: SignedSnapshot, key: KeyObject): SnapshotDocument {
  const ok = verify(null, Buffer.from(signed.document), key, Buffer.from(signed.signature, 'base64'));
  if (!ok) fail(Errors.SnapshotInvalid, `signature of version ${signed.version} does not verify`);
  const doc = JSON.parse(signed.document) as SnapshotDocument;
  if (doc.format !== 'tabadol-snapshot/1' || doc.version !== signed.version) {
    fail(Errors.SnapshotInvalid, `version ${signed.version} has an unexpected shape`);
  }
  return doc;
}
