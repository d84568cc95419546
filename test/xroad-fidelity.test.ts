// What an X-Road client notices, held to X-Road's own specifications (PR-REST, PR-MREST, PR-META) and
// to what X-Road's proxy does where the specifications are silent.
import { createHash } from 'node:crypto';
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import { JUDICIARY, PERSON_CONTRACT, POLICE, SERVICE, useSeededNode } from './harness.ts';
import { rawRequest } from './raw-http.ts';
import { recordsFile } from '../src/records/record-store.ts';

const ctx = useSeededNode();
const person = `/r1/${SERVICE}/persons/0012345679`;
const asJudiciary = { 'x-road-client': JUDICIARY };
const ROOT = 'IR/GOV/NOCR/identity/root';

beforeAll(async () => {
  // A service whose contract answers at its base URL, and which carries the provider's address.
  await ctx.t.node.registry.putService({
    serviceId: ROOT, title: 'Root', baseUrl: ctx.provider.baseUrl,
    contract: { ...PERSON_CONTRACT, servers: [{ url: 'http://10.1.2.3/internal' }], paths: { '/': { servers: [{ url: 'http://10.9.9.9/path-level' }], get: { servers: [{ url: 'http://10.8.8.8/op' }], responses: { '200': { description: 'ok' } } } } } },
  });
  await ctx.t.node.registry.grant({ subject: JUDICIARY, serviceId: ROOT, legalBasis: 'Test act' });
  await ctx.t.sync();
});

const sha512 = (b: Buffer) => createHash('sha512').update(b).digest();

describe('X-Road-Request-Hash binds the answer to exactly one request', () => {
  // The independent computation: X-Road's RestRequest layout over the bytes this test sends.
  function expectedHash(method: string, target: string, headers: [string, string][], requestId: string, body: string): string {
    const hop = new Set(['host', 'connection', 'content-length', 'user-agent', 'transfer-encoding', 'keep-alive', 'te', 'trailer', 'upgrade', 'expect', 'server', 'proxy-authenticate', 'proxy-authorization']);
    const kept = headers.filter(([n]) => !hop.has(n.toLowerCase()) && !['x-road-request-id', 'x-road-request-hash'].includes(n.toLowerCase()));
    const head = Buffer.from(`${method}\r\n${target}\r\n${kept.map(([n, v]) => `${n}:${v}\r\n`).join('')}x-road-request-id:${requestId}\r\n`, 'latin1');
    if (body === '') return sha512(head).toString('base64');
    return sha512(Buffer.concat([sha512(head), sha512(Buffer.from(body))])).toString('base64');
  }

  async function send(method: string, target: string, headers: [string, string][], body = '') {
    const all: [string, string][] = [['Host', 'localhost'], ...headers, ['Content-Length', String(Buffer.byteLength(body))], ['Connection', 'close']];
    const res = await rawRequest(ctx.t.node.ports.http!, `${method} ${target} HTTP/1.1\n${all.map(([k, v]) => `${k}: ${v}`).join('\n')}\n`, body);
    return { res, all };
  }

  it('covers the request line, the headers as sent with the node\'s request id, and the body', async () => {
    const body = JSON.stringify({ nationalCode: '0012345679', mobile: '09121234567' });
    const target = `/r1/${SERVICE}/verify`;
    const { res, all } = await send('POST', target, [['X-Road-Client', JUDICIARY], ['X-Road-Id', 'hash-1'], ['Content-Type', 'application/json'], ['X-Road-Request-Id', 'client-sent, discarded']], body);
    expect(res.status).toBe(200);
    expect(res.headers['x-road-request-hash']).toBe(expectedHash('POST', target, all, res.headers['x-road-request-id']!, body));
    // The record keeps the same value, so an auditor can join the answer to its record.
    const db = new Database(recordsFile(ctx.t.dataDir), { readonly: true });
    const row = db.prepare("select request_hash from records where xroad_id = 'hash-1'").get() as { request_hash: string };
    db.close();
    expect(row.request_hash).toBe(res.headers['x-road-request-hash']);
  });

  it('is the hash of the header block alone when there is no body, and differs between two identical requests', async () => {
    const target = `${person}?purpose=a`;
    const headers: [string, string][] = [['X-Road-Client', JUDICIARY], ['X-Road-Id', 'same']];
    const a = await send('GET', target, headers);
    const b = await send('GET', target, headers);
    expect(a.res.headers['x-road-request-hash']).toBe(expectedHash('GET', target, a.all, a.res.headers['x-road-request-id']!, ''));
    expect(a.res.headers['x-road-request-hash']).not.toBe(b.res.headers['x-road-request-hash']);
  });

  it('differs between two inquiries with the same headers', async () => {
    const headers: [string, string][] = [['X-Road-Client', JUDICIARY], ['X-Road-Id', 'two-inquiries']];
    const a = await send('GET', `/r1/${SERVICE}/persons/0012345679`, headers);
    const b = await send('GET', `/r1/${SERVICE}/persons/0000000000`, headers);
    expect(a.res.headers['x-road-request-hash']).toBe(expectedHash('GET', `/r1/${SERVICE}/persons/0012345679`, a.all, a.res.headers['x-road-request-id']!, ''));
    expect(b.res.headers['x-road-request-hash']).toBe(expectedHash('GET', `/r1/${SERVICE}/persons/0000000000`, b.all, b.res.headers['x-road-request-id']!, ''));
    expect(a.res.headers['x-road-request-hash']).not.toBe(b.res.headers['x-road-request-hash']);
  });

  it('includes the X-Road-Id the node made when none was sent', async () => {
    const target = person;
    const { res } = await send('GET', target, [['X-Road-Client', JUDICIARY]]);
    const head = `GET\r\n${target}\r\nX-Road-Client:${JUDICIARY}\r\nx-road-request-id:${res.headers['x-road-request-id']}\r\nx-road-id:${res.headers['x-road-id']}\r\n`;
    expect(res.headers['x-road-request-hash']).toBe(sha512(Buffer.from(head)).toString('base64'));
  });
});

