// Crash safety: kill the node with SIGKILL in the middle of a bounded load, restart it, and check
// that every exchange whose answer a client received has its record and that the chain verifies.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, seedDataDir, forkNode, stopProcess, SERVICE, JUDICIARY } from './harness.ts';
import { loadOrCreateNodeKeys } from '../src/keys/node-keys.ts';
import { recordsFile } from '../src/records/record-store.ts';
import { verifyRecords } from '../src/records/verify.ts';

let dataDir: string;
let provider: Awaited<ReturnType<typeof startTestProvider>>;

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-crash-'));
  provider = await startTestProvider();
  await seedDataDir(dataDir, provider.baseUrl);
});
afterAll(async () => {
  await provider.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a node killed with SIGKILL under load', () => {
  it.each([1, 2])('with %i data-plane process(es), keeps a record of every answer a client received, and its chains verify after restart', async (workers) => {
    const { child, ports: { http: port }, pids } = await forkNode(dataDir, workers);
    const agent = new Agent({ connections: 32 });
    const answered: string[] = [];
    let n = 0;
    let stop = false;
    const worker = async (w: number) => {
      while (!stop) {
        const id = `crash-${w}-${n++}`;
        try {
          const res = await request(`http://127.0.0.1:${port}/r1/${SERVICE}/persons/0012345679`, {
            headers: { 'x-road-client': JUDICIARY, 'x-road-id': id }, dispatcher: agent,
          });
          await res.body.text();
          if (res.statusCode === 200) answered.push(id);
        } catch {
          return; // the node is gone
        }
      }
    };
    const load = Promise.all(Array.from({ length: 24 }, (_, w) => worker(w)));
    // Bounded: kill once enough answers arrived (exchanges are still in flight then), or after 5 s.
    const deadline = Date.now() + 5000;
    while (answered.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    // Every process at once, as a power cut or the OOM killer would.
    for (const pid of new Set([child.pid!, ...pids])) process.kill(pid, 'SIGKILL');
    stop = true;
    await load;
    await agent.close();
    expect(answered.length).toBeGreaterThan(100);

    // Restart on the same data directory: the chain continues where it was cut.
    const restarted = await forkNode(dataDir, workers);
    const after = await request(`http://127.0.0.1:${restarted.ports.http}/r1/${SERVICE}/persons/0012345679`, {
      headers: { 'x-road-client': JUDICIARY, 'x-road-id': `after-restart-${workers}` },
    });
    await after.body.text();
    expect(after.statusCode).toBe(200);
    await stopProcess(restarted.child);

    const db = new Database(recordsFile(dataDir), { readonly: true });
    const recorded = new Set((db.prepare('select xroad_id from records').all() as { xroad_id: string }[]).map((r) => r.xroad_id));
    const missing = answered.filter((id) => !recorded.has(id));
    expect(missing).toEqual([]);
    expect(recorded.has(`after-restart-${workers}`)).toBe(true);
    if (workers > 1) {
      const chains = db.prepare('select chain_id, count(*) as n from records group by chain_id').all() as { chain_id: string; n: number }[];
      expect(chains.map((c) => c.chain_id).sort()).toEqual(['central/0', 'central/1']);
    }
    const { verifyKey } = await loadOrCreateNodeKeys(dataDir);
    const report = verifyRecords(db, verifyKey);
    db.close();
    expect(report.ok, report.chains.map((c) => c.problem).join('; ')).toBe(true);
    // Two starts of a node of up to three processes and seconds of load: on a 2-core machine with one
    // core busy that is more than the suite's default of 30 s.
  }, 90_000);
});
