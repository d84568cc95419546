// Which service: the service part of the request line, looked up in the snapshot.
import { Errors, fail } from '../../errors/catalogue.ts';
import type { Stage } from '../stage.ts';

export function resolveService(): Stage {
  return {
    name: 'resolve-service',
    failMode: 'closed',
    run(ex) {
      const service = ex.snapshot.services.get(ex.serviceId);
      if (!service) fail(Errors.UnknownService, ex.serviceId);
      ex.service = service;
    },
  };
}
