// The control plane's side of distribution: the newest snapshot in the registry store, verified
// with this node's snapshot key and ready to serve (endpoint.ts). The store is read off the request
// path, on a timer and when the admin API reports a change, so a change made by any process that
// writes the registry (admin API, CLI) is served within one interval.
// A newest stored version that does not verify with the snapshot key (one published before the keys
// were separated, or by a tool still signing with the record key) is never served: the registry is
// published again, from the store's tables, signed with the snapshot key, and that is served.
import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import type { RegistryDb } from '../store/database.ts';
import type { SignedSnapshot, SnapshotDocument } from './document.ts';
import { verifySnapshot } from './signature.ts';
import { latestSnapshot } from './publish.ts';
import { servedSnapshot, type ServedSnapshot } from './endpoint.ts';

export class SnapshotPublication {
  private served: ServedSnapshot | undefined;
  private refreshing: Promise<void> | undefined;
  private again = false;
  private timer: NodeJS.Timeout | undefined;
  private readonly listeners: ((signed: SignedSnapshot, doc: SnapshotDocument) => void)[] = [];

  constructor(private readonly o: {
    db: RegistryDb;
    verifyKey: KeyObject;
    /** Publishes the registry as it stands, signed with the snapshot key. */
    republish: () => Promise<unknown>;
    log: Logger;
  }) {}

  current(): ServedSnapshot | undefined {
    return this.served;
  }

  /** Called with each newer verified version, in order (the primary's own snapshot holder). */
  onNewer(listener: (signed: SignedSnapshot, doc: SnapshotDocument) => void): void {
    this.listeners.push(listener);
    if (this.served) listener(this.served.signed, JSON.parse(this.served.signed.document) as SnapshotDocument);
  }

  /** Reads the newest stored version now; calls made while one runs share a second run after it. */
  refresh(): Promise<void> {
    if (this.refreshing) {
      this.again = true;
      return this.refreshing;
    }
    this.refreshing = (async () => {
      try {
        do {
          this.again = false;
          await this.readStore();
        } while (this.again);
      } finally {
        this.refreshing = undefined;
      }
    })();
    return this.refreshing;
  }

  start(intervalMs: number): void {
    this.timer = setInterval(() => { this.refresh().catch((e: unknown) => this.o.log.error({ err: e }, 'reading the newest snapshot failed')); }, intervalMs);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private async readStore(): Promise<void> {
    for (let attempt = 0; attempt < 2; attempt++) {
      const signed = await latestSnapshot(this.o.db, this.served?.signed.version ?? 0);
      if (!signed) return;
      let doc: SnapshotDocument;
      try {
        doc = verifySnapshot(signed, this.o.verifyKey);
      } catch {
        this.o.log.warn({ version: signed.version },
          'the newest stored snapshot is not signed with this node\'s snapshot key (published before the keys were separated, or by a tool with the record key): publishing the registry again with the snapshot key');
        await this.o.republish();
        continue;
      }
      this.served = servedSnapshot(signed, doc.validUntil);
      for (const l of this.listeners) l(signed, doc);
      return;
    }
  }
}
