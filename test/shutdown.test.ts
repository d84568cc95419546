// An orderly stop lets the exchanges under way finish: each gets its answer and its record.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestNode, startTestProvider, seedRegistry, SERVICE, JUDICIARY } from './harness.ts';
import { recordsFile } from '../src/records/record-store.ts';

let dataDir: string;
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('stopping a node', () => {
  it('waits for an exchange in flight, answers it and records it', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-stop-'));
    const provider = await startTestProvider();
    const t = await startTestNode({ dataDir });
    await seedRegistry(t.node, provider.baseUrl);
    await t.sync();
    provider.set((_req, _b, res) => {
      setTimeout(() => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ nationalCode: '0012345679', firstName: 'a', lastName: 'b' }));
      }, 400);
    });
    const call = t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY, 'x-road-id': 'in-flight' } });
    await new Promise((r) => setTimeout(r, 100));
    const stopped = t.node.close();
    const res = await call;
    await stopped;
    await provider.close();
    expect(res.status).toBe(200);
    const db = new Database(recordsFile(dataDir), { readonly: true });
    const row = db.prepare("select status from records where xroad_id = 'in-flight'").get() as { status: number } | undefined;
    db.close();
    expect(row?.status).toBe(200);
  });
});
