// Rollups kept by the chain writer in each batch's transaction, and the statistics read from them:
// exact counts at every grain, Jalali periods on Tehran's clock, mergeable percentiles, growth, and
// nothing counted for a batch that did not commit.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { ChainWriter } from '../records/chain-writer.ts';
import { openRecordStore } from '../records/record-store.ts';
import { rowText, type ExchangeRecord } from '../records/record.ts';
import { bucketLowerUs, bucketOf, percentileMs, BUCKETS } from './latency-buckets.ts';
import { planPeriod, previousPeriod } from './period-plan.ts';
import { StatsReader } from './stats.ts';
import { parseJalali } from '../dates/jalali.ts';

const NOCR = 'IR/GOV/NOCR/identity/person';
const POST = 'IR/GOV/POST/address/postcode';
const JUDICIARY = 'IR/GOV/JUDICIARY/case-management';
const POLICE = 'IR/GOV/POLICE/licensing';

let n = 0;
const record = (o: Partial<ExchangeRecord> & { timeIn: string }): ExchangeRecord => ({
  xroadId: `x${++n}`, requestId: `r${n}`, client: JUDICIARY, service: NOCR, endpoint: 'GET /persons/{nationalCode}',
  userId: null, issue: null, representedParty: null, subjectHash: null, timeOut: o.timeIn,
  durationUs: 1000, providerUs: 500, status: 200, errorType: null, requestSize: 0, responseSize: 10, requestHash: 'x', responseHash: 'y', ...o,
});

let db: Database.Database;
let writer: ChainWriter;
beforeEach(() => {
  db = openRecordStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'tabadol-rollups-')), 'records.db'), 'normal');
  const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  writer = new ChainWriter(db, { chainId: 'central/0', signingKeyPem, checkpointIntervalMs: 60_000 });
});
afterEach(() => { writer.stop(); db.close(); });

const write = (...rs: ExchangeRecord[]) => writer.append(rs.map(rowText));
const j = parseJalali;

describe('latency buckets', () => {
  it('puts a duration in the bucket whose bounds hold it, two buckets per doubling', () => {
    expect(bucketOf(0)).toBe(0);
    expect(bucketOf(99)).toBe(0);
    for (const us of [100, 141, 142, 1000, 5000, 123_456, 10_000_000]) {
      const i = bucketOf(us);
      expect(bucketLowerUs(i)).toBeLessThanOrEqual(us);
      expect(bucketLowerUs(i + 1)).toBeGreaterThan(us);
    }
    expect(bucketOf(1e12)).toBe(BUCKETS - 1);
  });

  it('interpolates percentiles inside a bucket and answers null for nothing', () => {
    const counts = new Array<number>(BUCKETS).fill(0);
    expect(percentileMs(counts, 0.5)).toBeNull();
    counts[bucketOf(1000)] = 100; // [800, 1131) µs
    expect(percentileMs(counts, 0.5)!).toBeCloseTo((800 + 1131.4) / 2 / 1000, 3);
    expect(percentileMs(counts, 0.99)!).toBeCloseTo((800 + 0.99 * 331.4) / 1000, 3);
  });
});

describe('Jalali periods', () => {
  it('reads whole months from month rows and the ragged ends from day rows', () => {
    expect(planPeriod(j('1399/01/01'), j('1399/12/30'))).toEqual({ months: [['1399/01', '1399/12']], days: [] });
    expect(planPeriod(j('1399/01/15'), j('1399/03/10'))).toEqual({
      months: [['1399/02', '1399/02']], days: [['1399/01/15', '1399/01/31'], ['1399/03/01', '1399/03/10']],
    });
    expect(planPeriod(j('1399/07/03'), j('1399/07/09'))).toEqual({ months: [], days: [['1399/07/03', '1399/07/09']] });
  });

  it('compares a year with the year before, and a span of days with as many days before', () => {
    expect(previousPeriod(j('1399/01/01'), j('1399/12/30'))).toEqual({ from: j('1398/01/01'), to: j('1398/12/29') });
    expect(previousPeriod(j('1399/01/05'), j('1399/01/14'))).toEqual({ from: j('1398/12/24'), to: j('1399/01/04') });
  });
});

describe('rollups written with the records', () => {
  it('counts every record once at each grain, by Tehran hour, Jalali day and month', () => {
    // 1399/07/01 is 2020-09-22; at 20:29 UTC Tehran (+03:30, no summer time in autumn) is 23:59,
    // at 20:31 it is 00:01 on 1399/07/02.
    write(
      record({ timeIn: '2020-09-22T20:29:00.000Z' }),
      record({ timeIn: '2020-09-22T20:31:00.000Z' }),
      record({ timeIn: '2020-09-22T20:32:00.000Z', client: POLICE, service: POST, endpoint: 'GET /addresses/{postcode}' }),
    );
    const periods = (grain: string) => db.prepare(`select period, sum(n) as n from rollup_${grain} group by period order by period`).all();
    expect(periods('hour')).toEqual([{ period: '1399/07/01 23', n: 1 }, { period: '1399/07/02 00', n: 2 }]);
    expect(periods('day')).toEqual([{ period: '1399/07/01', n: 1 }, { period: '1399/07/02', n: 2 }]);
    expect(periods('month')).toEqual([{ period: '1399/07', n: 3 }]);
  });

  it('adds nothing for a batch whose transaction rolled back, and counts the key again once it commits', () => {
    db.exec(`create trigger fail_once after insert on rollup_month when (select count(*) from rollup_keys) = 1
      and not exists (select 1 from sqlite_master where name = 'failed_once')
      begin select raise(abort, 'disk full'); end;`);
    expect(() => write(record({ timeIn: '2020-09-22T10:00:00.000Z' }))).toThrow(/disk full/);
    expect(db.prepare('select count(*) as n from rollup_keys').get()).toEqual({ n: 0 });
    expect(db.prepare('select count(*) as n from rollup_day').get()).toEqual({ n: 0 });
    db.exec('drop trigger fail_once');
    write(record({ timeIn: '2020-09-22T10:00:00.000Z' }));
    const stats = new StatsReader(db).query({ from: j('1399/07/01'), to: j('1399/07/01'), by: 'provider', compare: false });
    expect(stats.total.count).toBe(1);
    expect(stats.lines).toMatchObject([{ key: 'IR/GOV/NOCR/identity', count: 1 }]);
  });
});

