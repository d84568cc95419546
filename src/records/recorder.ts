// The node's side of durable records: collects the records finished in one event-loop turn and
// hands them to the writer thread as one batch (group commit). While a batch is being committed
// the next one accumulates, so batches grow with load and fsyncs stay few. A record's promise
// settles only once its batch is committed: the runner answers the caller after that.
import { Worker } from 'node:worker_threads';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { rowText, type ExchangeRecord } from './record.ts';
import type { Durability } from './record-store.ts';

export interface RecorderOptions {
  file: string;
  chainId: string;
  signingKeyPem: string;
  durability?: Durability;
  checkpointIntervalMs?: number;
}

interface Waiter { resolve: () => void; reject: (e: Error) => void }

export class Recorder {
  private rows: string[] = [];
  private waiters: Waiter[] = [];
  private inFlight = new Map<number, Waiter[]>();
  private nextId = 1;
  private scheduled = false;
  private broken: Error | undefined;
  private closing: Promise<void> | undefined;
  private closed = false;
  /** Batches and records handed to the writer so far: their ratio is the group-commit size. */
  readonly stats = { batches: 0, records: 0 };

  private constructor(private readonly worker: Worker) {
    worker.on('message', (m: { id?: number; ok?: boolean; error?: string }) => {
      if (m.id === undefined) return;
      const waiters = this.inFlight.get(m.id)!;
      this.inFlight.delete(m.id);
      if (m.ok) for (const w of waiters) w.resolve();
      else this.failAll(waiters, new Error(m.error));
      this.flush();
    });
    worker.on('error', (e) => this.breakDown(e));
    worker.on('exit', () => { if (!this.closed) this.breakDown(new Error('record writer stopped')); });
  }

  static async start(o: RecorderOptions): Promise<Recorder> {
    const worker = new Worker(new URL('./writer-bootstrap.mjs', import.meta.url), {
      workerData: {
        file: o.file,
        chainId: o.chainId,
        signingKeyPem: o.signingKeyPem,
        durability: o.durability ?? 'full',
        checkpointIntervalMs: o.checkpointIntervalMs ?? 1000,
      },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new Recorder(worker);
  }

  /** Resolves once the record is durable; rejects with Server.ServerProxy.RecordFailed otherwise. */
  append(record: ExchangeRecord): Promise<void> {
    if (this.broken || this.closing) return Promise.reject(new TabadolError(Errors.RecordFailed, this.broken?.message ?? 'node is closing'));
    return new Promise<void>((resolve, reject) => {
      this.rows.push(rowText(record));
      this.waiters.push({ resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        // Collect everything finished in this turn of the event loop into one batch.
        setImmediate(() => {
          this.scheduled = false;
          this.flush();
        });
      }
    });
  }

  private flush(): void {
    // One batch in flight at a time: while it commits, the next one grows.
    if (this.inFlight.size > 0 || this.rows.length === 0 || this.broken) return;
    const id = this.nextId++;
    this.inFlight.set(id, this.waiters);
    this.worker.postMessage({ id, batch: this.rows.join('\n') });
    this.stats.batches++;
    this.stats.records += this.rows.length;
    this.rows = [];
    this.waiters = [];
  }

  private failAll(waiters: Waiter[], e: Error): void {
    const err = new TabadolError(Errors.RecordFailed, e.message, { cause: e });
    for (const w of waiters) w.reject(err);
  }

  private breakDown(e: Error): void {
    if (this.broken) return;
    this.broken = e;
    for (const waiters of this.inFlight.values()) this.failAll(waiters, e);
    this.inFlight.clear();
    this.failAll(this.waiters, e);
    this.waiters = [];
    this.rows = [];
  }

  /** Waits for pending batches, signs a final checkpoint and stops the writer. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      while ((this.rows.length > 0 || this.inFlight.size > 0) && !this.broken) {
        this.flush();
        await new Promise((r) => setTimeout(r, 2));
      }
      if (!this.broken) {
        const closed = new Promise<void>((resolve) => this.worker.once('message', () => resolve()));
        this.worker.postMessage({ close: true });
        await closed;
      }
      this.closed = true;
      await this.worker.terminate();
    })();
    return this.closing;
  }
}