describe('the request line', () => {
  it('sends a call with nothing after the service code to the provider\'s base URL', async () => {
    ctx.provider.set((_req, _body, res) => res.writeHead(200).end());
    const res = await ctx.t.http(`/r1/${ROOT}`, { headers: asJudiciary });
    expect(res.status).toBe(200);
    expect(ctx.provider.calls[0]!.url).toBe('/nocr');
  });

  it('percent-decodes each identifier part, in the URL and in X-Road-Client', async () => {
    const res = await ctx.t.http('/r1/IR/GOV/NOCR/identity/p%65rson/persons/0012345679', { headers: { 'x-road-client': 'IR/GOV/JUDICIARY/case%2Dmanagement' } });
    expect(res.status).toBe(200);
    expect(res.headers['x-road-client']).toBe(JUDICIARY);
  });
});

describe('listClients', () => {
  it('answers X-Road\'s XML clientList unless JSON is asked for', async () => {
    for (const accept of [undefined, '*/*', 'text/xml', 'text/xml;q=1.0, */*']) {
      const res = await ctx.t.http('/listClients', { headers: accept ? { accept } : {} });
      expect(res.headers['content-type'], accept).toBe('text/xml; charset=utf-8');
      expect(res.text).toContain('<ns2:clientList xmlns:ns1="http://x-road.eu/xsd/identifiers" xmlns:ns2="http://x-road.eu/xsd/xroad.xsd">');
      expect(res.text).toContain('<ns2:member><ns2:id ns1:objectType="SUBSYSTEM"><ns1:xRoadInstance>IR</ns1:xRoadInstance><ns1:memberClass>GOV</ns1:memberClass><ns1:memberCode>POLICE</ns1:memberCode><ns1:subsystemCode>licensing</ns1:subsystemCode></ns2:id><ns2:name>Police</ns2:name></ns2:member>');
    }
    for (const accept of ['application/json', 'text/xml;q=1.0, application/json;q=0.9', 'application/json; charset=utf-8']) {
      const res = await ctx.t.http('/listClients', { headers: { accept } });
      expect(res.headers['content-type'], accept).toBe('application/json; charset=utf-8');
      expect(res.json().member.length).toBeGreaterThan(3);
    }
  });

  it('honours xRoadInstance: another instance has no clients on this exchange', async () => {
    const own = await ctx.t.http('/listClients?xRoadInstance=IR', { headers: { accept: 'application/json' } });
    expect(own.json().member.length).toBeGreaterThan(3);
    const other = await ctx.t.http('/listClients?xRoadInstance=EE', { headers: { accept: 'application/json' } });
    expect(other.json()).toEqual({ member: [] });
  });
});

