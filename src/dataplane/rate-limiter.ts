// Rate limits per client and service. The limit-rate stage asks a RateLimiter, so that where the
// buckets live (this process, the primary process of a node with several data-plane workers, later
// a shared store) is the node's choice, not the stage's.
export interface RateLimiter {
  /**
   * Takes one token from the bucket `key` refilled at `ratePerSecond`; false when it is empty.
   * A limiter that cannot decide (its store is unreachable or slow) rejects or throws rather than
   * guess, and the stage lets the exchange through (see stages/limit-rate.ts).
   */
  take(key: string, ratePerSecond: number): boolean | Promise<boolean>;
}

interface Bucket { tokens: number; at: number }

/**
 * Token buckets in this process: a burst of one second's worth (at least one token), refilled
 * continuously. Buckets are per client and service pair; only pairs that passed authorisation
 * reach the stage, so their number is bounded by the registry's access rights.
 */
export class LocalRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  take(key: string, rate: number): boolean {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { tokens: rate, at: t }));
    // A wall clock set back must not drain the bucket: time only refills.
    const elapsed = t > b.at ? t - b.at : 0;
    b.tokens = Math.min(rate, b.tokens + (elapsed / 1000) * rate);
    b.at = t;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
