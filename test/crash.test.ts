// Crash safety: kill the node with SIGKILL in the middle of a bounded load, restart it, and check
// that every exchange whose answer a client received has its record and that the chain verifies.
import { fork, type ChildProcess } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestProvider, seedRegistry, SERVICE, JUDICIARY } from './harness.ts';
import { openRegistryStore } from '../src/store/database.ts';
import { loadOrCreateNodeKeys } from '../src/keys/node-keys.ts';
import { Registry } from '../src/registry/registry.ts';
import { recordsFile } from '../src/records/record-store.ts';
import { verifyRecords } from '../src/records/verify.ts';

let dataDir: string;
let provider: Awaited<ReturnType<typeof startTestProvider>>;

/** Starts `tabadol start` as its own process and waits for its ports. */
function startNodeProcess(workers: number): Promise<{ child: ChildProcess; port: number; pids: number[] }> {
  const child = fork(path.resolve('src/cli/main.ts'), ['--data', dataDir, 'start', '--http-port', '0', '--no-tls', '--admin-port', '0', '--workers', String(workers)], {
    execArgv: ['--import', 'tsx'], env: { ...process.env, TABADOL_LOG_LEVEL: 'silent' }, stdio: 'ignore',
  });
  return new Promise((resolve, reject) => {
    child.once('message', (m: any) => resolve({ child, port: m.ports.http, pids: m.pids }));
    child.once('exit', (code) => reject(new Error(`node exited with ${code}`)));
  });
}

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-crash-'));
  provider = await startTestProvider();
  // Seed through the same operations the CLI uses, on the data directory the node will open.
  const keys = await loadOrCreateNodeKeys(dataDir);
  const store = await openRegistryStore(dataDir);
  const registry = new Registry(store.db, { instance: 'IR', nodeId: 'central', signingKey: keys.signingKey, validityMs: 86_400_000, now: () => new Date() });
  await seedRegistry({ registry } as never, provider.baseUrl);
  await store.close();
});
afterAll(async () => {
  await provider.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('a node killed with SIGKILL under load', () => {
  it.each([1, 2])('with %i data-plane process(es), keeps a record of every answer a client received, and its chains verify after restart', async (workers) => {
    const { child, port, pids } = await startNodeProcess(workers);
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
    // Bounded: kill after a second of load, or once enough answers arrived.
    const deadline = Date.now() + 5000;
    while (answered.length < 300 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, 100));
    // Every process at once, as a power cut or the OOM killer would.
    for (const pid of new Set([child.pid!, ...pids])) process.kill(pid, 'SIGKILL');
    stop = true;
    await load;
    await agent.close();
    expect(answered.length).toBeGreaterThan(100);

    // Restart on the same data directory: the chain continues where it was cut.
    const restarted = await startNodeProcess(workers);
    const after = await request(`http://127.0.0.1:${restarted.port}/r1/${SERVICE}/persons/0012345679`, {
      headers: { 'x-road-client': JUDICIARY, 'x-road-id': `after-restart-${workers}` },
    });
    await after.body.text();
    expect(after.statusCode).toBe(200);
    await new Promise<void>((r) => { restarted.child.once('exit', () => r()); restarted.child.kill('SIGTERM'); });

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
  });
});
