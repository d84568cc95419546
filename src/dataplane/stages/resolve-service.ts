// Which service and which endpoint of its contract: the endpoint's path template is what access
// rights and records name.
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
      const path = ex.servicePath === '' ? '/' : ex.servicePath;
      for (const e of service.endpoints) {
        if (e.method !== ex.method) continue;
        const m = e.regex.exec(path);
        if (!m) continue;
        const params: Record<string, unknown> = {};
        for (let i = 0; i < e.names.length; i++) {
          try {
            params[e.names[i]!] = decodeURIComponent(m[i + 1]!);
          } catch {
            fail(Errors.InvalidRequest, `bad percent-encoding in {${e.names[i]}}`);
          }
        }
        ex.endpoint = e;
        ex.params = params;
        return;
      }
      fail(Errors.UnknownEndpoint, `${ex.method} ${path}`);
    },
  };
}
