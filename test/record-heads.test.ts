// The newest records: the chain head is signed on a timer once traffic stops, an auditor keeps the
// signed heads away from the node, and `audit verify --head` finds records removed from the end of
// a chain together with the checkpoints that covered them. Also: a damaged records file is one
// plain error line, never a stack trace.
import os from 'node:os';
import path from 'node:path';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { copyFile, mkdtemp, rm, stat, truncate, writeFile, open } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedRegistry, startTestNode, startTestProvider, SERVICE, JUDICIARY, type TestNode, waitFor } from './harness.ts';

import { recordsFile } from '../src/records/record-store.ts';
import { auditHeads, auditVerify } from '../src/cli/audit-commands.ts';
import { HEADS_FORMAT, type HeadsFile } from '../src/records/heads.ts';
import { isTabadolError } from '../src/errors/catalogue.ts';

let t: TestNode;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let publicKey: string;
let heads: HeadsFile;
let headsFile: string;
let lastSeq: number;

/** Newest record and newest checkpoint of the chain, read beside the running writer (WAL). */
function positions(file: string): { recordSeq: number; signedSeq: number } {
  const db = new Database(file, { readonly: true });
  try {
    const r = db.prepare('select max(seq) as s from records').get() as { s: number | null };
    const c = db.prepare('select max(seq) as s from checkpoints').get() as { s: number | null };
    return { recordSeq: r.s ?? 0, signedSeq: c.s ?? 0 };
  } finally {
    db.close();
  }
}

const ask = (i: number) => t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY, 'x-road-id': `head-${i}` } });

beforeAll(async () => {
  provider = await startTestProvider();
  // An interval, so that a batch after the first is not signed with its own commit.
  t = await startTestNode({ dataDir: await mkdtemp(path.join(os.tmpdir(), 'tabadol-heads-')), checkpointIntervalMs: 1500 });
  await seedRegistry(t.node, provider.baseUrl);
  await t.sync();
  publicKey = path.join(t.dataDir, 'keys', 'node-signing.pub.pem');
  const file = recordsFile(t.dataDir);
  // Traffic until its last record is left unsigned by its own commit (the interval held it back).
  let i = 0;
  for (;;) {
    expect((await ask(i++)).status).toBe(200);
    const p = positions(file);
    if (i >= 3 && p.signedSeq < p.recordSeq) break;
    if (i > 50) throw new Error('every batch was signed with its commit; the interval did not hold any back');
  }
  // Traffic stops. The head gets signed all the same, by the timer.
  lastSeq = positions(file).recordSeq;
  await waitFor('the head to be signed', () => { const p = positions(file); return p.signedSeq === p.recordSeq; });

  const got = await auditHeads({ records: file, publicKey });
  heads = got.file;
  expect(got.rejected).toEqual([]);
  headsFile = path.join(t.dataDir, 'heads.json');
  await writeFile(headsFile, JSON.stringify(heads));
  await t.close();
});
const made: string[] = [];
afterAll(async () => {
  await provider.close();
  await Promise.all([t.dataDir, ...made].map((d) => rm(d, { recursive: true, force: true })));
});

async function copyOfStore(): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-heads-copy-'));
  made.push(dir);
  const file = path.join(dir, 'records.db');
  await copyFile(recordsFile(t.dataDir), file);
  return file;
}

function tamper(file: string, sql: string): void {
  const db = new Database(file);
  db.exec(sql);
  db.close();
}

