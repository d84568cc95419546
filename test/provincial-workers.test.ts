// A provincial node on two cores (`tabadol start --role provincial --workers 2`), as a real process
// beside a centre: both workers answer on the shared data port, each with its own record chain, on
// the snapshot relayed by the province's control plane; no process of the province opens a registry.
import path from 'node:path';
import { existsSync } from 'node:fs';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDICIARY, SERVICE, readRows, startTestProvider, until } from './harness.ts';
import { seedCentreWithProvincialService, startCentreAndProvince, type CentreAndProvince, type NodeProc } from './cluster-processes.ts';
import type { ProvincePorts } from '../scripts/cluster-nodes.mjs';

let cluster: CentreAndProvince | undefined;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let p23Dir: string;
let ports: ProvincePorts;
let province: NodeProc | undefined;

/** One inquiry on a fresh connection, so that the primary hands connections to the workers in turn. */
async function ask(): Promise<number> {
  const agent = new Agent({ pipelining: 0 });
  try {
    const res = await request(`http://127.0.0.1:${ports.http}/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY }, dispatcher: agent });
    await res.body.text();
    return res.statusCode;
  } finally {
    await agent.close();
  }
}

beforeAll(async () => {
  provider = await startTestProvider();
  cluster = await startCentreAndProvince((centreDir, p23) => seedCentreWithProvincialService(centreDir, provider.baseUrl, 2000, p23), { extra: ['--workers', '2'] });
  ({ provinceDir: p23Dir, ports, province } = cluster);
}, 90_000);

afterAll(async () => {
  await cluster?.close();
  await provider?.close();
});

describe('a provincial node with two data-plane workers', () => {
  it('answers from both workers, one record chain each, and no process of it opens a registry', async () => {
    expect(new Set(province!.pids).size).toBe(2);
    expect(province!.pids).not.toContain(province!.child.pid);
    // Each worker gets the snapshot from the province's control plane; until then it refuses.
    expect(await until(ask, (s) => s === 200, 30_000)).toBe(200);
    const chains = () => readRows<{ chain_id: string }>(path.join(p23Dir, 'records.db'), 'select distinct chain_id from records order by chain_id').map((r) => r.chain_id);
    // Fresh connections go to the workers in turn; one that has no snapshot yet refuses, so ask until both answered.
    const both = await until(async () => { expect([200, 500, 503]).toContain(await ask()); return chains(); }, (c) => c.length === 2, 30_000);
    expect(both).toEqual(['p23/0', 'p23/1']);
    expect(existsSync(path.join(p23Dir, 'registry.db'))).toBe(false);
  }, 60_000);
});
