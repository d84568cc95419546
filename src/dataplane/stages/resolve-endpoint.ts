// Which endpoint of the contract: the normalised path (see protocol/r1-url.ts) matched against the
// templates, literal segments first. The template is what access rights and records name; the
// values of its parameters are percent-decoded once matched.
import { Errors, fail } from '../../errors/catalogue.ts';
import type { Stage } from '../stage.ts';

export function resolveEndpoint(): Stage {
  return {
    name: 'resolve-endpoint',
    failMode: 'closed',
    run(ex) {
      const path = ex.servicePath === '' ? '/' : ex.servicePath;
      for (const e of ex.service!.endpoints) {
        if (e.method !== ex.method) continue;
        const m = e.regex.exec(path);
        if (!m) continue;
        const params: Record<string, unknown> = {};
        for (let i = 0; i < e.names.length; i++) {
          try {
            params[e.names[i]!] = decodeURIComponent(m[i + 1]!);
          } catch {
            fail(Errors.InvalidRequest, `bad percent-encoding in {${e.names[i]}} of ${e.key}`);
          }
        }
        ex.endpoint = e;
        ex.params = params;
        return;
      }
      // The path is not echoed: it may name a citizen.
      fail(Errors.UnknownEndpoint, `${ex.serviceId} has no ${ex.method} endpoint matching the path`);
    },
  };
}
