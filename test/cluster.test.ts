// A node on several cores: workers share the data port, each with its own record chain, the admin
// API reports the metrics of all of them together, and a service's maximum rate holds for the node.
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, Agent } from 'undici';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, seedRegistry, forkNode, stopProcess, SERVICE, JUDICIARY, PERSON_CONTRACT } from './harness.ts';
import { loadOrCreateNodeKeys } from '../src/keys/node-keys.ts';
import { openRegistryAt } from '../src/registry/open-registry.ts';

/** A service of the same provider limited to one request per second per client. */
const LIMITED = 'IR/GOV/NOCR/identity/limited';

let dataDir: string;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let child: ChildProcess;
let ports: { http: number; admin: number };
let pids: number[];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-cluster-'));
  provider = await startTestProvider();
  const opened = await openRegistryAt(dataDir);
  // Base URLs on loopback are refused unless the operator allowed the host first.
  const registry = opened.registry as typeof opened.registry & { allowProviderHost?: (host: string, note?: string) => Promise<unknown> };
  await registry.allowProviderHost?.(`127.0.0.1:${provider.port}`, 'test provider');
  await seedRegistry(opened, provider.baseUrl);
  await opened.registry.putService({ serviceId: LIMITED, title: 'Person, rate-limited', baseUrl: provider.baseUrl, contract: PERSON_CONTRACT, maxRatePerSecond: 1 });
  await opened.registry.grant({ subject: JUDICIARY, serviceId: LIMITED, legalBasis: 'Judiciary act, art. 1' });
  await opened.close();
  ({ child, ports, pids } = await forkNode(dataDir, 2));
});
afterAll(async () => {
  await stopProcess(child);
  await provider.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a node with two data-plane workers', () => {
  it('serves on both, with one record chain each, and aggregates their metrics', async () => {
    expect(pids).toHaveLength(2);
    // A fresh connection per request, so that the primary spreads them over the workers.
    for (let i = 0; i < 20; i++) {
      const agent = new Agent({ pipelining: 0 });
      const res = await request(`http://127.0.0.1:${ports.http}/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY }, dispatcher: agent });
      await res.body.text();
      expect(res.statusCode).toBe(200);
      await agent.close();
    }
    const token = (await loadOrCreateNodeKeys(dataDir)).adminToken;
    const metrics = await request(`http://127.0.0.1:${ports.admin}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    const text = await metrics.body.text();
    const m = new RegExp(`tabadol_exchanges_total\\{service="${SERVICE}",client="${JUDICIARY}",status="200",error_type=""\\} (\\d+)`).exec(text);
    expect(Number(m?.[1])).toBe(20);

    // Each answer left after its record was durable: no wait needed before reading them.
    const db = new Database(path.join(dataDir, 'records.db'), { readonly: true });
    const chains = db.prepare('select chain_id, count(*) as n from records group by chain_id order by chain_id').all() as { chain_id: string; n: number }[];
    db.close();
    expect(chains.map((c) => c.chain_id)).toEqual(['central/0', 'central/1']);
    expect(chains.every((c) => c.n > 0)).toBe(true);
  });

  it('reaches every worker with a registry change made through the admin API', async () => {
    const token = (await loadOrCreateNodeKeys(dataDir)).adminToken;
    const res = await request(`http://127.0.0.1:${ports.admin}/v1/access-rights`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ subject: 'IR/GOV/POLICE/licensing', serviceId: SERVICE, legalBasis: 'test' }),
    });
    expect(res.statusCode).toBe(201);
    await res.body.text();
    // Each worker loads the new snapshot on the primary's word, on its own time: wait until six
    // calls in a row, on fresh connections the primary hands to the workers in turn, succeed.
    let inARow = 0;
    while (inARow < 6) {
      const agent = new Agent({ pipelining: 0 });
      const call = await request(`http://127.0.0.1:${ports.http}/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': 'IR/GOV/POLICE/licensing' }, dispatcher: agent });
      await call.body.text();
      await agent.close();
      inARow = call.statusCode === 200 ? inARow + 1 : 0;
      if (inARow === 0) expect(call.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
    }
  });

  it('holds a service\'s maximum rate for the node as a whole, not once per worker', async () => {
    // 20 requests at once, on fresh connections so that both workers take some. The bucket holds
    // one token and gains one a second, so however slowly this machine answers, the node admits
    // at most 1 + (whole seconds elapsed); two workers with buckets of their own would admit two
    // at once.
    const started = performance.now();
    const answers = await Promise.all(Array.from({ length: 20 }, async () => {
      const agent = new Agent({ pipelining: 0 });
      try {
        const res = await request(`http://127.0.0.1:${ports.http}/r1/${LIMITED}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY }, dispatcher: agent });
        await res.body.text();
        return { status: res.statusCode, type: res.headers['x-road-error'] };
      } finally {
        await agent.close();
      }
    }));
    const elapsedSeconds = (performance.now() - started) / 1000;
    const admitted = answers.filter((a) => a.status === 200).length;
    const limited = answers.filter((a) => a.status === 400 && a.type === 'Client.RateLimitExceeded').length;
    expect(admitted + limited).toBe(20);
    expect(admitted).toBeGreaterThanOrEqual(1);
    expect(admitted).toBeLessThanOrEqual(1 + Math.floor(elapsedSeconds + 0.01));

    // Both workers took part: each chain recorded some of these exchanges.
    const db = new Database(path.join(dataDir, 'records.db'), { readonly: true });
    const perChain = db.prepare('select chain_id, count(*) as n from records where service = ? group by chain_id order by chain_id').all(LIMITED) as { chain_id: string; n: number }[];
    db.close();
    expect(perChain.map((c) => c.chain_id)).toEqual(['central/0', 'central/1']);
  });
});
