// The filter-response stage: a successful answer is parsed, checked against the contract for its
// status and stripped of every field the contract does not declare before it leaves the node;
// provider errors and redirects pass untouched.
import { describe, expect, it } from 'vitest';
import type { Exchange, ProviderResponse } from '../exchange.ts';
import { CITIZEN, exchange, refusal, runAll } from '../test-kit.ts';
import { filterResponse } from './filter-response.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';
import { resolveService } from './resolve-service.ts';

const stage = filterResponse();

/** An exchange resolved to its endpoint, with the provider's answer; then the answer filtered. */
async function filtered(response: Partial<ProviderResponse> & { json?: unknown }, o: Partial<Exchange> = {}) {
  const ex = await runAll(exchange(o), [resolveService(), resolveEndpoint()]);
  const body = response.body ?? Buffer.from(response.json === undefined ? '' : JSON.stringify(response.json));
  ex.response = { status: response.status ?? 200, headers: response.headers ?? ['Content-Type', 'application/json'], body };
  const refused = await refusal(() => stage.run(ex));
  return { refused, res: ex.response, text: ex.response.body.toString('utf8') };
}

const search = { servicePath: '/regions/07/search', query: 'code=x' };

describe('filter-response stage', () => {
  it('drops every field the contract does not declare, at every level', async () => {
    const { refused, text } = await filtered({ json: { nationalCode: CITIZEN, firstName: 'علی', lastName: 'رضایی', secretField: 'dropped', address: { city: 'x' } } });
    expect(refused).toBeUndefined();
    expect(JSON.parse(text)).toEqual({ nationalCode: CITIZEN, firstName: 'علی', lastName: 'رضایی' });
  });

  it('keeps no member of an object the contract declares without properties', async () => {
    const { refused, text } = await filtered({ json: { everyone: [CITIZEN] } }, { servicePath: '/persons/admin-export' });
    expect(refused).toBeUndefined();
    expect(text).toBe('{}');
  });

  it('rewrites the body\'s headers: one JSON content type, no content encoding, the provider\'s other headers kept', async () => {
    const { res } = await filtered({
      json: { nationalCode: CITIZEN, firstName: 'a' },
      headers: ['Content-Type', 'text/plain; charset=latin1', 'Content-Encoding', 'identity', 'X-Provider', 'kept', 'content-type', 'application/json'],
    });
    expect(res.headers).toEqual(['X-Provider', 'kept', 'content-type', 'application/json; charset=utf-8']);
  });

  it('refuses with Server.ServerProxy.InvalidResponse an answer outside the contract', async () => {
    expect((await filtered({ json: { firstName: 'missing the national code' } })).refused).toBe('Server.ServerProxy.InvalidResponse');
    expect((await filtered({ json: [1, 2] })).refused).toBe('Server.ServerProxy.InvalidResponse');
  });

  it('refuses with Server.ServerProxy.ServiceFailed a successful answer that is not JSON', async () => {
    expect((await filtered({ body: Buffer.from('<html>ok</html>') })).refused).toBe('Server.ServerProxy.ServiceFailed');
  });

  it('refuses an answer nested deeper than 64 levels before the validator recurses into it', async () => {
    const deep = Buffer.from(`{"nationalCode":"${CITIZEN}","firstName":"a","x":${'['.repeat(80)}${']'.repeat(80)}}`);
    expect((await filtered({ body: deep })).refused).toBe('Server.ServerProxy.InvalidResponse');
  });

  it('sends one value for a key the provider repeated: the one it checked', async () => {
    const body = Buffer.from(`{"nationalCode":"1111111111","nationalCode":"${CITIZEN}","firstName":"a"}`);
    const { refused, text } = await filtered({ body });
    expect(refused).toBeUndefined();
    expect(text).toBe(`{"nationalCode":"${CITIZEN}","firstName":"a"}`);
  });

  it('checks a status without its own schema against 2XX, then default', async () => {
    const created = await filtered({ status: 201, json: { found: true, extra: 1 } }, search);
    expect(created.refused).toBeUndefined();
    expect(JSON.parse(created.text)).toEqual({ found: true });
    expect((await filtered({ status: 201, json: { found: 'yes' } }, search)).refused).toBe('Server.ServerProxy.InvalidResponse');
    // The persons endpoint declares 200 only: a 201 has no schema there.
    expect((await filtered({ status: 201, json: { nationalCode: CITIZEN, firstName: 'a' } })).refused).toBe('Server.ServerProxy.InvalidResponse');
  });

  it('lets a success the contract gives no JSON body through when it has none, and refuses it with one', async () => {
    const verify = { method: 'POST', servicePath: '/verify' };
    const empty = await filtered({ status: 204, headers: ['X-Provider', 'kept'] }, verify);
    expect(empty.refused).toBeUndefined();
    expect(empty.res.headers).toEqual(['X-Provider', 'kept']);
    expect((await filtered({ status: 204, json: { leaked: CITIZEN } }, verify)).refused).toBe('Server.ServerProxy.InvalidResponse');
  });

  it('passes provider errors and redirects through untouched, byte for byte', async () => {
    for (const status of [301, 302, 400, 404, 500, 503]) {
      const body = Buffer.from(`{"error":"x","secretField":"${CITIZEN}" }`);
      const headers = ['Content-Type', 'application/problem+json', 'Location', '/elsewhere'];
      const { refused, res } = await filtered({ status, body: Buffer.from(body), headers: [...headers] });
      expect(refused, String(status)).toBeUndefined();
      expect(res.body.equals(body), String(status)).toBe(true);
      expect(res.headers).toEqual(headers);
    }
  });
});