describe('listMethods, allowedMethods and getOpenAPI', () => {
  it('write endpoint paths in X-Road\'s wildcard form', async () => {
    const res = await ctx.t.http('/r1/IR/GOV/NOCR/identity/allowedMethods', { headers: asJudiciary });
    const person = res.json().service.find((s: { service_code: string }) => s.service_code === 'person');
    expect(person.endpoint_list).toContainEqual({ method: 'GET', path: '/persons/*' });
  });

  it('answer GET only, and name the metaservice in X-Road-Service', async () => {
    const get = await ctx.t.http('/r1/IR/GOV/NOCR/identity/listMethods', { headers: asJudiciary });
    expect(get.headers['x-road-service']).toBe('IR/GOV/NOCR/identity/listMethods');
    const post = await ctx.t.http('/r1/IR/GOV/NOCR/identity/listMethods', { method: 'POST', headers: asJudiciary });
    expect(post.headers['x-road-error']).toBe('Server.ServerProxy.UnknownService');
  });

  it('read serviceCode case-insensitively, the last one winning, and hide the provider\'s servers', async () => {
    const res = await ctx.t.http('/r1/IR/GOV/NOCR/identity/getOpenAPI?servicecode=person&SERVICECODE=root', { headers: asJudiciary });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json().paths)).toEqual(['/']);
    for (const address of ['10.1.2.3', '10.9.9.9', '10.8.8.8']) expect(res.text).not.toContain(address);
    expect(res.json().servers).toEqual([{ url: 'http://example.org/xroad-example' }]);
  });
});

describe('errors', () => {
  it('follow X-Road\'s choice of format: the first XML type in Accept, else JSON', async () => {
    const cases: [string | undefined, string][] = [
      [undefined, 'application/json; charset=utf-8'],
      ['application/json;charset=utf-8', 'application/json; charset=utf-8'],
      ['foobarbaz', 'application/json; charset=utf-8'],
      ['application/xml', 'application/xml; charset=utf-8'],
      ['text/xml', 'text/xml; charset=utf-8'],
      ['application/xml, text/xml', 'application/xml; charset=utf-8'],
      ['text/xml, application/xml', 'text/xml; charset=utf-8'],
      ['text/xml-patch+xml', 'application/json; charset=utf-8'],
      ['application/xml; q=0.2', 'application/xml; charset=utf-8'],
      ['application/json, application/xml', 'application/xml; charset=utf-8'],
      ['text/*', 'text/xml; charset=utf-8'],
    ];
    for (const [accept, type] of cases) {
      const res = await ctx.t.http(person, { headers: { 'x-road-client': POLICE, ...(accept ? { accept } : {}) } });
      expect(res.headers['content-type'], accept).toBe(type);
      if (type.includes('xml')) expect(res.text).toMatch(/<error><type>Server\.ServerProxy\.AccessDenied<\/type>/);
      else expect(res.json().type).toBe('Server.ServerProxy.AccessDenied');
    }
  });

  it('refuse a malformed X-Road-Represented-Party or X-Road-Security-Server', async () => {
    for (const [name, value] of [['x-road-represented-party', 'COM/10103/extra'], ['x-road-represented-party', 'COM/a b'], ['x-road-security-server', 'IR/GOV/NOCR'], ['x-road-security-server', 'IR/GOV/NOCR/ss1/x']]) {
      const res = await ctx.t.http(person, { headers: { ...asJudiciary, [name!]: value! } });
      expect(res.headers['x-road-error'], `${name}: ${value}`).toBe('Client.BadRequest');
      expect(ctx.provider.calls).toHaveLength(0);
    }
    for (const [name, value] of [['x-road-represented-party', '10103'], ['x-road-represented-party', 'COM/10103'], ['x-road-security-server', 'IR/GOV/NOCR/central']]) {
      const res = await ctx.t.http(person, { headers: { ...asJudiciary, [name!]: value! } });
      expect(res.status, `${name}: ${value}`).toBe(200);
    }
    // A well-formed pin on a node that does not serve the service is refused before anything is sent (PR-TARGETSS).
    const callsBefore = ctx.provider.calls.length;
    const pinned = await ctx.t.http(person, { headers: { ...asJudiciary, 'x-road-security-server': 'IR/GOV/NOCR/ss1' } });
    expect(pinned.headers['x-road-error']).toBe('Server.ClientProxy.InvalidSecurityServer');
    expect(ctx.provider.calls).toHaveLength(callsBefore);
  });
});
