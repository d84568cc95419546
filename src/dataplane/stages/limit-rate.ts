// The service's maximum rate per client (from its SLA), as a token bucket per client and service in
// this process. It fails open: a broken limiter must not stop a country's inquiries.
import { Errors, fail } from '../../errors/catalogue.ts';
import type { Stage } from '../stage.ts';

interface Bucket { tokens: number; at: number }

export function limitRate(now: () => number): Stage {
  const buckets = new Map<string, Bucket>();
  return {
    name: 'limit-rate',
    failMode: 'open',
    run(ex) {
      const rate = ex.service!.def.maxRatePerSecond;
      if (!rate) return;
      const key = ex.serviceId + '\n' + ex.client;
      const t = now();
      let b = buckets.get(key);
      if (!b) buckets.set(key, (b = { tokens: rate, at: t }));
      // Refill continuously; a burst of one second's worth is allowed.
      b.tokens = Math.min(rate, b.tokens + ((t - b.at) / 1000) * rate);
      b.at = t;
      if (b.tokens < 1) fail(Errors.RateLimited, `${rate} per second`);
      b.tokens -= 1;
    },
  };
}
