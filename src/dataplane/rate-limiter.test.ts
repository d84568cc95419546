// The token buckets of one process: a burst of one second's worth, continuous refill, one bucket
// per key, on the clock they are given.
import { describe, expect, it } from 'vitest';
import { LocalRateLimiter } from './rate-limiter.ts';

function clock(start = 1_000_000) {
  const c = { t: start, now: () => c.t };
  return c;
}

function takeMany(l: LocalRateLimiter, key: string, rate: number, n: number): number {
  let admitted = 0;
  for (let i = 0; i < n; i++) if (l.take(key, rate)) admitted++;
  return admitted;
}

describe('LocalRateLimiter', () => {
  it('admits a burst of one second\'s worth, then refuses until time passes', () => {
    const c = clock();
    const l = new LocalRateLimiter(c.now);
    expect(takeMany(l, 'a', 5, 20)).toBe(5);
    expect(l.take('a', 5)).toBe(false);
  });

  it('refills continuously at the rate, never beyond the burst', () => {
    const c = clock();
    const l = new LocalRateLimiter(c.now);
    expect(takeMany(l, 'a', 10, 10)).toBe(10);
    c.t += 100; // a tenth of a second: one token at 10 per second
    expect(takeMany(l, 'a', 10, 5)).toBe(1);
    c.t += 50; // half a token
    expect(l.take('a', 10)).toBe(false);
    c.t += 50; // the other half
    expect(l.take('a', 10)).toBe(true);
    c.t += 3_600_000; // an hour idle still gives only the burst
    expect(takeMany(l, 'a', 10, 30)).toBe(10);
  });

  it('keeps one bucket per key: one client emptying its bucket leaves another\'s whole', () => {
    const c = clock();
    const l = new LocalRateLimiter(c.now);
    expect(takeMany(l, 'service\nclient-a', 3, 10)).toBe(3);
    expect(takeMany(l, 'service\nclient-b', 3, 10)).toBe(3);
    expect(takeMany(l, 'other\nclient-a', 3, 10)).toBe(3);
  });

  it('admits one per second at the smallest rate', () => {
    const c = clock();
    const l = new LocalRateLimiter(c.now);
    expect(takeMany(l, 'a', 1, 20)).toBe(1);
    c.t += 999;
    expect(l.take('a', 1)).toBe(false);
    c.t += 1;
    expect(l.take('a', 1)).toBe(true);
  });

  it('does not drain a bucket when the clock is set back', () => {
    const c = clock();
    const l = new LocalRateLimiter(c.now);
    expect(takeMany(l, 'a', 4, 2)).toBe(2);
    c.t -= 60_000;
    expect(takeMany(l, 'a', 4, 10)).toBe(2);
    c.t += 500; // counted from the time set back to: two tokens
    expect(takeMany(l, 'a', 4, 10)).toBe(2);
  });
});