describe('the signed head of a chain', () => {
  it('is signed on a timer once traffic stops, and `audit head` prints it for the auditor', () => {
    expect(heads.format).toBe(HEADS_FORMAT);
    expect(heads.heads).toHaveLength(1);
    expect(heads.heads[0]).toMatchObject({ chainId: 'central/0', seq: lastSeq, keyId: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    expect(heads.heads[0]!.publicKey).toMatch(/BEGIN PUBLIC KEY/);
    expect(Buffer.from(heads.heads[0]!.signature, 'base64')).toHaveLength(64);
  });

  it('passes `audit verify --head` on the untouched store', async () => {
    const report = await auditVerify({ records: await copyOfStore(), publicKey, head: headsFile });
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject({ chainId: 'central/0', records: lastSeq, signedUpTo: lastSeq, keptHead: lastSeq });
  });

  it('catches the newest records deleted together with their checkpoints, which the store alone cannot', async () => {
    const file = await copyOfStore();
    tamper(file, `delete from records where seq > ${lastSeq - 2}; delete from checkpoints where seq > ${lastSeq - 2};
      insert or ignore into checkpoints select * from checkpoints where 0;`);
    // The store alone still verifies: its chain simply ends earlier (with or without a checkpoint at its end).
    expect((await auditVerify({ records: file, publicKey })).ok).toBe(true);
    const report = await auditVerify({ records: file, publicKey, head: headsFile });
    expect(report.ok).toBe(false);
    expect(report.chains[0]).toMatchObject({ chainId: 'central/0', ok: false });
    const problem = `records ${lastSeq - 1} to ${lastSeq} were removed (the auditor's kept head of ${heads.heads[0]!.at} covers them)`;
    expect(report.chains[0]!.problem).toBe(problem);

    // The command: the report on its output, the problem on its error output, exit status 1.
    const out = await tabadolInProcess(['--data', t.dataDir, 'audit', 'verify', '--records', file, '--public-key', publicKey, '--head', headsFile]);
    expect(out.code).toBe(1);
    expect(JSON.parse(out.stdout)).toMatchObject({ ok: false, chains: [expect.objectContaining({ chainId: 'central/0', ok: false })] });
    expect(out.stderr).toBe(`chain central/0: ${problem}\n`);
  });

  it('catches the head checkpoint removed or replaced while its records stay', async () => {
    const file = await copyOfStore();
    tamper(file, `delete from checkpoints where seq = ${lastSeq}`);
    const report = await auditVerify({ records: file, publicKey, head: headsFile });
    expect(report.chains[0]!.problem).toBe(`the signed checkpoint at record ${lastSeq} that the auditor kept was removed or replaced`);
  });

  it('catches a whole chain removed', async () => {
    const file = await copyOfStore();
    tamper(file, 'delete from records; delete from checkpoints');
    const report = await auditVerify({ records: file, publicKey, head: headsFile });
    expect(report.ok).toBe(false);
    expect(report.chains).toEqual([expect.objectContaining({ chainId: 'central/0', ok: false, problem: expect.stringMatching(/^the store holds nothing of this chain/) })]);
  });

  it('checks the kept head’s own signature', async () => {
    const forged: HeadsFile = { ...heads, heads: [{ ...heads.heads[0]!, seq: lastSeq - 1 }] };
    const file = path.join(path.dirname(await copyOfStore()), 'forged.json');
    await writeFile(file, JSON.stringify(forged));
    const report = await auditVerify({ records: recordsFile(t.dataDir), publicKey, head: file });
    expect(report.chains[0]!.problem).toBe(`the kept head at record ${lastSeq - 1} has a signature that does not verify with the trusted key`);
  });

  it('refuses a heads file that is not one, with a coded error', async () => {
    const file = path.join(path.dirname(await copyOfStore()), 'not-heads.json');
    await writeFile(file, JSON.stringify({ heads: 'x' }));
    await expect(auditVerify({ records: recordsFile(t.dataDir), publicKey, head: file })).rejects.toMatchObject({ type: 'Admin.InvalidInput' });
  });
});

describe('audit verify on a damaged records file', () => {
  async function damageOf(file: string): Promise<string> {
    const e = await auditVerify({ records: file, publicKey }).then(() => undefined, (err: unknown) => err);
    if (!isTabadolError(e)) throw new Error(`expected a coded error, got ${String(e)}`);
    expect(e.type).toBe('Admin.RecordsDamaged');
    expect(e.message).not.toContain('\n');
    return e.message;
  }

  it('names a file that is not SQLite', async () => {
    const file = path.join(path.dirname(await copyOfStore()), 'records.db');
    await writeFile(file, 'these are not records\n'.repeat(300));
    expect(await damageOf(file)).toMatch(/file is not a database/);
  });

  it('names a truncated file', async () => {
    const file = await copyOfStore();
    await truncate(file, Math.floor((await stat(file)).size / 2));
    expect(await damageOf(file)).toMatch(/malformed|corrupt|missing from|never used|invalid/i);
  });

  it('names a file with garbage written over its pages', async () => {
    const file = await copyOfStore();
    const { size } = await stat(file);
    const fh = await open(file, 'r+');
    // Page 1 holds the file header and the schema; overwrite the start of every page after it.
    for (let at = 4096; at < size; at += 4096) await fh.write(Buffer.alloc(512, 0xa5), 0, 512, at);
    await fh.close();
    expect(await damageOf(file)).toMatch(/malformed|corrupt|invalid|never used|out of order|btree/i);
  });

  it('names a SQLite file that is not a records store', async () => {
    const file = path.join(path.dirname(await copyOfStore()), 'other.db');
    const db = new Database(file);
    db.exec('create table other (x)');
    db.close();
    expect(await damageOf(file)).toMatch(/no such table/);
  });

  it('prints one plain line and exits 2, without a stack trace (the command itself)', async () => {
    const file = path.join(path.dirname(await copyOfStore()), 'records.db');
    await writeFile(file, Buffer.alloc(8192, 0x42));
    // An uncoded error would reject here rather than come back as a status.
    const out = await tabadolInProcess(['--data', t.dataDir, 'audit', 'verify', '--records', file]);
    expect(out.code).toBe(2);
    expect(out.stdout).toBe('');
    expect(out.stderr).toMatch(/^error Admin\.RecordsDamaged: The records database is damaged or is not a records database: .*file is not a database\n$/);
  });
});
