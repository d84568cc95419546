// The provider's answer against the contract. A success is parsed, checked, and stripped of every
// field the contract does not declare (data minimisation, contracts/minimise.ts); provider errors
// (4xx, 5xx) and redirects pass through untouched, as X-Road's REST protocol requires.
import { Errors, fail } from '../../errors/catalogue.ts';
import { describeErrors } from '../../contracts/validators.ts';
import { MAX_JSON_DEPTH, scanJson } from '../../contracts/json-guard.ts';
import { withoutHeaders } from '../protocol/headers.ts';
import type { Stage } from '../stage.ts';

// The body is re-serialised, so its old type and encoding no longer describe it.
const REWRITTEN = new Set(['content-type', 'content-encoding']);

export function filterResponse(): Stage {
  return {
    name: 'filter-response',
    failMode: 'closed',
    run(ex) {
      const res = ex.response!;
      if (res.status < 200 || res.status > 299) return;
      const responses = ex.endpoint!.responses;
      const validate = responses.get(String(res.status)) ?? responses.get('2XX') ?? responses.get('DEFAULT');
      if (!validate) {
        if (res.body.length === 0) return;
        fail(Errors.InvalidResponse, `the contract declares no JSON body for status ${res.status}`);
      }
      // The consumer gets the re-serialised value, so duplicate keys cannot diverge here; depth
      // is bounded before the validator and the filter recurse into the answer.
      if (scanJson(res.body, { keys: false })?.fault === 'depth') {
        fail(Errors.InvalidResponse, `the answer nests deeper than ${MAX_JSON_DEPTH} levels`);
      }
      let body: unknown;
      try {
        body = JSON.parse(res.body.toString('utf8'));
      } catch {
        fail(Errors.ServiceFailed, `status ${res.status} with a body that is not JSON`);
      }
      if (!validate(body)) fail(Errors.InvalidResponse, describeErrors(validate));
      res.body = Buffer.from(JSON.stringify(body));
      res.headers = withoutHeaders(res.headers, REWRITTEN);
      res.headers.push('content-type', 'application/json; charset=utf-8');
    },
  };
}
