// A node on several cores: workers share the data port, each with its own record chain, and the
// admin API reports the metrics of all of them together.
import type { ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { request, Agent } from 'undici';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, seedDataDir, forkNode, stopProcess, SERVICE, JUDICIARY } from './harness.ts';
import { loadOrCreateNodeKeys } from '../src/keys/node-keys.ts';

let dataDir: string;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let child: ChildProcess;
let ports: { http: number; admin: number };
let pids: number[];

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-cluster-'));
  provider = await startTestProvider();
  await seedDataDir(dataDir, provider.baseUrl);
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

    await new Promise((r) => setTimeout(r, 100));
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
    await new Promise((r) => setTimeout(r, 300));
    for (let i = 0; i < 6; i++) {
      const agent = new Agent({ pipelining: 0 });
      const call = await request(`http://127.0.0.1:${ports.http}/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': 'IR/GOV/POLICE/licensing' }, dispatcher: agent });
      await call.body.text();
      expect(call.statusCode).toBe(200);
      await agent.close();
    }
  });
});
