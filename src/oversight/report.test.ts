// The annual report from rollups the record writer keeps: yearly inquiries and growth, agencies and
// services with traffic, shares of the largest providers and consumers, visits and letters avoided
// with the development plan's cut against a declared baseline, "not declared" without declarations,
// and an HTML document that escapes every value a registrant chose.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { ChainWriter } from '../records/chain-writer.ts';
import { openRecordStore } from '../records/record-store.ts';
import { rowText, type ExchangeRecord } from '../records/record.ts';
import { buildReport, reportYear } from './report.ts';
import { reportHtml } from './report-html.ts';
import { escapeHtml } from '../html/escape.ts';
import { reportText } from './report-text.ts';
import { StatsReader, type Directory } from './stats.ts';

const NOCR = 'IR/GOV/NOCR/identity/person';
const POST = 'IR/GOV/POST/address/address';
const JUDICIARY = 'IR/GOV/JUDICIARY/case-management';
const POLICE = 'IR/GOV/POLICE/licensing';
const IN_1398 = '2019-09-22T08:00:00.000Z'; // 1398/06/31
const IN_1399 = '2020-09-22T08:00:00.000Z'; // 1399/07/01

let n = 0;
const record = (o: Partial<ExchangeRecord> & { timeIn: string }): ExchangeRecord => ({
  xroadId: `x${++n}`, requestId: `r${n}`, client: JUDICIARY, service: NOCR, endpoint: 'GET /persons/{nationalCode}',
  userId: null, issue: null, representedParty: null, subjectHash: null, timeOut: o.timeIn,
  durationUs: 2000, providerUs: 1500, status: 200, errorType: null, requestSize: 0, responseSize: 10, requestHash: 'x', responseHash: 'y', ...o,
});

const directory = (names: Record<string, string>): Directory => ({
  memberName: (id) => (names[id] === undefined ? undefined : { name: names[id]!, nameFa: `${names[id]!} (fa)` }),
  provinceOf: () => undefined,
});

let db: Database.Database;
let reader: StatsReader;
beforeAll(() => {
  db = openRecordStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'tabadol-report-')), 'records.db'), 'normal');
  const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const writer = new ChainWriter(db, { chainId: 'central/0', signingKeyPem, checkpointIntervalMs: 60_000 });
  writer.append([record({ timeIn: IN_1398 }), record({ timeIn: IN_1398 })].map(rowText));
  writer.append([
    record({ timeIn: IN_1399 }), record({ timeIn: IN_1399 }), record({ timeIn: IN_1399 }),
    record({ timeIn: IN_1399, client: POLICE, service: POST, endpoint: 'GET /addresses/{postalCode}', status: 500, errorType: 'Server.ServerProxy.AccessDenied' }),
  ].map(rowText));
  writer.stop();
  reader = new StatsReader(db);
});
afterAll(() => db.close());

describe('the annual report', () => {
  it('counts inquiries per year from the first with traffic, their growth, and the agencies and services with traffic', async () => {
    const r = await buildReport({ reader, year: 1399, savings: [], baselines: [], directory: directory({ 'IR/GOV/NOCR': 'Civil Registration' }) });
    expect(r.firstYear).toBe(1398);
    expect(r.years).toEqual([
      { year: 1398, inquiries: 2, answered: 2, growth: null, providers: 1, services: 1, visitsAvoided: null, lettersAvoided: null },
      { year: 1399, inquiries: 4, answered: 3, growth: 1, providers: 2, services: 2, visitsAvoided: null, lettersAvoided: null },
    ]);
    expect(r).toMatchObject({ inquiries: 4, answered: 3, successRate: 0.75, growth: 1, providers: 2, services: 2, consumers: 2 });
    expect(r.topProviders).toEqual([
      { id: 'IR/GOV/NOCR', name: 'Civil Registration', nameFa: 'Civil Registration (fa)', inquiries: 3, share: 0.75 },
      { id: 'IR/GOV/POST', name: null, nameFa: null, inquiries: 1, share: 0.25 },
    ]);
    expect(r.topConsumers.map((c) => [c.id, c.share])).toEqual([['IR/GOV/JUDICIARY', 0.75], ['IR/GOV/POLICE', 0.25]]);
    expect((await buildReport({ reader, year: 1399, savings: [], baselines: [], top: 1 })).topProviders).toHaveLength(1);
    // A year before any traffic: nothing, and no first year.
    expect(await buildReport({ reader, year: 1397, savings: [], baselines: [] })).toMatchObject({ firstYear: null, years: [], inquiries: 0, providers: 0 });
  });

  it('counts visits and letters avoided by answered inquiries only, and the cut against a declared baseline', async () => {
    const r = await buildReport({
      reader, year: 1399,
      savings: [{ serviceId: NOCR, visits: 1, letters: 2 }, { serviceId: POST, visits: 5, letters: 5 }],
      baselines: [{ memberId: 'IR/GOV/NOCR', year: 1398, visits: 10 }, { memberId: 'IR/GOV/NOCR', year: 1399, visits: 10 }],
    });
    expect(r.savings).toMatchObject({ declared: true, servicesDeclared: 2, visits: 3, letters: 6, targetPercent: 12.5 });
    expect(r.savings.byProvider).toEqual([{ id: 'IR/GOV/NOCR', name: null, nameFa: null, visits: 3, letters: 6 }]); // the post's only inquiry was refused
    expect(r.years.map((y) => y.visitsAvoided)).toEqual([2, 3]);
    // 3 avoided in 1399, 2 already in the base year 1398: one more visit avoided of 10 declared.
    expect(r.savings.baselines[0]).toMatchObject({ baseYear: 1398, avoided: 3, avoidedInBaseYear: 2, cutPercent: 10, meetsTarget: false });
    expect(r.savings.baselines[1]).toMatchObject({ baseYear: 1399, cutPercent: null, meetsTarget: null });
    expect(reportText(r)).toContain('10.0 %');
  });

  it('shows savings and baselines as "not declared" when nothing is declared', async () => {
    const r = await buildReport({ reader, year: 1399, savings: [], baselines: [] });
    expect(r.savings).toMatchObject({ declared: false, visits: 0, baselines: [] });
    expect(reportText(r)).toContain('not declared');
    expect(reportHtml(r)).toContain('اعلام نشده');
  });

  it('escapes every value of the HTML document, names chosen by registrants included', async () => {
    const hostile = '<img src=x onerror=alert(1)>';
    const r = await buildReport({ reader, year: 1399, savings: [], baselines: [], directory: {
      memberName: () => ({ name: hostile, nameFa: `"><script>alert(1)</script>` }), provinceOf: () => undefined,
    } });
    const html = reportHtml(r, new Date('2021-03-01T12:00:00Z'));
    expect(html).not.toContain('<img');
    expect(html).not.toContain('<script');
    expect(html).toContain('&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('۱۳۹۹/۱۲/۱۱'); // generated on 1399/12/11, Tehran
    expect(html).toContain('<html lang="fa" dir="rtl">');
    expect(escapeHtml(`&<>"'`)).toBe('&amp;&lt;&gt;&quot;&#39;');
  });

  it('takes a four-digit Jalali year, in Persian digits too, and refuses anything else', () => {
    expect(reportYear('1399')).toBe(1399);
    expect(reportYear('۱۳۹۹')).toBe(1399);
    for (const bad of ['99', '13990', '1299', '1500', '', ' 13 99', '1399.5', '0x57']) {
      expect(() => reportYear(bad), bad).toThrow(expect.objectContaining({ type: 'Admin.InvalidInput' }));
    }
  });
});
