// Appends batches of records to one hash chain in one transaction each, and signs a checkpoint of
// the chain head. Runs inside the record writer thread (writer-thread.ts), so its synchronous
// SQLite calls and fsyncs never block the node's event loop.
//
// When the head is signed: with the batch that moves it if the interval allows, otherwise by a
// timer at the end of the interval, and on start and shutdown. Without the timer the last records
// before traffic stops would stay unsigned until the next batch, and could be deleted together with
// nothing that proves they existed (DESIGN section 5: chain heads are signed while they move).
import { createPrivateKey, createPublicKey, sign } from 'node:crypto';
import type Database from 'better-sqlite3';
import { canonicalRow, chainHash, checkpointMessage, fullRow, GENESIS_HASH, type RecordRow } from './record.ts';
import { RECORD_COLUMNS } from './record-store.ts';
import { RollupWriter } from '../oversight/rollup-writer.ts';

export interface ChainWriterOptions {
  chainId: string;
  signingKeyPem: string;
  /** Minimum time between two signed checkpoints; 0 signs after every batch. */
  checkpointIntervalMs: number;
  now?: () => number;
  /** Count each batch into the rollups in its own transaction (on unless turned off, e.g. to
   * measure what they cost). */
  rollups?: boolean;
  /** Told when a checkpoint due on the timer could not be written; it is tried again later. */
  onCheckpointError?: (e: Error) => void;
}

export class ChainWriter {
  private seq: number;
  private head: string;
  private lastCheckpointAt = 0;
  private checkpointedSeq: number;
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private readonly insert: Database.Statement;
  private readonly insertCheckpoint: Database.Statement;
  private readonly key;
  private readonly publicKeyPem: string;
  private readonly now: () => number;
  private readonly writeBatch: (rows: string[]) => void;
  private readonly rollups: RollupWriter | undefined;

  constructor(private readonly db: Database.Database, private readonly o: ChainWriterOptions) {
    this.now = o.now ?? Date.now;
    this.key = createPrivateKey(o.signingKeyPem);
    this.publicKeyPem = createPublicKey(this.key).export({ type: 'spki', format: 'pem' }).toString();
    const last = db.prepare('select seq, hash from records where chain_id = ? order by seq desc limit 1').get(o.chainId) as
      { seq: number; hash: string } | undefined;
    this.seq = last?.seq ?? 0;
    this.head = last?.hash ?? GENESIS_HASH;
    const cp = db.prepare('select max(seq) as seq from checkpoints where chain_id = ?').get(o.chainId) as { seq: number | null };
    this.checkpointedSeq = cp.seq ?? 0;
    const cols = ['chain_id', 'seq', ...RECORD_COLUMNS, 'prev_hash', 'hash'];
    this.insert = db.prepare(`insert into records (${cols.join(',')}) values (${cols.map(() => '?').join(',')})`);
    this.insertCheckpoint = db.prepare('insert into checkpoints (chain_id, seq, head_hash, at, signature, public_key) values (?, ?, ?, ?, ?, ?)');
    this.rollups = o.rollups === false ? undefined : new RollupWriter(db);
    this.writeBatch = db.transaction((rows: string[]) => {
      const parsed: RecordRow[] = [];
      for (const text of rows) {
        const seq = this.seq + 1;
        const row = JSON.parse(text) as RecordRow;
        // rowText sends canonical text; a row that is not (a trailing null of an appended field) is
        // hashed as the verifier will read it back.
        const canonical = canonicalRow(row);
        const hash = chainHash(this.o.chainId, seq, this.head, canonical === row ? text : canonical);
        this.insert.run(this.o.chainId, seq, ...fullRow(row), this.head, hash);
        parsed.push(row);
        this.seq = seq;
        this.head = hash;
      }
      this.rollups?.add(parsed);
      this.maybeCheckpoint(false);
    });
    // A process killed between a batch and its timer left records unsigned: the timer, due at
    // once, signs them (and retries if the disk refuses).
    this.armTimer();
  }

  /** Commits the rows (each a record's JSON text) durably, in order. Throws, and leaves the chain as
   * it was, if the commit fails. */
  append(rows: string[]): void {
    const seq = this.seq;
    const head = this.head;
    const checkpointedSeq = this.checkpointedSeq;
    const lastCheckpointAt = this.lastCheckpointAt;
    try {
      this.writeBatch(rows);
    } catch (e) {
      // The transaction rolled back: so must the in-memory head, and the checkpoint it may have
      // signed in it (else the records that later reach that seq would count as signed).
      this.seq = seq;
      this.head = head;
      this.checkpointedSeq = checkpointedSeq;
      this.lastCheckpointAt = lastCheckpointAt;
      this.rollups?.rolledBack();
      throw e;
    }
    this.armTimer();
  }

  /** Signs the current head (inside the caller's transaction when there is one). */
  private maybeCheckpoint(force: boolean): void {
    const t = this.now();
    if (this.seq === this.checkpointedSeq) return;
    if (!force && t - this.lastCheckpointAt < this.o.checkpointIntervalMs) return;
    const at = new Date(t).toISOString();
    const signature = sign(null, checkpointMessage(this.o.chainId, this.seq, this.head, at), this.key).toString('base64');
    this.insertCheckpoint.run(this.o.chainId, this.seq, this.head, at, signature, this.publicKeyPem);
    this.lastCheckpointAt = t;
    this.checkpointedSeq = this.seq;
  }

  /** The head moved but the interval held its checkpoint back: sign it when the interval ends. */
  private armTimer(): void {
    if (this.timer || this.stopped || this.seq === this.checkpointedSeq) return;
    // setTimeout takes at most 2^31-1 ms; a longer delay would fire at once.
    const wait = Math.min(2 ** 31 - 1, Math.max(0, this.lastCheckpointAt + this.o.checkpointIntervalMs - this.now()));
    this.timer = setTimeout(() => {
      this.timer = undefined;
      try {
        this.checkpointNow();
      } catch (e) {
        // A full or failing disk: the head stays unsigned until the next try, one interval later.
        this.lastCheckpointAt = this.now();
        this.o.onCheckpointError?.(e as Error);
      }
      this.armTimer();
    }, wait);
  }

  /** Signs the head now if it moved since the last checkpoint (on start, on the timer, on shutdown). */
  checkpointNow(): void {
    this.db.transaction(() => this.maybeCheckpoint(true))();
  }

  /** No more timed checkpoints: the caller signs a final one and closes the database. */
  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  get position(): { seq: number; head: string; signedSeq: number } {
    return { seq: this.seq, head: this.head, signedSeq: this.checkpointedSeq };
  }
}
