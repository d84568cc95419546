// The service's maximum rate per client (from its SLA). It fails open: a broken limiter must not
// stop a country's inquiries.
import { Errors, fail } from '../../errors/catalogue.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import type { Stage } from '../stage.ts';

export function limitRate(limiter: RateLimiter): Stage {
  return {
    name: 'limit-rate',
    failMode: 'open',
    run(ex) {
      const rate = ex.service!.def.maxRatePerSecond;
      if (!rate) return;
      const allowed = limiter.take(ex.serviceId + '\n' + ex.client, rate);
      if (allowed === true) return;
      if (allowed === false) fail(Errors.RateLimited, `${rate} per second`);
      return allowed.then((ok) => { if (!ok) fail(Errors.RateLimited, `${rate} per second`); });
    },
  };
}
