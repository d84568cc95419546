// Deny by default, in two steps. First the service: a caller with no access right to it, valid now,
// is refused before anything about the service's contract is looked at, so a refusal for an unknown
// path and for a known one are the same and reveal nothing. Then the endpoint: the right must name
// the whole service or this endpoint (method and path template).
import { Errors, fail } from '../../errors/catalogue.ts';
import { findGrant, type Grant } from '../runtime-snapshot.ts';
import type { Stage } from '../stage.ts';

function anyValid(grants: Grant[] | undefined, now: number): boolean {
  return grants !== undefined && grants.some((g) => now >= g.from && now < g.until);
}

export function authorizeService(now: () => number): Stage {
  return {
    name: 'authorize-service',
    failMode: 'closed',
    run(ex) {
      if (!anyValid(ex.snapshot.grants.get(ex.serviceId)?.get(ex.client!), now())) {
        fail(Errors.AccessDenied, `${ex.client} may not call ${ex.serviceId}`);
      }
    },
  };
}

export function authorizeEndpoint(now: () => number): Stage {
  return {
    name: 'authorize-endpoint',
    failMode: 'closed',
    run(ex) {
      const grant = findGrant(ex.snapshot.grants.get(ex.serviceId)?.get(ex.client!), ex.endpoint, now());
      if (!grant) fail(Errors.AccessDenied, `${ex.client} may not call ${ex.endpoint!.key} of ${ex.serviceId}`);
      ex.grant = grant;
    },
  };
}
