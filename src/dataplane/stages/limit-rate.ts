// The service's maximum rate per client (from its SLA). It fails open: a limiter that throws or
// rejects (its store is unreachable or too slow to answer) lets the exchange through, and the door
// logs the stage's failure; a broken limiter must not stop a country's inquiries. Services without
// a rate never reach the limiter, so they pay nothing for it.
import { Errors, fail } from '../../errors/catalogue.ts';
import type { RateLimiter } from '../rate-limiter.ts';
import type { Stage } from '../stage.ts';

export function limitRate(limiter: RateLimiter): Stage {
  return {
    name: 'limit-rate',
    failMode: 'open',
    run(ex) {
      const service = ex.service!;
      const rate = service.def.maxRatePerSecond;
      if (!rate) return;
      // The registered identifiers of client and service (both resolved by now): no citizen data.
      const allowed = limiter.take(service.id + '\n' + ex.client, rate);
      if (allowed === true) return;
      if (allowed === false) fail(Errors.RateLimited, `${rate} per second`);
      return allowed.then((ok) => { if (!ok) fail(Errors.RateLimited, `${rate} per second`); });
    },
  };
}
