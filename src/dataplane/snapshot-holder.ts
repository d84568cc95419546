// Holds the snapshot the data plane runs on. A new one is verified and compiled off to the side,
// then swapped in with one assignment: an exchange in flight keeps the snapshot it started with.
import type { KeyObject } from 'node:crypto';
import type { SignedSnapshot } from '../snapshot/document.ts';
import { verifySnapshot } from '../snapshot/signature.ts';
import { compileSnapshot, type RuntimeSnapshot } from './runtime-snapshot.ts';

export class SnapshotHolder {
  current: RuntimeSnapshot | undefined;

  constructor(private readonly verifyKey: KeyObject) {}

  get version(): number {
    return this.current?.version ?? 0;
  }

  /** Verifies, compiles and swaps in a newer snapshot; an older or equal version is ignored. */
  load(signed: SignedSnapshot): boolean {
    if (signed.version <= this.version) return false;
    const compiled = compileSnapshot(verifySnapshot(signed, this.verifyKey));
    this.current = compiled;
    return true;
  }
}
