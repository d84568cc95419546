// The node's side of durable records: collects the records finished in one event-loop turn and
// hands them to the writer thread as one batch (group commit). While a batch is being committed
// the next one accumulates, so batches grow with load and fsyncs stay few. A record's promise
// settles only once its batch is committed: the runner answers the caller after that.
import { Worker } from 'node:worker_threads';
import type { Logger } from 'pino';
import { Errors, TabadolError } from '../errors/catalogue.ts';
import { rowText, type ExchangeRecord } from './record.ts';
import type { Durability } from './record-store.ts';
import type { RetentionPolicy } from './retention.ts';

/** Records kept for good; hourly statistics for 92 days (about three Jalali months). */
const DEFAULT_RETENTION: RetentionPolicy = { recordDays: null, hourlyDays: 92 };

export interface RecorderOptions {
  file: string;
  chainId: string;
  signingKeyPem: string;
  durability?: Durability;
  checkpointIntervalMs?: number;
  /** Count records into the rollups (default on). */
  rollups?: boolean;
  retention?: RetentionPolicy;
  /** While `breached`, appends are refused before anything is written (see disk-reserve.ts). */
  reserve?: { readonly breached: boolean };
  log?: Pick<Logger, 'error'>;
}

interface Waiter { resolve: () => void; reject: (e: Error) => void }

/** The writer thread's entry file. Compiled (dist/records/recorder.js), it is the JavaScript beside
 * this module. Run from source (tsx, vitest), a worker thread does not inherit its parent's
 * TypeScript loader, so a plain-JavaScript bootstrap registers one first. */
const WRITER_ENTRY = import.meta.url.endsWith('.ts')
  ? new URL('./writer-bootstrap.mjs', import.meta.url)
  : new URL('./writer-thread.js', import.meta.url);

export class Recorder {
  private rows: string[] = [];
  private waiters: Waiter[] = [];
  private inFlight = new Map<number, Waiter[]>();
  private nextId = 1;
  private scheduled = false;
  private broken: TabadolError | undefined;

  /** False once the writer thread failed or stopped: no exchange can be recorded, so none is answered. */
  get healthy(): boolean {
    return this.broken === undefined && !this.closed;
  }
  private closing: Promise<void> | undefined;
  private closed = false;
  /** Batches and records handed to the writer so far: their ratio is the group-commit size. */
  readonly stats = { batches: 0, records: 0 };

  private constructor(private readonly worker: Worker, private readonly o: RecorderOptions) {
    worker.on('message', (m: { id?: number; ok?: boolean; error?: string; checkpointError?: string; retentionError?: string }) => {
      if (m.retentionError !== undefined) o.log?.error({ chainId: o.chainId, reason: m.retentionError }, 'removing aged-out records failed; trying again later');
      if (m.checkpointError !== undefined) o.log?.error({ chainId: o.chainId, reason: m.checkpointError }, 'signing the record chain head failed; trying again');
      if (m.id === undefined) return;
      const waiters = this.inFlight.get(m.id)!;
      this.inFlight.delete(m.id);
      if (m.ok) for (const w of waiters) w.resolve();
      else this.failAll(waiters, new TabadolError(Errors.RecordFailed, m.error));
      this.flush();
    });
    worker.on('error', (e) => this.breakDown(new TabadolError(Errors.RecordFailed, e.message, { cause: e })));
    worker.on('exit', () => { if (!this.closed) this.breakDown(new TabadolError(Errors.RecordFailed, 'record writer stopped')); });
  }

  static async start(o: RecorderOptions): Promise<Recorder> {
    const worker = new Worker(WRITER_ENTRY, {
      workerData: {
        file: o.file,
        chainId: o.chainId,
        signingKeyPem: o.signingKeyPem,
        durability: o.durability ?? 'full',
        checkpointIntervalMs: o.checkpointIntervalMs ?? 1000,
        rollups: o.rollups ?? true,
        retention: o.retention ?? DEFAULT_RETENTION,
      },
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    return new Recorder(worker, o);
  }

  /** Resolves once the record is durable; rejects with Server.ServerProxy.RecordFailed otherwise. */
  append(record: ExchangeRecord): Promise<void> {
    if (this.broken || this.closing) return Promise.reject(this.broken ?? new TabadolError(Errors.RecordFailed, 'node is closing'));
    if (this.o.reserve?.breached) return Promise.reject(new TabadolError(Errors.DiskReserve));
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

  private failAll(waiters: Waiter[], err: TabadolError): void {
    for (const w of waiters) w.reject(err);
  }

  private breakDown(e: TabadolError): void {
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
        const closed = new Promise<void>((resolve) => {
          const onMessage = (m: { closed?: boolean; error?: string }) => {
            if (!m.closed) return;
            this.worker.off('message', onMessage);
            if (m.error) this.o.log?.error({ chainId: this.o.chainId, reason: m.error }, 'the final checkpoint of the record chain failed');
            resolve();
          };
          this.worker.on('message', onMessage);
          this.worker.once('exit', () => resolve());
        });
        this.worker.postMessage({ close: true });
        await closed;
      }
      this.closed = true;
      await this.worker.terminate();
    })();
    return this.closing;
  }
}
