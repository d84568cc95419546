// Attacks on the contract's promise, replayed against a real node: the path matched, the values
// checked and the answer filtered are exactly what the contract says.
import { beforeAll, describe, expect, it } from 'vitest';
import { JUDICIARY, useSeededNode } from './harness.ts';

const ctx = useSeededNode();
const asJudiciary = { 'x-road-client': JUDICIARY };
const RECORDS = 'IR/GOV/NOCR/identity/records';
const ATTACKS = 'IR/GOV/NOCR/identity/attacks';

const json = (schema: unknown) => ({ description: 'ok', content: { 'application/json': { schema } } });
const alive = { type: 'object', required: ['alive'], properties: { alive: { const: true }, firstName: { type: 'string' } } };
const dead = { type: 'object', required: ['alive', 'diedOn'], properties: { alive: { const: false }, diedOn: { type: 'string' } } };

const RECORDS_CONTRACT = {
  openapi: '3.1.0', info: { title: 'records', version: '1' },
  paths: {
    // The template first: a first-match matcher would send admin-export to it.
    '/records/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': json({ type: 'object', properties: { id: { type: 'string' } } }) } } },
    '/records/admin-export': { get: { responses: { '200': json({ type: 'object', properties: { rows: { type: 'array' } } }) } } },
  },
};

const ATTACKS_CONTRACT = {
  openapi: '3.1.0', info: { title: 'attacks', version: '1' },
  paths: {
    '/search': { get: {
      parameters: [{ name: 'code', in: 'query', required: true, schema: { type: 'string', pattern: '^(a+)+$' } }],
      responses: { '200': json({ type: 'object', properties: { found: { type: 'boolean' } } }) },
    } },
    '/persons/{nationalCode}': { get: {
      parameters: [
        { name: 'nationalCode', in: 'path', required: true, schema: { type: 'string', pattern: '^[0-9]{10}$' } },
        { name: 'birthDate', in: 'query', required: true, schema: { type: 'string', pattern: '^[0-9]{4}/[0-9]{2}/[0-9]{2}$' } },
      ],
      responses: { '200': json({ type: 'object', properties: { person: { oneOf: [alive, dead] } } }) },
    } },
    '/open-search': { get: {
      'x-tabadol-additional-query': true,
      parameters: [{ name: 'q', in: 'query', schema: { type: 'string' } }],
      responses: { '200': json({ type: 'object' }) },
    } },
    '/verify': { post: {
      requestBody: { required: true, content: { 'application/json': { schema: {
        type: 'object', required: ['nationalCode'], properties: { nationalCode: { type: 'string', pattern: '^[0-9]{10}$' }, tags: { type: 'array' } },
      } } } },
      responses: { '200': json({ type: 'object', properties: { matches: { type: 'boolean' } } }) },
    } },
  },
};

function answerWith(status: number, body: string) {
  ctx.provider.set((_req, _b, res) => {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(body);
  });
}

beforeAll(async () => {
  const r = ctx.t.node.registry;
  await r.putService({ serviceId: RECORDS, title: 'records', baseUrl: ctx.provider.baseUrl, contract: RECORDS_CONTRACT });
  await r.putService({ serviceId: ATTACKS, title: 'attacks', baseUrl: ctx.provider.baseUrl, contract: ATTACKS_CONTRACT });
  // The judiciary may read one record, not the export.
  await r.grant({ subject: JUDICIARY, serviceId: RECORDS, method: 'GET', path: '/records/{id}', legalBasis: 'test' });
  await r.grant({ subject: JUDICIARY, serviceId: ATTACKS, legalBasis: 'test' });
  await ctx.t.sync();
});

const expectRefused = (res: { status: number; headers: Record<string, unknown> }) => {
  expect(res.status).toBe(400);
  expect(res.headers['x-road-error']).toBe('Client.InvalidRequest');
  expect(ctx.provider.calls).toHaveLength(0);
};

describe('matching', () => {
  it('a literal path matches its own endpoint even when a template is listed first', async () => {
    const res = await ctx.t.http(`/r1/${RECORDS}/records/admin-export`, { headers: asJudiciary });
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
    expect(ctx.provider.calls).toHaveLength(0);
    answerWith(200, JSON.stringify({ id: '42' }));
    expect((await ctx.t.http(`/r1/${RECORDS}/records/42`, { headers: asJudiciary })).json()).toEqual({ id: '42' });
  });
});

describe('contract patterns', () => {
  it('^(a+)+$ on a long query value answers correctly instead of blocking the node', async () => {
    expectRefused(await ctx.t.http(`/r1/${ATTACKS}/search?code=${'a'.repeat(4000)}!`, { headers: asJudiciary }));
    answerWith(200, JSON.stringify({ found: true }));
    const res = await ctx.t.http(`/r1/${ATTACKS}/search?code=${'a'.repeat(4000)}`, { headers: asJudiciary });
    expect(res.json()).toEqual({ found: true });
  }, 30_000);
});

