// An orderly stop lets the exchanges under way finish: each gets its answer and its record.
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { startTestNode, startTestProvider, seedRegistry, SERVICE, JUDICIARY } from './harness.ts';
import { recordsFile } from '../src/records/record-store.ts';

let dataDir: string;

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(true));
  });
}
afterAll(() => rm(dataDir, { recursive: true, force: true }));

describe('stopping a node', () => {
  it('waits for an exchange in flight, answers it and records it', async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-stop-'));
    const provider = await startTestProvider();
    const t = await startTestNode({ dataDir });
    await seedRegistry(t.node, provider.baseUrl);
    await t.sync();
    // The provider holds the answer until the node has begun to stop.
    let release: () => void = () => {};
    provider.set((_req, _b, res) => {
      release = () => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ nationalCode: '0012345679', firstName: 'a', lastName: 'b' }));
      };
    });
    const call = t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY, 'x-road-id': 'in-flight' } });
    await expect.poll(() => provider.calls.length).toBe(1);
    const stopped = t.node.close();
    // Only once the node has stopped taking connections does the provider answer: the node must
    // have waited for the exchange in flight rather than dropped it.
    const port = t.node.ports.http!;
    await expect.poll(() => refusesConnections(port)).toBe(true);
    release();
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
