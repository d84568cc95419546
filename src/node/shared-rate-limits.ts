// Rate limits shared by the data-plane processes of one node. With `--workers N` each process
// keeping its own buckets would admit N times a service's maximum rate, so the primary process
// keeps the buckets (the same token buckets a single process uses, so the limit means the same
// thing either way) and each worker asks it over the cluster's IPC channel. A request to a
// rate-limited service pays one round trip; other services pay nothing (the stage asks only when
// the service has a rate); a node of one process makes no IPC at all.
//
// The primary answers from memory in the same turn, so an answer that does not come within a
// fraction of a second means the primary is stalled or gone: the worker's limiter then rejects and
// the stage fails open (a broken limiter must not stop a country's inquiries; the door logs it).
import cluster from 'node:cluster';
import { performance } from 'node:perf_hooks';
import { LocalRateLimiter, type RateLimiter } from '../dataplane/rate-limiter.ts';

/** A worker's question: take one token from bucket `key` refilled at `rate` per second. */
interface TakeRequest { rateTake: number; key: string; rate: number }
/** The primary's answer to question `rateTaken`. */
interface TakeAnswer { rateTaken: number; ok: boolean }

/** The IPC end a worker talks through: `process` in a cluster worker. */
export interface WorkerChannel {
  readonly connected: boolean;
  send(message: TakeRequest, callback: (error: Error | null) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/** The IPC end the primary answers through: a cluster Worker. */
export interface PrimaryChannel {
  send(message: TakeAnswer, callback: (error: Error | null) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
}

/**
 * The shared limiter could not answer. Deliberately not a coded TabadolError: the door turns coded
 * errors into refusals, and this one must let the exchange through (stage limit-rate fails open).
 */
export class RateLimiterUnavailable extends Error {
  override readonly name = 'RateLimiterUnavailable';
}

interface Pending { resolve: (ok: boolean) => void; reject: (e: Error) => void; sentAt: number }

const ignore = () => {};

/** The worker's side: asks the primary, which holds the buckets of every worker of the node. */
export class SharedRateLimiter implements RateLimiter {
  private readonly pending = new Map<number, Pending>();
  private nextId = 0;
  private sweeper: NodeJS.Timeout | undefined;

  constructor(private readonly channel: WorkerChannel, private readonly timeoutMs = 500) {
    channel.on('message', (m) => this.answered(m));
  }

  take(key: string, rate: number): Promise<boolean> {
    if (!this.channel.connected) return Promise.reject(new RateLimiterUnavailable('the primary process is gone'));
    return new Promise((resolve, reject) => {
      const id = this.nextId = this.nextId === Number.MAX_SAFE_INTEGER ? 1 : this.nextId + 1;
      this.pending.set(id, { resolve, reject, sentAt: performance.now() });
      this.sweeper ??= setInterval(this.sweep, Math.max(10, this.timeoutMs / 4)).unref();
      this.channel.send({ rateTake: id, key, rate }, this.sent);
    });
  }

  /** A send that failed means the channel is broken: nothing pending will be answered. */
  private readonly sent = (error: Error | null) => {
    if (!error) return;
    for (const [id, p] of this.pending) {
      this.pending.delete(id);
      p.reject(new RateLimiterUnavailable('cannot reach the primary process', { cause: error }));
    }
  };

  private answered(m: unknown): void {
    const a = m as Partial<TakeAnswer> | null;
    if (typeof a?.rateTaken !== 'number') return;
    const p = this.pending.get(a.rateTaken);
    if (!p) return; // already failed open by the sweeper
    this.pending.delete(a.rateTaken);
    p.resolve(a.ok === true);
  }

  /** Questions are pending in the order they were sent: the oldest are first in the map. One timer
   * for all of them, running only while some are pending, rather than a timer per request. */
  private readonly sweep = () => {
    const expired = performance.now() - this.timeoutMs;
    for (const [id, p] of this.pending) {
      if (p.sentAt > expired) break;
      this.pending.delete(id);
      p.reject(new RateLimiterUnavailable(`no answer from the primary process within ${this.timeoutMs} ms`));
    }
    if (this.pending.size === 0) {
      clearInterval(this.sweeper);
      this.sweeper = undefined;
    }
  };
}

/** The primary's side: answers one worker's questions from the node's buckets. */
export function answerRateLimits(worker: PrimaryChannel, buckets: LocalRateLimiter): void {
  worker.on('message', (m) => {
    const q = m as Partial<TakeRequest> | null;
    if (typeof q?.rateTake !== 'number' || typeof q.key !== 'string' || typeof q.rate !== 'number' || !(q.rate > 0)) return;
    // A worker that died meanwhile has no exchange waiting for the answer.
    worker.send({ rateTaken: q.rateTake, ok: buckets.take(q.key, q.rate) }, ignore);
  });
}

/**
 * The rate limiter of a data plane: shared through the primary in a cluster worker (the primary
 * must call answerRateLimits for it, see cluster.ts), this process's own buckets otherwise.
 */
export function createRateLimiter(now: () => number): RateLimiter {
  return cluster.isWorker ? new SharedRateLimiter(process as unknown as WorkerChannel) : new LocalRateLimiter(now);
}
