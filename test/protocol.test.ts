// The protocol at the door: X-Road's message protocol for REST (r1), rule by rule.
import { describe, expect, it } from 'vitest';
import { SERVICE, JUDICIARY, POLICE, useSeededNode } from './harness.ts';
import { rawRequest } from './raw-http.ts';

const ctx = useSeededNode();

const person = `/r1/${SERVICE}/persons/0012345679`;
const asJudiciary = { 'x-road-client': JUDICIARY };

function expectError(res: { status: number; headers: Record<string, unknown>; json: () => any }, type: string) {
  expect(res.headers['x-road-error']).toBe(type);
  expect(res.status).toBe(type.startsWith('Server.') ? 500 : 400);
  const body = res.json();
  expect(body.type).toBe(type);
  expect(body.message).toEqual(expect.any(String));
  expect(body.detail).toMatch(/^[0-9a-f-]{36}$/);
}

describe('the request line', () => {
  it('refuses any protocol version other than r1', async () => {
    expectError(await ctx.t.http(`/r2/${SERVICE}/persons/0012345679`, { headers: asJudiciary }), 'Client.BadRequest');
    expect(ctx.provider.calls).toHaveLength(0);
  });

  it('requires all five service parts', async () => {
    expectError(await ctx.t.http('/r1/IR/GOV/NOCR/identity', { headers: asJudiciary }), 'Client.InvalidServiceIdentifier');
  });

  it('decodes each identifier part on its own', async () => {
    const res = await ctx.t.http('/r1/%49R/GOV/NOCR/identity/person/persons/0012345679', { headers: asJudiciary });
    expect(res.status).toBe(200);
  });

  it('appends the rest of the path and the query to the provider base URL', async () => {
    await ctx.t.http(`${person}?purpose=case%20file`, { headers: asJudiciary });
    expect(ctx.provider.calls[0]!.url).toBe('/nocr/persons/0012345679?purpose=case%20file');
  });

  it.each([
    ['/persons/../../admin'],
    ['/persons/%2e%2e/admin'],
    ['/persons/%2E%2E%2Fadmin'],
    ['/persons/..%5cadmin'],
  ])('refuses a path that climbs out of the service: %s', async (p) => {
    const res = await rawRequest(ctx.t.node.ports.http!, `GET /r1/${SERVICE}${p} HTTP/1.1\nHost: x\nX-Road-Client: ${JUDICIARY}\nConnection: close\n`);
    expect(res.status).toBe(400);
    expect(res.headers['x-road-error']).toBe('Client.BadRequest');
    expect(ctx.provider.calls).toHaveLength(0);
  });
});

