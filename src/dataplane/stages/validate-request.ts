// The request against the contract: path and query parameters, then the JSON body. Also finds the
// subject (the citizen the inquiry is about), which the record keeps as a keyed hash only.
import { createHmac } from 'node:crypto';
import { Errors, fail } from '../../errors/catalogue.ts';
import { describeErrors } from '../../contracts/validators.ts';
import { normalizeDigits } from '../../dates/jalali.ts';
import type { Exchange } from '../exchange.ts';
import type { Stage } from '../stage.ts';

function readQuery(query: string, into: Record<string, unknown>): void {
  if (query === '') return;
  for (const [k, v] of new URLSearchParams(query)) {
    const prev = into[k];
    into[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
}

function isJson(contentType: string | undefined): boolean {
  return contentType !== undefined && /^application\/([\w.+-]*\+)?json\b/i.test(contentType);
}

export function validateRequest(subjectKey: Buffer): Stage {
  const subjectHash = (value: unknown) =>
    createHmac('sha256', subjectKey).update(normalizeDigits(String(value)).trim()).digest('base64url');

  function findSubject(ex: Exchange): void {
    const s = ex.endpoint!.subject;
    if (!s) return;
    const source = s.in === 'body' ? ex.parsedBody : ex.params;
    const value = source && typeof source === 'object' ? (source as Record<string, unknown>)[s.name] : undefined;
    if (value !== undefined && value !== null && value !== '') ex.subjectHash = subjectHash(value);
  }

  return {
    name: 'validate-request',
    failMode: 'closed',
    run(ex) {
      const e = ex.endpoint!;
      const params = ex.params!;
      readQuery(ex.query, params);
      if (!e.validateParams(params)) fail(Errors.InvalidRequest, `parameters: ${describeErrors(e.validateParams)}`);

      if (!e.validateBody && ex.body.length > 0) {
        fail(Errors.InvalidRequest, `${e.key} takes no request body`);
      }
      if (e.validateBody) {
        if (ex.body.length === 0) {
          if (e.bodyRequired) fail(Errors.InvalidRequest, 'a JSON body is required');
        } else {
          if (!isJson(ex.headers['content-type'])) fail(Errors.InvalidRequest, 'the body must be application/json');
          try {
            ex.parsedBody = JSON.parse(ex.body.toString('utf8'));
          } catch {
            fail(Errors.InvalidRequest, 'the body is not valid JSON');
          }
          if (!e.validateBody(ex.parsedBody)) fail(Errors.InvalidRequest, `body: ${describeErrors(e.validateBody)}`);
        }
      }
      findSubject(ex);
    },
  };
}
