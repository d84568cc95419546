// Records: what is kept of each exchange, and an auditor's offline check of the signed hash chain.
import os from 'node:os';
import path from 'node:path';
import { copyFile, readFile, mkdtemp } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestNode, startTestProvider, seedRegistry, SERVICE, JUDICIARY, POLICE, type TestNode } from './harness.ts';
import { verifyRecords } from '../src/records/verify.ts';
import { recordsFile, RECORD_COLUMNS } from '../src/records/record-store.ts';
import { chainHash } from '../src/records/record.ts';

let t: TestNode;
let provider: Awaited<ReturnType<typeof startTestProvider>>;

beforeAll(async () => {
  provider = await startTestProvider();
  t = await startTestNode({ dataDir: await mkdtemp(path.join(os.tmpdir(), 'tabadol-records-')) });
  await seedRegistry(t.node, provider.baseUrl);
  await t.sync();
  for (let i = 0; i < 5; i++) {
    await t.http(`/r1/${SERVICE}/persons/0012345679`, {
      headers: { 'x-road-client': JUDICIARY, 'x-road-id': `rec-${i}`, 'x-road-userid': 'judge-7', 'x-road-issue': 'case 1403/551', 'x-road-represented-party': 'COM/10103' },
    });
  }
  await t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': POLICE, 'x-road-id': 'rec-refused' } });
  await t.http('/r9/nothing', { headers: { 'x-road-client': JUDICIARY, 'x-road-id': 'rec-bad' } });
  await t.close(); // closing signs a final checkpoint
});
afterAll(async () => {
  await provider.close();
});

/** A copy of the store to tamper with, so each test starts from the untouched chain. */
async function copyOfStore(): Promise<Database.Database> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-tamper-'));
  const file = path.join(dir, 'records.db');
  await copyFile(recordsFile(t.dataDir), file);
  return new Database(file);
}

describe('the record of an exchange', () => {
  it('is kept for answered and refused exchanges alike, with parties, purpose, timings and hashes', async () => {
    const db = new Database(recordsFile(t.dataDir), { readonly: true });
    const rows = db.prepare('select * from records order by seq').all() as any[];
    db.close();
    expect(rows.map((r) => r.xroad_id)).toEqual(['rec-0', 'rec-1', 'rec-2', 'rec-3', 'rec-4', 'rec-refused', 'rec-bad']);
    const r = rows[0];
    expect(r).toMatchObject({
      client: JUDICIARY, service: SERVICE, endpoint: 'GET /persons/{nationalCode}', user_id: 'judge-7', issue: 'case 1403/551',
      represented_party: 'COM/10103', status: 200, error_type: null,
    });
    expect(r.request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.parse(r.time_out)).toBeGreaterThanOrEqual(Date.parse(r.time_in));
    expect(r.duration_us).toBeGreaterThan(0);
    expect(r.provider_us).toBeGreaterThan(0);
    expect(r.response_size).toBeGreaterThan(0);
    expect(Buffer.from(r.response_hash, 'base64')).toHaveLength(64);
    expect(rows[5]).toMatchObject({ client: POLICE, status: 500, error_type: 'Server.ServerProxy.AccessDenied', provider_us: null });
    expect(rows[6]).toMatchObject({ client: JUDICIARY, status: 400, error_type: 'Client.BadRequest' });
  });

  it('keeps the subject as a keyed hash: the national code is nowhere in the store', async () => {
    const db = new Database(recordsFile(t.dataDir), { readonly: true });
    const subjects = db.prepare('select distinct subject_hash from records where status = 200').all() as { subject_hash: string }[];
    db.close();
    expect(subjects).toHaveLength(1);
    expect(subjects[0]!.subject_hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const bytes = await readFile(recordsFile(t.dataDir));
    expect(bytes.includes(Buffer.from('0012345679'))).toBe(false);
  });
});

describe('audit verify', () => {
  it('passes on the untouched store, with the chain signed to its end', async () => {
    const db = await copyOfStore();
    const report = verifyRecords(db, t.node.keys.verifyKey);
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject({ records: 7, signedUpTo: 7 });
  });

  it('names a record whose content was changed', async () => {
    const db = await copyOfStore();
    db.prepare("update records set status = 200, error_type = null where xroad_id = 'rec-refused'").run();
    const report = verifyRecords(db, t.node.keys.verifyKey);
    expect(report.ok).toBe(false);
    expect(report.chains[0]!.problem).toBe('record 6 was altered (its content does not match its hash)');
  });

  it('names a record that was removed from the middle', async () => {
    const db = await copyOfStore();
    db.prepare('delete from records where seq = 3').run();
    expect(verifyRecords(db, t.node.keys.verifyKey).chains[0]!.problem).toMatch(/^record 3 was removed/);
  });

  it('names records removed from the end, which only the signed checkpoint covers', async () => {
    const db = await copyOfStore();
    db.prepare('delete from records where seq >= 6').run();
    expect(verifyRecords(db, t.node.keys.verifyKey).chains[0]!.problem).toBe('records 6 to 7 were removed (a signed checkpoint covers them)');
  });

  it('names a record inserted in the chain', async () => {
    const db = await copyOfStore();
    // Make room at 4 and put a copy of record 3 there, linked to record 3 but with its old hash.
    db.prepare('update records set seq = -seq where seq >= 4').run();
    db.prepare('update records set seq = -seq + 1 where seq < 0').run();
    db.prepare(`insert into records (chain_id, seq, ${RECORD_COLUMNS.join(', ')}, prev_hash, hash)
      select chain_id, 4, ${RECORD_COLUMNS.join(', ')}, hash, hash from records where seq = 3`).run();
    expect(verifyRecords(db, t.node.keys.verifyKey).chains[0]!.problem).toBe('record 4 was altered (its content does not match its hash)');
  });

  it('names the first forged record even when the forger recomputed every hash after it', async () => {
    const db = await copyOfStore();
    db.prepare("update records set user_id = 'someone-else' where seq = 2").run();
    // Rebuild the chain from record 2 on, as a forger without the node's signing key would.
    const rows = db.prepare(`select * from records order by seq`).all() as any[];
    let prev = rows[0].hash;
    for (const r of rows.slice(1)) {
      const hash = chainHash(r.chain_id, r.seq, prev, RECORD_COLUMNS.map((c) => r[c]));
      db.prepare('update records set prev_hash = ?, hash = ? where seq = ?').run(prev, hash, r.seq);
      prev = hash;
    }
    expect(verifyRecords(db, t.node.keys.verifyKey).chains[0]!.problem).toMatch(/^record 2 differs from the signed checkpoint/);
  });

  it('refuses a checkpoint signed by another key', async () => {
    const db = await copyOfStore();
    const { generateKeyPairSync } = await import('node:crypto');
    const other = generateKeyPairSync('ed25519').publicKey;
    expect(verifyRecords(db, other).chains[0]!.problem).toMatch(/signature that does not verify/);
  });
});
