// Rate limits per client and service. The limit-rate stage asks a RateLimiter, so that where the
// buckets live (this process, or shared by every data-plane process of the node) is the node's
// choice, not the stage's.
export interface RateLimiter {
  /** Takes one token from the bucket `key` refilled at `ratePerSecond`; false when it is empty. */
  take(key: string, ratePerSecond: number): boolean | Promise<boolean>;
}

interface Bucket { tokens: number; at: number }

/** Token buckets in this process: a burst of one second's worth, refilled continuously. */
export class LocalRateLimiter implements RateLimiter {
  private readonly buckets = new Map<string, Bucket>();

  constructor(private readonly now: () => number) {}

  take(key: string, rate: number): boolean {
    const t = this.now();
    let b = this.buckets.get(key);
    if (!b) this.buckets.set(key, (b = { tokens: rate, at: t }));
    b.tokens = Math.min(rate, b.tokens + ((t - b.at) / 1000) * rate);
    b.at = t;
    if (b.tokens < 1) return false;
    b.tokens -= 1;
    return true;
  }
}
