// Which endpoint of the contract: the normalised path (see protocol/r1-url.ts) matched against the
// templates, literal segments first. The template is what access rights and records name; the
// values of its parameters are percent-decoded once matched.
import { Errors, fail } from '../../errors/catalogue.ts';
import { foldSegment } from '../endpoints.ts';
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
          let value: string;
          try {
            value = decodeURIComponent(m[i + 1]!);
          } catch {
            fail(Errors.InvalidRequest, `bad percent-encoding in {${e.names[i]}} of ${e.key}`);
          }
          // Another spelling of one of the contract's literal segments is not a value: a provider
          // routing leniently would run that literal route (see endpoints.ts foldSegment).
          if (e.literals.folded.has(foldSegment(value)) && !e.literals.exact.has(value)) {
            fail(Errors.InvalidRequest, `{${e.names[i]}} of ${e.key} spells a path segment of the contract`);
          }
          params[e.names[i]!] = value;
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