describe('query parameters', () => {
  const person = `/r1/${ATTACKS}/persons/0012345679?birthDate=1370/06/15`;

  it('an undeclared one is refused, and its value is not repeated', async () => {
    const res = await ctx.t.http(`${person}&mobile=09121234567`, { headers: asJudiciary });
    expectRefused(res);
    expect(res.json().message).toContain('"mobile"');
    expect(res.text).not.toContain('09121234567');
  });

  it('a name that looks like data is not repeated either', async () => {
    const res = await ctx.t.http(`${person}&0012345679=1`, { headers: asJudiciary });
    expectRefused(res);
    expect(res.text).not.toContain('0012345679');
  });

  it('a path parameter given again in the query is refused', async () => {
    expectRefused(await ctx.t.http(`${person}&nationalCode=0000000000`, { headers: asJudiciary }));
  });

  it('x-tabadol-additional-query lets undeclared ones through, still checking the declared ones', async () => {
    answerWith(200, '{}');
    const res = await ctx.t.http(`/r1/${ATTACKS}/open-search?q=x&page=2`, { headers: asJudiciary });
    expect(res.status).toBe(200);
    expect(ctx.provider.calls[0]!.url).toBe('/nocr/open-search?q=x&page=2');
    ctx.provider.reset();
    expectRefused(await ctx.t.http(`/r1/${ATTACKS}/open-search?q=x&q=y`, { headers: asJudiciary }));
  });
});

describe('the body the provider gets is the body that was validated', () => {
  const verify = (body: string) =>
    ctx.t.http(`/r1/${ATTACKS}/verify`, { method: 'POST', headers: { ...asJudiciary, 'content-type': 'application/json' }, body });

  it('duplicate keys are refused', async () => {
    const res = await verify('{"nationalCode":"0012345679","nationalCode":"0000000000"}');
    expectRefused(res);
    expect(res.text).not.toContain('0012345679');
  });

  it('duplicate keys written with escapes are refused', async () => {
    expectRefused(await verify('{"nationalCode":"0012345679","national\\u0043ode":"0000000000"}'));
  });

  it('a __proto__ key is refused', async () => {
    expectRefused(await verify('{"nationalCode":"0012345679","__proto__":{"isAdmin":true}}'));
  });

  it('a body nested 100,000 deep is a 400, not a crash', async () => {
    const deep = `{"nationalCode":"0012345679","tags":${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    expectRefused(await verify(deep));
  });

  it('a plain body still passes', async () => {
    answerWith(200, JSON.stringify({ matches: true }));
    expect((await verify('{"nationalCode":"0012345679","tags":[["a"]]}')).json()).toEqual({ matches: true });
  });
});

describe('the answer', () => {
  const person = `/r1/${ATTACKS}/persons/0012345679?birthDate=1370/06/15`;

  it('keeps the fields of the oneOf branch that matched', async () => {
    answerWith(200, JSON.stringify({ person: { alive: false, diedOn: '1400/01/01', secret: 'x' } }));
    expect((await ctx.t.http(person, { headers: asJudiciary })).json()).toEqual({ person: { alive: false, diedOn: '1400/01/01' } });
  });

  it('nested too deep is refused as the provider\'s fault, not a crash', async () => {
    answerWith(200, `{"person":${'['.repeat(100_000)}${']'.repeat(100_000)}}`);
    const res = await ctx.t.http(person, { headers: asJudiciary });
    expect(res.status).toBe(500);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.InvalidResponse');
  });
});

describe('contracts that use $ref', () => {
  it('register, and their parameters, bodies and answers are enforced', async () => {
    const service = 'IR/GOV/NOCR/identity/family';
    await ctx.t.node.registry.putService({
      serviceId: service, title: 'family', baseUrl: ctx.provider.baseUrl,
      contract: {
        openapi: '3.1.0', info: { title: 'family', version: '1' },
        paths: {
          '/families/{nationalCode}': { post: {
            parameters: [{ $ref: '#/components/parameters/NationalCode' }],
            requestBody: { $ref: '#/components/requestBodies/Query' },
            responses: { '200': { $ref: '#/components/responses/Tree' } },
          } },
        },
        components: {
          parameters: { NationalCode: { name: 'nationalCode', in: 'path', required: true, schema: { $ref: '#/components/schemas/NationalCode' } } },
          requestBodies: { Query: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Query' } } } } },
          responses: { Tree: { description: 'family', content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } } } },
          schemas: {
            NationalCode: { type: 'string', pattern: '^[0-9]{10}$' },
            Query: { type: 'object', required: ['purpose'], additionalProperties: false, properties: { purpose: { type: 'string' } } },
            Person: { type: 'object', required: ['name'], properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Person' } } } },
          },
        },
      },
    });
    await ctx.t.node.registry.grant({ subject: JUDICIARY, serviceId: service, legalBasis: 'test' });
    await ctx.t.sync();
    const call = (code: string, body: unknown) => ctx.t.http(`/r1/${service}/families/${code}`, {
      method: 'POST', headers: { ...asJudiciary, 'content-type': 'application/json' }, body: JSON.stringify(body),
    });
    expectRefused(await call('12345', { purpose: 'x' }));
    expectRefused(await call('0012345679', { purpose: 'x', extra: 1 }));
    answerWith(200, JSON.stringify({ name: 'a', secret: 1, children: [{ name: 'b', secret: 2, children: [{ name: 'c', secret: 3 }] }] }));
    const res = await call('0012345679', { purpose: 'x' });
    expect(res.json()).toEqual({ name: 'a', children: [{ name: 'b', children: [{ name: 'c' }] }] });
  });
});
