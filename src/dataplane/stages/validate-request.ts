// The request against the contract: path and query parameters, then the JSON body. Also finds the
// subject (the citizen the inquiry is about), which the record keeps as a keyed hash only.
import { Errors, fail } from '../../errors/catalogue.ts';
import { describeErrors } from '../../contracts/validators.ts';
import { echoName } from '../../contracts/echo-name.ts';
import { MAX_JSON_DEPTH, scanJson } from '../../contracts/json-guard.ts';
import { subjectHash } from '../../identifiers/subject-hash.ts';
import type { CompiledEndpoint } from '../endpoints.ts';
import type { Exchange } from '../exchange.ts';
import type { Stage } from '../stage.ts';

/**
 * Adds the declared query parameters to the path parameters. A parameter the operation does not
 * declare would reach the provider unchecked (`?mobile=…` next to a checked `birthDate`), so it is
 * refused unless the operation says `x-tabadol-additional-query: true`; even then it may not take
 * the name of a path parameter, which the provider could read instead of the checked one.
 */
function readQuery(e: CompiledEndpoint, query: string, into: Record<string, unknown>): void {
  if (query === '') return;
  for (const [k, v] of new URLSearchParams(query)) {
    if (!e.queryNames.has(k)) {
      if (e.additionalQuery && !e.pathNames.has(k)) continue;
      fail(Errors.InvalidRequest, `${e.key} does not declare the query parameter ${echoName(k, '(name not shown)')}`);
    }
    // Own keys only: a parameter named `constructor` must not find Object.prototype's.
    const prev = Object.hasOwn(into, k) ? into[k] : undefined;
    into[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([\w.+-]*\+)?json\s*(;|$)/i.test(contentType);
}

/** The body as the provider will read it: one value per key, bounded nesting, no `__proto__`. */
function parseBody(body: Buffer): unknown {
  const fault = scanJson(body, { keys: true });
  if (fault?.fault === 'depth') fail(Errors.InvalidRequest, `the body nests deeper than ${MAX_JSON_DEPTH} levels`);
  if (fault?.fault === 'duplicate') fail(Errors.InvalidRequest, `the body repeats the key ${echoName(fault.key, '(name not shown)')} in one object`);
  if (fault?.fault === 'proto') fail(Errors.InvalidRequest, 'the body has a "__proto__" key');
  try {
    return JSON.parse(body.toString('utf8'));
  } catch {
    fail(Errors.InvalidRequest, 'the body is not valid JSON');
  }
}

export function validateRequest(subjectKey: Buffer): Stage {
  function findSubject(ex: Exchange): void {
    const s = ex.endpoint!.subject;
    if (!s) return;
    const source = s.in === 'body' ? ex.parsedBody : ex.params;
    const value = source && typeof source === 'object' ? (source as Record<string, unknown>)[s.name] : undefined;
    if (value !== undefined && value !== null && value !== '') ex.subjectHash = subjectHash(subjectKey, value);
  }

  return {
    name: 'validate-request',
    failMode: 'closed',
    run(ex) {
      const e = ex.endpoint!;
      const params = ex.params!;
      readQuery(e, ex.query, params);
      if (!e.validateParams(params)) fail(Errors.InvalidRequest, `parameters: ${describeErrors(e.validateParams)}`);

      if (!e.validateBody && ex.body.length > 0) {
        fail(Errors.InvalidRequest, `${e.key} takes no request body`);
      }
      if (e.validateBody) {
        if (ex.body.length === 0) {
          if (e.bodyRequired) fail(Errors.InvalidRequest, 'a JSON body is required');
        } else {
          if (!isJson(ex.headers['content-type'])) fail(Errors.InvalidRequest, 'the body must be application/json');
          ex.parsedBody = parseBody(ex.body);
          if (!e.validateBody(ex.parsedBody)) fail(Errors.InvalidRequest, `body: ${describeErrors(e.validateBody)}`);
        }
      }
      findSubject(ex);
    },
  };
}
