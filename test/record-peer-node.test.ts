// The peer node field appended to the record format. A store written before it existed (its table
// without the column, its records hashed over the first format's 19 fields) still verifies, through
// `tabadol audit verify` as it is and after a writer of this version added the column and appended
// records that name a peer node. Those records' hashes cover the field; a record that does not use
// it hashes exactly as the first format did.
import os from 'node:os';
import path from 'node:path';
import { createHash, generateKeyPairSync, sign } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { openRecordStore } from '../src/records/record-store.ts';
import { ChainWriter } from '../src/records/chain-writer.ts';
import { checkpointMessage, rowText, type ExchangeRecord } from '../src/records/record.ts';
import { verifyRecords } from '../src/records/verify.ts';

const CHAIN = 'p23/routed';
/** The first record format, column by column, as stores before the peer node hold it. */
const FIRST_FORMAT = [
  'xroad_id', 'request_id', 'client', 'service', 'endpoint', 'user_id', 'issue', 'represented_party', 'subject_hash',
  'time_in', 'time_out', 'duration_us', 'provider_us', 'status', 'error_type', 'request_size', 'response_size',
  'request_hash', 'response_hash',
];

const keys = generateKeyPairSync('ed25519');
const signingKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
let dir: string;
let file: string;
let publicKeyFile: string;

function record(n: number, peerNode?: string): ExchangeRecord {
  return {
    xroadId: `IR-${n}`, requestId: `00000000-0000-4000-8000-00000000000${n}`, client: 'IR/GOV/JUDICIARY/case-management',
    service: 'IR/GOV/NOCR/identity/person', endpoint: 'GET /persons/{nationalCode}', userId: 'judge-1', issue: null,
    representedParty: null, subjectHash: null, timeIn: '2026-03-01T08:00:00.000Z', timeOut: '2026-03-01T08:00:00.004Z',
    durationUs: 4000, providerUs: 3000, status: 200, errorType: null, requestSize: 0, responseSize: 80,
    requestHash: 'A'.repeat(86) + '==', responseHash: 'B'.repeat(86) + '==',
    ...(peerNode === undefined ? {} : { peerNode }),
  };
}

/** The first format's hash, written out here rather than taken from the code under test. */
function firstFormatHash(seq: number, prev: string, values: unknown[]): string {
  return createHash('sha256').update(`${CHAIN}\n${seq}\n${prev}\n${JSON.stringify(values)}`).digest('base64');
}

const audit = () => tabadolInProcess(['audit', 'verify', '--records', file, '--public-key', publicKeyFile]);

function withDb<T>(fn: (db: Database.Database) => T): T {
  const db = new Database(file);
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-peer-node-'));
  file = path.join(dir, 'records.db');
  publicKeyFile = path.join(dir, 'node-signing.pub.pem');
  await writeFile(publicKeyFile, keys.publicKey.export({ type: 'spki', format: 'pem' }));
  // A store as the first format made it: the table without the peer node's column, three records
  // hashed over their 19 fields, and a signed checkpoint of the head.
  const db = openRecordStore(file);
  db.exec('alter table records drop column peer_node');
  let prev = Buffer.alloc(32).toString('base64');
  for (let seq = 1; seq <= 3; seq++) {
    const values = JSON.parse(rowText(record(seq))) as unknown[];
    expect(values).toHaveLength(FIRST_FORMAT.length);
    const h = firstFormatHash(seq, prev, values);
    db.prepare(`insert into records (chain_id, seq, ${FIRST_FORMAT.join(', ')}, prev_hash, hash) values (${new Array(FIRST_FORMAT.length + 4).fill('?').join(', ')})`)
      .run(CHAIN, seq, ...values, prev, h);
    prev = h;
  }
  const at = '2026-03-01T08:00:01.000Z';
  db.prepare('insert into checkpoints (chain_id, seq, head_hash, at, signature, public_key) values (?, ?, ?, ?, ?, ?)')
    .run(CHAIN, 3, prev, at, sign(null, checkpointMessage(CHAIN, 3, prev, at), keys.privateKey).toString('base64'), keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  db.close();
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('records before and after the peer node field', () => {
  it('audit verify passes on a store written before the field existed, read as it is', async () => {
    expect(withDb((db) => (db.prepare('pragma table_info(records)').all() as { name: string }[]).some((c) => c.name === 'peer_node'))).toBe(false);
    const res = await audit();
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ ok: true, chains: [{ chainId: CHAIN, records: 3, signedUpTo: 3 }] });
  });

  it('a writer of this version adds the column, appends records naming a peer node or none, and the whole chain verifies', async () => {
    const db = openRecordStore(file);
    const writer = new ChainWriter(db, { chainId: CHAIN, signingKeyPem, checkpointIntervalMs: 0 });
    writer.append([rowText(record(4, 'central')), rowText(record(5))]);
    writer.stop();
    db.close();

    const rows = withDb((d) => d.prepare('select seq, peer_node, prev_hash, hash from records order by seq').all() as { seq: number; peer_node: string | null; prev_hash: string; hash: string }[]);
    expect(rows.map((r) => r.peer_node)).toEqual([null, null, null, 'central', null]);
    // A record without a peer node hashes as the first format did: nothing changed for one-node exchanges.
    const fifth = rows[4]!;
    expect(fifth.hash).toBe(firstFormatHash(5, fifth.prev_hash, JSON.parse(rowText(record(5))) as unknown[]));
    const res = await audit();
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ ok: true, chains: [{ chainId: CHAIN, records: 5, signedUpTo: 5 }] });
  });

  it('the hash covers the peer node: changing it on a new record, or adding it to an old one, breaks the chain there', () => {
    for (const [seq, forged] of [[4, 'p07'], [2, 'central']] as const) {
      const before = withDb((db) => db.prepare('select peer_node from records where seq = ?').pluck().get(seq) as string | null);
      withDb((db) => db.prepare('update records set peer_node = ? where seq = ?').run(forged, seq));
      try {
        const report = withDb((db) => verifyRecords(db, keys.publicKey));
        expect(report.ok).toBe(false);
        expect(report.chains[0]!.problem).toBe(`record ${seq} was altered (its content does not match its hash)`);
      } finally {
        withDb((db) => db.prepare('update records set peer_node = ? where seq = ?').run(before, seq));
      }
    }
    expect(withDb((db) => verifyRecords(db, keys.publicKey)).ok).toBe(true);
  });
});
