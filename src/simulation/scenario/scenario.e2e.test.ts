// End to end: the scenario's registry loaded into a data directory, a real node started on it, the
// scenario agencies served, ~2 000 inquiries of the report's mix sent through the node, and the
// node's own records read back: all answered, the mix within 3 points on this small sample.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRegistryAt } from '../../registry/open-registry.ts';
import { startTestNode, type TestNode } from '../../../test/harness.ts';
import { startScenarioAgencies, type RunningScenarioAgencies } from './agency-server.ts';
import { loadScenario } from './load.ts';
import { buildMix } from './mix.ts';
import { runScenario, type RunSummary } from './run.ts';
import { buildScenario } from './scenario.ts';

const COUNT = 2000;
const scenario = buildScenario();
const mix = buildMix(scenario);

let dataDir = '';
let agencies: RunningScenarioAgencies;
let node: TestNode | undefined;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-scenario-'));
  agencies = await startScenarioAgencies(scenario, { port: 0 });
  const opened = await openRegistryAt(dataDir);
  try {
    await loadScenario(opened.registry, scenario, agencies.url);
  } finally {
    await opened.close();
  }
  node = await startTestNode({ dataDir, tlsPort: null, durability: 'normal' });
});

afterAll(async () => {
  await node?.close();
  await agencies?.close();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

describe('the 1399 scenario through a real node', () => {
  let summary: RunSummary;

  it('answers every inquiry of the mix', async () => {
    summary = await runScenario({
      url: `http://127.0.0.1:${node!.node.ports.http}`, instance: 'IR', mix, count: COUNT, concurrency: 20, seed: 'e2e',
    });
    expect(summary.outcomes).toEqual({ '200': COUNT });
    expect(summary).toMatchObject({ sent: COUNT, answered: COUNT, refused: 0, failed: 0 });
  });

  it('serves the 31 provinces to any subsystem, and still refuses the police the post', async () => {
    const provinces = await node!.http('/r1/IR/GOV/SCI/divisions/provinces/provinces', { headers: { 'x-road-client': 'IR/GOV/UT/admissions' } });
    expect(provinces.status).toBe(200);
    expect(provinces.json().provinces).toHaveLength(31);
    const refused = await node!.http('/r1/IR/GOV/POST/address/address/addresses/1193653471', { headers: { 'x-road-client': 'IR/GOV/POLICE/licensing' } });
    expect(refused.status).toBe(500);
    expect(refused.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
  });

  it('records every exchange, with the report\'s mix', async () => {
    await node!.close();
    node = undefined;
    const db = new Database(path.join(dataDir, 'records.db'), { readonly: true, fileMustExist: true });
    const all = db.prepare('select client, service, status, issue from records').all() as { client: string; service: string; status: number; issue: string | null }[];
    db.close();
    // The runner marks its inquiries with X-Road-Issue; the two other records are the test above's.
    const rows = all.filter((r) => r.issue?.startsWith('scenario 1399 #'));
    expect(rows).toHaveLength(COUNT);
    expect(all).toHaveLength(COUNT + 2);
    expect(rows.every((r) => r.status === 200)).toBe(true);

    const share = (key: (r: (typeof rows)[number]) => string, value: string): number => rows.filter((r) => key(r) === value).length / rows.length;
    const provider = (r: (typeof rows)[number]): string => r.service.split('/')[2] as string;
    const consumer = (r: (typeof rows)[number]): string => r.client.split('/').slice(1).join('/');
    for (const [p, target] of [['NOCR', 0.57], ['CRA', 0.2], ['POST', 0.06]] as const) expect(Math.abs(share(provider, p) - target), p).toBeLessThan(0.03);
    for (const [c, target] of mix.consumerShares) expect(Math.abs(share(consumer, c) - target), c).toBeLessThan(0.03);
    // The recorded mix is the one the runner reports.
    const recorded: Record<string, number> = {};
    for (const r of rows) recorded[provider(r)] = (recorded[provider(r)] ?? 0) + 1;
    expect(recorded).toEqual(summary.byProvider);
  });
});