describe('request headers', () => {
  it('requires X-Road-Client', async () => {
    expectError(await ctx.t.http(person), 'Client.InvalidClientIdentifier');
  });

  it('refuses a malformed X-Road-Client', async () => {
    expectError(await ctx.t.http(person, { headers: { 'x-road-client': 'IR/GOV/JUDICIARY' } }), 'Client.InvalidClientIdentifier');
  });

  it('takes the last X-Road-Client when it is repeated', async () => {
    const res = await ctx.t.http(person, { headers: ['x-road-client', POLICE, 'x-road-client', JUDICIARY] as unknown as Record<string, string> });
    expect(res.status).toBe(200);
    expect(res.headers['x-road-client']).toBe(JUDICIARY);
  });

  it('refuses a client that is not registered', async () => {
    expectError(await ctx.t.http(person, { headers: { 'x-road-client': 'IR/GOV/NOBODY/system' } }), 'Client.UnknownMember');
  });

  it('makes an X-Road-Id when none is sent, and keeps the one sent', async () => {
    const made = await ctx.t.http(person, { headers: asJudiciary });
    expect(made.headers['x-road-id']).toMatch(/^IR-[0-9a-f-]{36}$/);
    const kept = await ctx.t.http(person, { headers: { ...asJudiciary, 'x-road-id': 'case-42' } });
    expect(kept.headers['x-road-id']).toBe('case-42');
    expect(ctx.provider.calls[1]!.headers['x-road-id']).toBe('case-42');
  });

  it('discards a client-sent X-Road-Request-Id and makes its own', async () => {
    const res = await ctx.t.http(person, { headers: { ...asJudiciary, 'x-road-request-id': 'forged' } });
    expect(res.headers['x-road-request-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(ctx.provider.calls[0]!.headers['x-road-request-id']).toBe(res.headers['x-road-request-id']);
  });

  it('passes user headers through and drops hop-by-hop ones', async () => {
    await ctx.t.http(person, { headers: { ...asJudiciary, 'x-custom': 'kept', 'user-agent': 'consumer-agent/1', 'proxy-authorization': 'secret', te: 'trailers' } });
    const h = ctx.provider.calls[0]!.headers;
    expect(h['x-custom']).toBe('kept');
    expect(h['user-agent']).not.toBe('consumer-agent/1');
    expect(h['proxy-authorization']).toBeUndefined();
    expect(h.te).toBeUndefined();
    expect(h['x-road-client']).toBe(JUDICIARY);
    expect(h['x-road-service']).toBe(SERVICE);
  });

  it('asks the provider for an uncompressed answer, which it must read to check', async () => {
    await ctx.t.http(person, { headers: { ...asJudiciary, 'accept-encoding': 'gzip, br' } });
    expect(ctx.provider.calls[0]!.headers['accept-encoding']).toBe('identity');
  });

  // X-Road-Request-Hash itself is proven in test/xroad-fidelity.test.ts, against X-Road's layout.
});

describe('responses', () => {
  it('drops the provider hop-by-hop headers', async () => {
    ctx.provider.set((_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', server: 'provider/1.0', 'x-kept': 'yes' });
      res.end(JSON.stringify({ nationalCode: '0012345679', firstName: 'a', lastName: 'b' }));
    });
    const res = await ctx.t.http(person, { headers: asJudiciary });
    expect(res.headers.server).toBeUndefined();
    expect(res.headers['x-kept']).toBe('yes');
  });

  it('passes a redirect back without following it', async () => {
    ctx.provider.set((_req, _body, res) => {
      res.writeHead(302, { location: 'http://elsewhere.example/persons/1' });
      res.end();
    });
    const res = await ctx.t.http(person, { headers: asJudiciary });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('http://elsewhere.example/persons/1');
    expect(ctx.provider.calls).toHaveLength(1);
  });

  it('passes provider errors through untouched', async () => {
    ctx.provider.set((_req, _body, res) => {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end('{"error":"no_such_person","extra":"kept as is"}');
    });
    const res = await ctx.t.http(person, { headers: asJudiciary });
    expect(res.status).toBe(404);
    expect(res.text).toBe('{"error":"no_such_person","extra":"kept as is"}');
    expect(res.headers['x-road-error']).toBeUndefined();
  });

  it('answers its own errors in XML when the caller asks for XML', async () => {
    const res = await ctx.t.http(person, { headers: { 'x-road-client': POLICE, accept: 'application/xml' } });
    expect(res.status).toBe(500);
    expect(res.headers['content-type']).toMatch(/xml/);
    expect(res.text).toMatch(/<error><type>Server\.ServerProxy\.AccessDenied<\/type><message>[^<]+<\/message><detail>[0-9a-f-]{36}<\/detail><\/error>/);
  });
});

describe('metaservices', () => {
  it('lists the clients of the exchange', async () => {
    const res = await ctx.t.http('/listClients', { headers: { accept: 'application/json' } });
    const ids = res.json().member.map((m: any) => m.id);
    expect(ids).toContainEqual({ object_type: 'SUBSYSTEM', xroad_instance: 'IR', member_class: 'GOV', member_code: 'POLICE', subsystem_code: 'licensing' });
    expect(ids).toContainEqual({ object_type: 'MEMBER', xroad_instance: 'IR', member_class: 'GOV', member_code: 'NOCR' });
  });

  it('lists the methods of a provider', async () => {
    const res = await ctx.t.http('/r1/IR/GOV/NOCR/identity/listMethods', { headers: asJudiciary });
    expect(res.json()).toEqual({ service: [{
      object_type: 'SERVICE', xroad_instance: 'IR', member_class: 'GOV', member_code: 'NOCR', subsystem_code: 'identity',
      service_code: 'person', service_type: 'OPENAPI',
      endpoint_list: [{ method: 'GET', path: '/persons/*' }, { method: 'POST', path: '/verify' }],
    }] });
  });

  it('lists only what this caller may call', async () => {
    const police = await ctx.t.http('/r1/IR/GOV/NOCR/identity/allowedMethods', { headers: { 'x-road-client': POLICE } });
    expect(police.json().service[0].endpoint_list).toEqual([{ method: 'POST', path: '/verify' }]);
    const judiciary = await ctx.t.http('/r1/IR/GOV/NOCR/identity/allowedMethods', { headers: asJudiciary });
    expect(judiciary.json().service[0].endpoint_list).toHaveLength(2);
  });

  it('serves a service contract', async () => {
    const res = await ctx.t.http('/r1/IR/GOV/NOCR/identity/getOpenAPI?serviceCode=person', { headers: asJudiciary });
    expect(res.json().openapi).toBe('3.1.0');
    expect(Object.keys(res.json().paths)).toEqual(['/persons/{nationalCode}', '/verify']);
  });
});
