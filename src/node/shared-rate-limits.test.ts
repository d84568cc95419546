// The node's buckets shared by its data-plane workers: several workers asking one primary admit
// the rate once, not once per worker; a primary that does not answer makes the limiter reject (so
// that the stage fails open) within its timeout rather than hold the exchange.
import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { LocalRateLimiter } from '../dataplane/rate-limiter.ts';
import { answerRateLimits, createRateLimiter, RateLimiterUnavailable, SharedRateLimiter, type PrimaryChannel, type WorkerChannel } from './shared-rate-limits.ts';

/** A worker's IPC channel to a primary, in one process; messages arrive on a later turn, as over IPC. */
function channelPair(o: { primaryAnswers?: boolean } = {}) {
  const toWorker = new EventEmitter();
  const toPrimary = new EventEmitter();
  const worker: WorkerChannel & { connected: boolean; sent: number } = {
    connected: true,
    sent: 0,
    send(m, cb) {
      worker.sent++;
      // Written on a later turn: a channel that closed meanwhile reports it to the callback.
      setImmediate(() => {
        if (!worker.connected) return cb(new Error('channel closed'));
        toPrimary.emit('message', m);
        cb(null);
      });
      return true;
    },
    on(_e, l) { toWorker.on('message', l); return worker; },
  };
  const primary: PrimaryChannel = {
    send(m, cb) { setImmediate(() => { if (o.primaryAnswers !== false) toWorker.emit('message', m); cb(null); }); return true; },
    on(_e, l) { toPrimary.on('message', l); return primary; },
  };
  return { worker, primary };
}

async function admitted(limiters: SharedRateLimiter[], key: string, rate: number, perLimiter: number): Promise<number> {
  const answers = await Promise.all(limiters.flatMap((l) => Array.from({ length: perLimiter }, () => l.take(key, rate))));
  return answers.filter(Boolean).length;
}

describe('SharedRateLimiter', () => {
  it('admits the rate once across workers that share the primary\'s buckets', async () => {
    let t = 0;
    const buckets = new LocalRateLimiter(() => t);
    const workers = [channelPair(), channelPair()].map((p) => {
      answerRateLimits(p.primary, buckets);
      return new SharedRateLimiter(p.worker);
    });
    expect(await admitted(workers, 'svc\nclient', 5, 10)).toBe(5);
    t += 1000;
    expect(await admitted(workers, 'svc\nclient', 5, 10)).toBe(5);
    // Another client's bucket is its own.
    expect(await admitted(workers, 'svc\nother', 5, 10)).toBe(5);
  });

  it('rejects with RateLimiterUnavailable when the primary does not answer in time', async () => {
    const p = channelPair({ primaryAnswers: false });
    answerRateLimits(p.primary, new LocalRateLimiter(() => 0));
    const l = new SharedRateLimiter(p.worker, 50);
    await expect(l.take('k', 1)).rejects.toBeInstanceOf(RateLimiterUnavailable);
  });

  it('rejects at once, without sending, when the primary is gone', async () => {
    const p = channelPair();
    p.worker.connected = false;
    const l = new SharedRateLimiter(p.worker, 60_000);
    await expect(l.take('k', 1)).rejects.toBeInstanceOf(RateLimiterUnavailable);
    expect(p.worker.sent).toBe(0);
  });

  it('rejects what is pending when a send fails, without waiting for the timeout', async () => {
    const p = channelPair({ primaryAnswers: false });
    const l = new SharedRateLimiter(p.worker, 60_000);
    const pending = [l.take('k', 1), l.take('k', 1)];
    p.worker.connected = false; // the channel breaks after the questions were handed to it
    for (const q of pending) await expect(q).rejects.toBeInstanceOf(RateLimiterUnavailable);
  });

  it('ignores messages that are not its answers, and malformed questions at the primary', async () => {
    const p = channelPair();
    answerRateLimits(p.primary, new LocalRateLimiter(() => 0));
    const l = new SharedRateLimiter(p.worker);
    p.primary.send({ rateTaken: 12345, ok: true }, () => {});
    p.worker.send({ rateTake: 1, key: 'k', rate: -1 } as never, () => {});
    p.worker.send({ syncSnapshot: true } as never, () => {});
    expect(await l.take('k', 2)).toBe(true);
    expect(await l.take('k', 2)).toBe(true);
    expect(await l.take('k', 2)).toBe(false);
  });

  it('is not used by a node of one process, which keeps its buckets without IPC', () => {
    expect(createRateLimiter(() => 0)).toBeInstanceOf(LocalRateLimiter);
  });
});
