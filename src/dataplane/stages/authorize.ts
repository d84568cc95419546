// Deny by default: the call goes on only if an access right, valid now, names this client (or a
// group it belongs to) and this service or this endpoint.
import { Errors, fail } from '../../errors/catalogue.ts';
import { findGrant } from '../runtime-snapshot.ts';
import type { Stage } from '../stage.ts';

export function authorize(now: () => number): Stage {
  return {
    name: 'authorize',
    failMode: 'closed',
    run(ex) {
      const grant = findGrant(ex.snapshot.grants.get(ex.serviceId)?.get(ex.client!), ex.endpoint, now());
      if (!grant) fail(Errors.AccessDenied, `${ex.client} may not call ${ex.endpoint?.key ?? ''} of ${ex.serviceId}`);
      ex.grant = grant;
    },
  };
}
