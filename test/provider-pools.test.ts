// The call-provider stage against a real (test) provider: the bound on exchanges in progress per
// provider origin, answers over the size limit, redirects passed back, timeouts.
import type http from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isTabadolError } from '../src/errors/catalogue.ts';
import type { Exchange } from '../src/dataplane/exchange.ts';
import { ProviderPools } from '../src/dataplane/provider-pools.ts';
import { callProvider } from '../src/dataplane/stages/call-provider.ts';
import { startTestProvider, SERVICE, JUDICIARY } from './harness.ts';

let provider: Awaited<ReturnType<typeof startTestProvider>>;
let pools: ProviderPools | undefined;
beforeAll(async () => { provider = await startTestProvider(); });
afterAll(async () => { await provider.close(); });
afterEach(async () => {
  provider.reset();
  await pools?.close();
  pools = undefined;
});

function exchange(o: { path?: string; timeoutMs?: number; origin?: string } = {}): Exchange {
  return {
    method: 'GET', servicePath: o.path ?? '/persons/0012345679', query: '', rawHeaders: [], body: Buffer.alloc(0),
    client: JUDICIARY, serviceId: SERVICE, xroadId: 'IR-test', requestId: 'req-test',
    service: { id: SERVICE, origin: o.origin ?? `http://127.0.0.1:${provider.port}`, basePath: '/nocr', def: { timeoutMs: o.timeoutMs ?? 5000 } },
  } as unknown as Exchange;
}

/** The coded type the stage refused with, or 'answered'. */
async function outcome(ex: Exchange, stage: ReturnType<typeof callProvider>): Promise<string> {
  try {
    await stage.run(ex);
    return 'answered';
  } catch (e) {
    return isTabadolError(e) ? e.type : `uncoded: ${String(e)}`;
  }
}

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((r) => setTimeout(r, 5));
}

describe('provider pools', () => {
  it('refuse at once beyond connections plus queue, and let the rest complete when the provider answers', async () => {
    const held: http.ServerResponse[] = [];
    provider.set((_req, _body, res) => { held.push(res); });
    pools = new ProviderPools({ connections: 2, queue: 1 });
    const stage = callProvider(pools);

    const exchanges = Array.from({ length: 6 }, () => exchange());
    const outcomes = exchanges.map((ex) => outcome(ex, stage));
    // Three refusals while the provider still holds every request: none of them waited for it.
    const settled: string[] = [];
    for (const o of outcomes) void o.then((v) => settled.push(v));
    await until(() => settled.length === 3);
    expect(settled).toEqual(Array(3).fill('Server.ServerProxy.ServiceFailed.ProviderBusy'));

    // Two on the wire, one waiting for a connection; answering releases them all.
    await until(() => held.length === 2);
    const answer = (res: http.ServerResponse) => res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    provider.set((_req, _body, res) => answer(res));
    for (const res of held) answer(res);
    expect((await Promise.all(outcomes)).filter((o) => o === 'answered')).toHaveLength(3);
    expect(exchanges.filter((ex) => ex.response?.status === 200)).toHaveLength(3);
    // A refusal spent no time with the provider: the record has no provider time for it.
    expect(exchanges.filter((ex) => ex.providerMs === undefined)).toHaveLength(3);

    // The places were given back.
    expect(await Promise.all(Array.from({ length: 3 }, () => outcome(exchange(), stage)))).toEqual(Array(3).fill('answered'));
  });

  it('give back the place of an exchange that failed', async () => {
    pools = new ProviderPools({ connections: 1, queue: 0 });
    const stage = callProvider(pools);
    // Nothing listens on port 1 of the loopback: a network failure.
    expect(await outcome(exchange({ origin: 'http://127.0.0.1:1' }), stage)).toBe('Server.ServerProxy.ServiceFailed');
    expect(await outcome(exchange({ origin: 'http://127.0.0.1:1' }), stage)).toBe('Server.ServerProxy.ServiceFailed');
    expect(await outcome(exchange(), stage)).toBe('answered');
  });

  it('refuse limits that are not whole numbers', () => {
    expect(() => new ProviderPools({ connections: 0 })).toThrow(/connections/);
    expect(() => new ProviderPools({ queue: -1 })).toThrow(/queue/);
  });
});

describe('call-provider stage', () => {
  it('passes a redirect back without following it', async () => {
    provider.set((_req, _body, res) => res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' }).end());
    pools = new ProviderPools();
    const ex = exchange();
    expect(await outcome(ex, callProvider(pools))).toBe('answered');
    expect(ex.response?.status).toBe(302);
    expect(ex.response?.headers).toContain('http://127.0.0.1:1/elsewhere');
    expect(provider.calls).toHaveLength(1);
  });

  it('refuses an answer larger than 16 MiB with ServiceFailed', async () => {
    const big = Buffer.alloc(16 * 1024 * 1024 + 1, 0x20);
    provider.set((_req, _body, res) => res.writeHead(200, { 'content-type': 'application/json' }).end(big));
    pools = new ProviderPools();
    const ex = exchange();
    expect(await outcome(ex, callProvider(pools))).toBe('Server.ServerProxy.ServiceFailed');
    expect(ex.response).toBeUndefined();
  });

  it('refuses a provider that does not answer within the service timeout with ServiceTimeout', async () => {
    provider.set(() => { /* never answers */ });
    pools = new ProviderPools();
    expect(await outcome(exchange({ timeoutMs: 100 }), callProvider(pools))).toBe('Server.ServerProxy.ServiceTimeout');
  });

  it('asks the provider for an uncompressed answer and names the exchange in X-Road headers', async () => {
    pools = new ProviderPools();
    expect(await outcome(exchange(), callProvider(pools))).toBe('answered');
    const h = provider.calls[0]!.headers;
    expect(h['accept-encoding']).toBe('identity');
    expect(h['x-road-client']).toBe(JUDICIARY);
    expect(h['x-road-id']).toBe('IR-test');
  });
});
