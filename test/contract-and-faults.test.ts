// Contract checks on both sides of the call, and a provider that is down, slow or answers garbage.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { SERVICE, JUDICIARY, PERSON_CONTRACT, allowHost, useSeededNode } from './harness.ts';

const ctx = useSeededNode({ timeoutMs: 300 });

const person = `/r1/${SERVICE}/persons/0012345679`;
const asJudiciary = { 'x-road-client': JUDICIARY };
const verify = (body: string, contentType = 'application/json') =>
  ctx.t.http(`/r1/${SERVICE}/verify`, { method: 'POST', headers: { ...asJudiciary, 'content-type': contentType }, body });

describe('the request against the contract', () => {
  it.each([
    ['a path parameter off its pattern', () => ctx.t.http(`/r1/${SERVICE}/persons/12345`, { headers: asJudiciary })],
    ['a query parameter too long', () => ctx.t.http(`${person}?purpose=${'x'.repeat(51)}`, { headers: asJudiciary })],
    ['a body that is not JSON', () => verify('{nationalCode')],
    ['a body missing a required field', () => verify(JSON.stringify({ nationalCode: '0012345679' }))],
    ['a body with an undeclared field', () => verify(JSON.stringify({ nationalCode: '0012345679', mobile: '09121234567', extra: 1 }))],
    ['a required body that is absent', () => verify('')],
    ['a body that is not declared JSON', () => verify(JSON.stringify({ nationalCode: '0012345679', mobile: '09121234567' }), 'text/plain')],
    ['a body sent to an endpoint that takes none', () => ctx.t.http(person, { method: 'GET', headers: { ...asJudiciary, 'content-type': 'text/plain' }, body: 'anything' })],
  ])('refuses %s before it reaches the provider', async (_name, call) => {
    const res = await call();
    expect(res.status).toBe(400);
    expect(res.headers['x-road-error']).toBe('Client.InvalidRequest');
    expect(ctx.provider.calls).toHaveLength(0);
  });

  it('refuses a method and path the contract does not have', async () => {
    const res = await ctx.t.http(`/r1/${SERVICE}/people`, { headers: asJudiciary });
    expect(res.headers['x-road-error']).toBe('Client.InvalidRequest');
    expect(ctx.provider.calls).toHaveLength(0);
  });

  it('refuses an unknown service', async () => {
    const res = await ctx.t.http('/r1/IR/GOV/NOCR/identity/nothing/x', { headers: asJudiciary });
    expect(res.status).toBe(500);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.UnknownService');
  });
});

describe('the response against the contract', () => {
  it('refuses an answer that lacks a declared required field', async () => {
    ctx.provider.set((_req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ nationalCode: '0012345679', firstName: 'x' }));
    });
    const res = await ctx.t.http(person, { headers: asJudiciary });
    expect(res.status).toBe(500);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.InvalidResponse');
    expect(res.text).not.toContain('0012345679');
  });

  it('drops fields the contract does not declare', async () => {
    const res = await ctx.t.http(person, { headers: asJudiciary });
    expect(res.json()).not.toHaveProperty('secretField');
  });
});

describe('a provider that fails', () => {
  it('answering garbage with a success status', async () => {
    ctx.provider.set((_req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('<html>oops</html>');
    });
    const res = await ctx.t.http(person, { headers: asJudiciary });
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.ServiceFailed');
  });

  it('cutting the connection mid-answer', async () => {
    ctx.provider.set((req) => req.socket.destroy());
    const res = await ctx.t.http(person, { headers: asJudiciary });
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.ServiceFailed');
  });

  it('slow past the service timeout', async () => {
    ctx.provider.set((_req, _b, res) => {
      setTimeout(() => { res.writeHead(200); res.end('{}'); }, 1500).unref();
    });
    const started = Date.now();
    const res = await ctx.t.http(person, { headers: asJudiciary });
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.ServiceTimeout');
    expect(Date.now() - started).toBeLessThan(1400);
  });

  it('trickling its answer past the service timeout', async () => {
    ctx.provider.set((_req, _b, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      let n = 0;
      const drip = setInterval(() => {
        if (res.destroyed || ++n > 15) { clearInterval(drip); res.end(); return; }
        res.write(' ');
      }, 100);
    });
    const started = Date.now();
    const res = await ctx.t.http(person, { headers: asJudiciary });
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.ServiceTimeout');
    expect(Date.now() - started).toBeLessThan(1000);
  });

  it('down', async () => {
    const closed = http.createServer();
    await new Promise<void>((r) => closed.listen(0, '127.0.0.1', r));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    // Providers on loopback must be allowed first (base URLs are checked against private ranges).
    await allowHost(ctx.t.node, `127.0.0.1:${port}`);
    await ctx.t.node.registry.putService({
      serviceId: 'IR/GOV/NOCR/identity/down', title: 'down', baseUrl: `http://127.0.0.1:${port}`, contract: PERSON_CONTRACT,
    });
    await ctx.t.node.registry.grant({ subject: JUDICIARY, serviceId: 'IR/GOV/NOCR/identity/down', legalBasis: 'test' });
    await ctx.t.sync();
    const res = await ctx.t.http('/r1/IR/GOV/NOCR/identity/down/persons/0012345679', { headers: asJudiciary });
    expect(res.status).toBe(500);
    expect(res.headers['x-road-error']).toBe('Server.ServerProxy.ServiceFailed');
    expect(res.json().message).toMatch(/ECONNREFUSED/);
  });
});
