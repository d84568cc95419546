// The resolve-endpoint stage: the normalised service path matched against the contract's templates,
// literal segments first; the template is what rights and records name, and the values of its
// parameters are percent-decoded once, after matching.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../exchange.ts';
import { CITIZEN, exchange, refusal, refusalOf, runAll } from '../test-kit.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';
import { resolveService } from './resolve-service.ts';

async function resolve(o: Partial<Exchange>): Promise<{ ex: Exchange; refused: string | undefined }> {
  const ex = await runAll(exchange(o), [resolveService()]);
  return { ex, refused: await refusal(() => resolveEndpoint().run(ex)) };
}

describe('resolve-endpoint stage', () => {
  it('enriches the exchange with the endpoint and its path parameters', async () => {
    const { ex, refused } = await resolve({ servicePath: `/persons/${CITIZEN}` });
    expect(refused).toBeUndefined();
    expect(ex.endpoint?.key).toBe('GET /persons/{nationalCode}');
    expect(ex.params).toEqual({ nationalCode: CITIZEN });
  });

  it('prefers the literal path to a template that also matches, whatever the contract\'s order', async () => {
    const { ex } = await resolve({ servicePath: '/persons/admin-export' });
    expect(ex.endpoint?.key).toBe('GET /persons/admin-export');
    expect(ex.params).toEqual({});
  });

  it('matches an empty service path as the root endpoint', async () => {
    const { ex, refused } = await resolve({ servicePath: '' });
    expect(refused).toBeUndefined();
    expect(ex.endpoint?.key).toBe('GET /');
  });

  it('matches by method too', async () => {
    const { ex } = await resolve({ method: 'POST', servicePath: '/verify' });
    expect(ex.endpoint?.key).toBe('POST /verify');
    expect((await resolve({ method: 'GET', servicePath: '/verify' })).refused).toBe('Client.InvalidRequest');
    expect((await resolve({ method: 'DELETE', servicePath: `/persons/${CITIZEN}` })).refused).toBe('Client.InvalidRequest');
  });

  it('lets a parameter take one whole segment only', async () => {
    for (const servicePath of [`/persons/${CITIZEN}/extra`, `/persons/${CITIZEN}/`, '/persons/', '/persons', '/persons//', '/regions//search']) {
      expect((await resolve({ servicePath })).refused, servicePath).toBe('Client.InvalidRequest');
    }
  });

  it('decodes a parameter once, after matching: an escaped escape stays an escape', async () => {
    expect((await resolve({ servicePath: '/persons/%D8%B9%D9%84%DB%8C' })).ex.params).toEqual({ nationalCode: 'علی' });
    expect((await resolve({ servicePath: '/persons/%2541' })).ex.params).toEqual({ nationalCode: '%41' });
    expect((await resolve({ servicePath: '/regions/%3F%23/search' })).ex.params).toEqual({ region: '?#' });
  });

  it('refuses a parameter that is not valid percent-encoded UTF-8 with Client.InvalidRequest naming the parameter', async () => {
    const { ex } = await resolve({});
    const r = await refusalOf(() => resolveEndpoint().run({ ...ex, servicePath: '/persons/%FF%FE' }));
    expect(r).toEqual({ type: 'Client.InvalidRequest', message: expect.stringContaining('{nationalCode} of GET /persons/{nationalCode}') as string });
  });

  it('refuses an unknown path without echoing it: the path may name a citizen', async () => {
    const { ex } = await resolve({});
    const r = await refusalOf(() => resolveEndpoint().run({ ...ex, method: 'PATCH', servicePath: `/people/${CITIZEN}` }));
    expect(r?.type).toBe('Client.InvalidRequest');
    expect(r?.message).not.toContain(CITIZEN);
    expect(r?.message).not.toContain('people');
  });
});
