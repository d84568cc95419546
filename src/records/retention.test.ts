// Raw records age out under the retention setting without changing statistics, and the remaining
// chain still verifies from the signed checkpoint it now starts at; hourly rollups age out too.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { generateKeyPairSync, createPublicKey } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { ChainWriter } from './chain-writer.ts';
import { openRecordStore } from './record-store.ts';
import { rowText, type ExchangeRecord } from './record.ts';
import { pruneSlice } from './retention.ts';
import { verifyRecords } from './verify.ts';
import { StatsReader } from '../oversight/stats.ts';
import { parseJalali } from '../dates/jalali.ts';

const DAY = 86_400_000;
const NOW = Date.parse('2020-10-01T12:00:00.000Z'); // 1399/07/10
let n = 0;
const record = (timeIn: string): ExchangeRecord => ({
  xroadId: `x${++n}`, requestId: `r${n}`, client: 'IR/GOV/JUDICIARY/case-management', service: 'IR/GOV/NOCR/identity/person',
  endpoint: 'GET /persons/{nationalCode}', userId: null, issue: null, representedParty: null, subjectHash: null, timeIn, timeOut: timeIn,
  durationUs: 1000, providerUs: 500, status: 200, errorType: null, requestSize: 0, responseSize: 10, requestHash: 'x', responseHash: 'y',
});

let db: Database.Database;
let writer: ChainWriter;
let publicKey: ReturnType<typeof createPublicKey>;
beforeEach(() => {
  db = openRecordStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'tabadol-retention-')), 'records.db'), 'normal');
  const { privateKey, publicKey: pub } = generateKeyPairSync('ed25519');
  publicKey = pub;
  writer = new ChainWriter(db, { chainId: 'central/0', signingKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), checkpointIntervalMs: 0 });
  // Three batches, each signed: 100 days old, 50 days old, today.
  for (const age of [100, 50, 0]) writer.append([0, 1].map(() => rowText(record(new Date(NOW - age * DAY).toISOString()))));
});
afterEach(() => { writer.stop(); db.close(); });

const year = () => new StatsReader(db).query({ from: parseJalali('1399/01/01'), to: parseJalali('1399/12/30'), by: 'provider', compare: false }).total.count;
const count = (table: string) => (db.prepare(`select count(*) as n from ${table}`).get() as { n: number }).n;

describe('retention', () => {
  it('removes records older than the setting up to a signed checkpoint; statistics and verification hold', () => {
    expect(year()).toBe(6);
    while (pruneSlice(db, { recordDays: 60, hourlyDays: 3650 }, NOW));
    expect(count('records')).toBe(4);
    expect(year()).toBe(6);
    const report = verifyRecords(db, publicKey);
    expect(report.ok).toBe(true);
    expect(report.chains[0]).toMatchObject({ startsAt: 3, records: 4 });

    // The next record removed from the retained part is still caught.
    db.prepare('delete from records where seq = 3').run();
    expect(verifyRecords(db, publicKey).chains[0]!.problem).toMatch(/record 3/);
  });

  it('keeps everything when records are kept forever, and refuses a forged start of the chain', () => {
    while (pruneSlice(db, { recordDays: null, hourlyDays: 3650 }, NOW));
    expect(count('records')).toBe(6);
    while (pruneSlice(db, { recordDays: 60, hourlyDays: 3650 }, NOW));
    // Whoever moves the start forward to hide records must also have a signed checkpoint there.
    db.prepare('update pruned set up_to_seq = 4').run();
    db.prepare('delete from records where seq <= 4').run();
    expect(verifyRecords(db, publicKey).ok).toBe(false);
  });

  it('ages out hourly rollups but keeps days and months', () => {
    expect(count('rollup_hour')).toBe(3);
    while (pruneSlice(db, { recordDays: null, hourlyDays: 60 }, NOW));
    expect(count('rollup_hour')).toBe(2);
    expect(count('rollup_day')).toBe(3);
    expect(year()).toBe(6);
  });
});
