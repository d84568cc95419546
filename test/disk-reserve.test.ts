// The disk reserve: below the free-space watermark the node refuses new exchanges with
// Server.ServerProxy.RecordFailed, shows it on /metrics and in the log (once entering, once
// leaving), and takes exchanges again by itself when space returns. The free space is simulated.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { Writable } from 'node:stream';
import Database from 'better-sqlite3';
import { pino } from 'pino';
import { request, Agent } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRegistry, startTestProvider, SERVICE, JUDICIARY, waitFor } from './harness.ts';

import { defaultConfig, parseDiskWatermark } from '../src/node/config.ts';
import { startNode, type RunningNode } from '../src/node/node.ts';
import { recordsFile } from '../src/records/record-store.ts';
import { DiskReserve } from '../src/records/disk-reserve.ts';

const GB = 1024 ** 3;
let free = 40 * GB;
const disk = { freeSpace: async () => ({ freeBytes: free, totalBytes: 100 * GB }) };

let node: RunningNode;
let dataDir: string;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
const agent = new Agent();
const logs: { msg: string; freeBytes?: number; reserveBytes?: number }[] = [];

/** /metrics on the admin port, as Prometheus scrapes it. */
async function metrics(): Promise<string> {
  const res = await request(`http://127.0.0.1:${node.ports.admin}/metrics`, {
    headers: { authorization: `Bearer ${node.keys.adminToken}` }, dispatcher: agent,
  });
  expect(res.statusCode).toBe(200);
  return res.body.text();
}

async function ask(id: string) {
  const res = await request(`http://127.0.0.1:${node.ports.http}/r1/${SERVICE}/persons/0012345679`, {
    headers: { 'x-road-client': JUDICIARY, 'x-road-id': id }, dispatcher: agent,
  });
  return { status: res.statusCode, error: res.headers['x-road-error'], body: await res.body.text() };
}

function recordedIds(): string[] {
  const db = new Database(recordsFile(dataDir), { readonly: true });
  try {
    return (db.prepare('select xroad_id from records order by seq').all() as { xroad_id: string }[]).map((r) => r.xroad_id);
  } finally {
    db.close();
  }
}

const reserveLogs = () => logs.filter((l) => /reserve/.test(l.msg)).map((l) => l.msg);

beforeAll(async () => {
  provider = await startTestProvider();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-disk-'));
  const sink = new Writable({ write(chunk, _enc, done) { for (const line of String(chunk).split('\n')) if (line) logs.push(JSON.parse(line)); done(); } });
  node = await startNode(defaultConfig({
    dataDir, adminPort: 0, tlsPort: null, httpPort: 0, checkpointIntervalMs: 0, snapshotPollMs: 200,
    minFreeDisk: { bytes: 512 * 1024 * 1024 }, diskCheckMs: 25, freeSpace: disk.freeSpace,
  }), pino({ level: 'info' }, sink));
  await seedRegistry(node, provider.baseUrl);
  await node.syncSnapshot();
});
afterAll(async () => {
  await agent.close();
  await node.close();
  await provider.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the disk reserve', () => {
  it('refuses new exchanges with RecordFailed while free space is below it, and takes them again when space returns', async () => {
    expect((await ask('disk-before')).status).toBe(200);
    expect(await metrics()).toMatch(/^tabadol_disk_reserve_breached 0$/m);

    free = 300 * 1024 * 1024;
    const text = await waitFor('the breach on /metrics', async () => { const m = await metrics(); return /^tabadol_disk_reserve_breached 1$/m.test(m) && m; });
    expect(text).toMatch(new RegExp(`^tabadol_disk_free_bytes ${free}$`, 'm'));
    expect(text).toMatch(new RegExp(`^tabadol_disk_reserve_bytes ${512 * 1024 * 1024}$`, 'm'));
    for (const id of ['disk-full-1', 'disk-full-2', 'disk-full-3']) {
      const refused = await ask(id);
      expect(refused.status).toBe(500);
      expect(refused.error).toBe('Server.ServerProxy.RecordFailed');
      expect(JSON.parse(refused.body).message).toMatch(/below its reserve/);
    }

    free = 2 * GB;
    await waitFor('the recovery on /metrics', async () => /^tabadol_disk_reserve_breached 0$/m.test(await metrics()));
    expect((await ask('disk-after')).status).toBe(200);

    // Nothing was written while breached; the chain carries on around the gap.
    expect(recordedIds()).toEqual(['disk-before', 'disk-after']);
    // Said once on entering and once on leaving, however many checks and refusals came between.
    expect(reserveLogs()).toEqual([
      expect.stringMatching(/^free disk space is below the reserve/),
      expect.stringMatching(/^free disk space is above the reserve again/),
    ]);
  });

  it('takes a share of the disk as its watermark', async () => {
    const log = pino({ level: 'silent' });
    const source = async () => ({ freeBytes: 4 * GB, totalBytes: 100 * GB });
    const five = await DiskReserve.start({ dir: dataDir, minFree: { percent: 5 }, intervalMs: 60_000, freeSpace: source, log });
    const three = await DiskReserve.start({ dir: dataDir, minFree: { percent: 3 }, intervalMs: 60_000, freeSpace: source, log });
    five.stop();
    three.stop();
    expect([five.breached, five.reserveBytes]).toEqual([true, 5 * GB]);
    expect(three.breached).toBe(false);
  });

  it('reads --min-free-disk in MB, GB or percent, and refuses anything else', () => {
    expect(parseDiskWatermark('512')).toEqual({ bytes: 512 * 1024 * 1024 });
    expect(parseDiskWatermark('256MB')).toEqual({ bytes: 256 * 1024 * 1024 });
    expect(parseDiskWatermark('2GB')).toEqual({ bytes: 2 * GB });
    expect(parseDiskWatermark('5%')).toEqual({ percent: 5 });
    expect(parseDiskWatermark('0')).toEqual({ bytes: 0 });
    for (const bad of ['', 'lots', '-5%', '100%', '5 TB']) expect(() => parseDiskWatermark(bad)).toThrow(/Admin|min-free-disk/);
  });
});
