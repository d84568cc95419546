// Every snapshot a centre stores is signed with its snapshot key, whoever made the change: the node
// recording its own node certificate on first start, and `tabadol node-cert issue|revoke` run as a
// tool on its data directory. Replays the fault where both signed with the record key, which every
// node refuses (a compromised data plane holds that key), so that the centre had to notice and publish
// again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import path from 'node:path';
import os from 'node:os';
import { mkdtemp, rm } from 'node:fs/promises';
import { readRows, startTestNode, type TestNode } from './harness.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { readSnapshotVerifyKey } from '../src/keys/node-keys.ts';
import { verifySnapshot } from '../src/snapshot/signature.ts';

let t: TestNode;
let out: string;
beforeAll(async () => {
  t = await startTestNode({ nodePort: 0, nodeHost: '127.0.0.1' });
  out = await mkdtemp(path.join(os.tmpdir(), 'tabadol-node-cert-'));
});
afterAll(async () => {
  await t?.close();
  await rm(out, { recursive: true, force: true });
});

/** Versions of the stored snapshots that do not verify with the node's snapshot key. */
async function notSignedWithSnapshotKey(): Promise<number[]> {
  const key = await readSnapshotVerifyKey(t.dataDir);
  const rows = readRows<{ version: number; document: string; signature: string }>(path.join(t.dataDir, 'registry.db'), 'select version, document, signature from snapshots order by version');
  expect(rows.length).toBeGreaterThan(0);
  return rows.filter((r) => {
    try {
      verifySnapshot(r, key);
      return false;
    } catch {
      return true;
    }
  }).map((r) => r.version);
}

describe('the snapshots a centre stores', () => {
  it('are signed with the snapshot key after the node recorded its own node certificate', async () => {
    expect(t.node.ports.node).toBeGreaterThan(0);
    expect(await notSignedWithSnapshotKey()).toEqual([]);
  });

  it('are signed with the snapshot key after node-cert issue and revoke as a tool', async () => {
    const issued = await tabadolInProcess(['--data', t.dataDir, 'node-cert', 'issue', 'p23', '--out', out]);
    expect(issued.code, issued.stderr).toBe(0);
    const serial = (JSON.parse(issued.stdout) as { serial: string }).serial;
    const revoked = await tabadolInProcess(['--data', t.dataDir, 'node-cert', 'revoke', '--serial', serial]);
    expect(revoked.code, revoked.stderr).toBe(0);
    expect(await notSignedWithSnapshotKey()).toEqual([]);
  });
});