describe('statistics from the rollups', () => {
  beforeEach(() => {
    // 1398/07/10 (2019-10-02): 2 NOCR inquiries; 1399/07/10 (2020-10-01): 6 NOCR, 2 POST, one refused, one failed.
    write(
      record({ timeIn: '2019-10-02T08:00:00.000Z' }),
      record({ timeIn: '2019-10-02T08:00:00.000Z' }),
      ...Array.from({ length: 5 }, (_, i) => record({ timeIn: '2020-10-01T08:00:00.000Z', durationUs: 1000 * (i + 1) })),
      record({ timeIn: '2020-10-01T09:00:00.000Z', status: 500, errorType: 'Server.ServerProxy.AccessDenied', durationUs: 200 }),
      record({ timeIn: '2020-10-01T09:00:00.000Z', client: POLICE, service: POST, endpoint: 'GET /addresses/{postcode}', status: 502, errorType: 'Server.ServerProxy.ServiceFailed' }),
      record({ timeIn: '2020-10-01T09:00:00.000Z', client: POLICE, service: POST, endpoint: 'GET /addresses/{postcode}' }),
    );
  });

  it('gives counts, shares, rates and growth by provider', () => {
    const s = new StatsReader(db).query({ from: j('1399/01/01'), to: j('1399/12/30'), by: 'provider' });
    expect(s.total).toMatchObject({ count: 8, answered: 6, refused: 1, providerFailed: 1, exchangeFailed: 0, previousCount: 2, growth: 3 });
    expect(s.previous).toEqual({ from: '1398/01/01', to: '1398/12/29', count: 2 });
    expect(s.lines.map((l) => [l.key, l.count, l.share, l.growth])).toEqual([
      ['IR/GOV/NOCR/identity', 6, 0.75, 2],
      ['IR/GOV/POST/address', 2, 0.25, null],
    ]);
    expect(s.lines[1]).toMatchObject({ successRate: 0.5, errorRate: 0.5 });
    expect(s.lines[0]).toMatchObject({ successRate: 5 / 6, errorRate: 0 });
  });

  it('groups by consumer, service and month, and names members from the directory', () => {
    const r = new StatsReader(db);
    const dir = { memberName: (id: string) => (id === 'IR/GOV/POLICE' ? { name: 'Police', nameFa: 'فراجا' } : undefined), provinceOf: () => undefined };
    const byConsumer = r.query({ from: j('1399/07/10'), to: j('1399/07/10'), by: 'consumer', directory: dir });
    expect(byConsumer.lines.map((l) => [l.key, l.count, l.name ?? null])).toEqual([[JUDICIARY, 6, null], [POLICE, 2, 'Police']]);
    // Days from the day rows, in time order, whole months included.
    const byDay = r.query({ from: j('1398/07/01'), to: j('1399/07/30'), by: 'day' });
    expect(byDay.lines.map((l) => [l.key, l.count])).toEqual([['1398/07/10', 2], ['1399/07/10', 8]]);
    expect(byDay.previous).toBeUndefined();
    const byMonth = r.query({ from: j('1398/01/01'), to: j('1399/12/30'), by: 'month' });
    expect(byMonth.lines.map((l) => [l.key, l.count])).toEqual([['1398/07', 2], ['1399/07', 8]]);
    const byService = r.query({ from: j('1399/07/01'), to: j('1399/07/30'), by: 'service', compare: false });
    expect(byService.lines.map((l) => l.key)).toEqual([NOCR, POST]);
    expect(r.query({ from: j('1399/07/11'), to: j('1399/07/30'), by: 'service' }).total.count).toBe(0);
    const provinces = { ...dir, provinceOf: (id: string) => (id === POLICE ? '06' : 'national') };
    const byProvince = r.query({ from: j('1399/07/10'), to: j('1399/07/10'), by: 'province', directory: provinces });
    expect(byProvince.lines.map((l) => [l.key, l.count, l.name ?? null])).toEqual([['national', 6, null], ['06', 2, 'Khuzestan']]);
  });

  it('computes percentiles from merged histograms', () => {
    const s = new StatsReader(db).query({ from: j('1399/07/10'), to: j('1399/07/10'), by: 'service', compare: false });
    const nocr = s.lines.find((l) => l.key === NOCR)!;
    // 1, 2, 3, 4, 5 ms and 0.2 ms: the median lies between 2 and 3 ms, p99 in the bucket of 5 ms.
    expect(nocr.p50Ms!).toBeGreaterThan(1.4);
    expect(nocr.p50Ms!).toBeLessThan(4);
    expect(nocr.p99Ms!).toBeGreaterThan(4);
    expect(nocr.p99Ms!).toBeLessThan(6.41); // the bucket of 5 ms is [4.53, 6.40)
  });
});
