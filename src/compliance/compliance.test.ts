// Compliance computed from rollups the record writer keeps for records written here: SLAs per
// Jalali month within support hours (and from day rows once hours aged out), breaches kept once per
// SLA version, mandates' statuses, the inspectors' list in JSON, CSV and escaped Persian HTML, the UN
// survey tracker, and visits avoided with the development plan's cut.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync } from 'node:fs';
import { generateKeyPairSync } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { ChainWriter } from '../records/chain-writer.ts';
import { openRecordStore } from '../records/record-store.ts';
import { rowText, type ExchangeRecord } from '../records/record.ts';
import { LocalRollups } from '../oversight/rollup-reader.ts';
import { ephemeralNodeKeys } from '../keys/node-keys.ts';
import { openRegistryStore, type OpenedStore } from '../store/database.ts';
import { Registry } from '../registry/registry.ts';
import { parseJalali } from '../dates/jalali.ts';
import { Compliance } from './compliance.ts';
import { parseJalaliMonth } from './jalali-month.ts';
import { mandateStatuses } from './mandate-status.ts';
import { violationsReport } from './violations.ts';
import { violationsCsv } from './violations-csv.ts';
import { violationsHtml } from './violations-html.ts';
import { surveyStatus } from './survey-status.ts';
import { visitsAvoided } from './visits-avoided.ts';
import { supportHour } from './support-hours.ts';
import { csvText } from './csv.ts';

const NOCR = 'IR/GOV/NOCR/identity/person';
const MSRT = 'IR/GOV/MSRT/degrees/degree';
const POST = 'IR/GOV/POST/address/address';
const IDLE = 'IR/GOV/POST/address/legal-address';
const JUDICIARY = 'IR/GOV/JUDICIARY/case-management';
const MEHR = parseJalaliMonth('1399/07');
const AFTER = new Date('2020-11-01T00:00:00Z'); // 1399/08/11, Mehr closed
const EVIL = 'Ministry "Science", <script>alert(1)</script>';

const CONTRACT = {
  openapi: '3.1.0', info: { title: 'x', version: '1' },
  paths: { '/x/{id}': { get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }], responses: { '200': { description: 'ok' } } } } },
};

let n = 0;
const rec = (service: string, timeIn: string, o: Partial<ExchangeRecord> = {}): ExchangeRecord => ({
  xroadId: `x${++n}`, requestId: `r${n}`, client: JUDICIARY, service, endpoint: 'GET /x/{id}', timeIn,
  userId: null, issue: null, representedParty: null, subjectHash: null, timeOut: timeIn,
  durationUs: 100_000, providerUs: 90_000, status: 200, errorType: null, requestSize: 0, responseSize: 10, requestHash: 'x', responseHash: 'y', ...o,
});
const times = (count: number, r: ExchangeRecord | (() => ExchangeRecord)) => Array.from({ length: count }, () => (typeof r === 'function' ? r() : { ...r, xroadId: `x${++n}` }));

let db: Database.Database;
let writer: ChainWriter;
let store: OpenedStore;
let registry: Registry;
let compliance: Compliance;
let clock = Date.parse('2020-11-01T00:00:00Z');

beforeEach(async () => {
  db = openRecordStore(path.join(mkdtempSync(path.join(os.tmpdir(), 'tabadol-compliance-')), 'records.db'), 'normal');
  const signingKeyPem = generateKeyPairSync('ed25519').privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  writer = new ChainWriter(db, { chainId: 'central/0', signingKeyPem, checkpointIntervalMs: 60_000 });
  store = await openRegistryStore(':memory:');
  registry = new Registry(store.db, { instance: 'IR', nodeId: 'central', signingKey: ephemeralNodeKeys().signingKey, validityMs: 3600_000, now: () => new Date(clock += 1000) });
  await registry.batch(async (c) => {
    for (const [code, name] of [['NOCR', 'Civil registration'], ['MSRT', EVIL], ['POST', 'Post'], ['JUDICIARY', 'Judiciary']] as const) {
      await c.addMember({ memberClass: 'GOV', memberCode: code, name });
    }
    for (const s of ['IR/GOV/NOCR/identity', 'IR/GOV/MSRT/degrees', 'IR/GOV/POST/address', JUDICIARY]) await c.addSubsystem({ subsystemId: s });
    for (const s of [NOCR, MSRT, POST, IDLE]) await c.putService({ serviceId: s, title: 'x', baseUrl: 'http://10.0.0.5/x', contract: CONTRACT }, false);
  });
  await registry.changeOversight(async (o) => {
    await o.setSla(NOCR, { availabilityPercent: 99, p95LatencyMs: 800, maxRatePerSecond: 100, supportHours: '24/7' });
    await o.setSla(MSRT, { availabilityPercent: 99, p95LatencyMs: 800, maxRatePerSecond: 100, supportHours: { days: 'sat-wed', from: '08:00', to: '16:00' } });
    await o.setSla(POST, { availabilityPercent: 99, p95LatencyMs: 500, maxRatePerSecond: 100, supportHours: '24/7' });
  });
  // 1399/07/05 is Saturday 2020-09-26; Tehran is UTC+03:30, so 06:30Z is 10:00 and 16:30Z is 20:00.
  // 1399/07/11 is Friday 2020-10-02.
  writer.append([
    ...times(100, () => rec(NOCR, '2020-09-26T06:30:00.000Z')),
    ...times(100, () => rec(MSRT, '2020-09-26T06:30:00.000Z')),
    ...times(5, () => rec(MSRT, '2020-09-26T06:40:00.000Z', { status: 502, errorType: 'Server.ServerProxy.ServiceFailed' })),
    ...times(20, () => rec(MSRT, '2020-09-26T16:30:00.000Z', { status: 504, errorType: 'Server.ServerProxy.ServiceTimeout' })),
    ...times(30, () => rec(MSRT, '2020-10-02T06:30:00.000Z', { status: 502, errorType: 'Server.ServerProxy.ServiceFailed' })),
    ...times(3, () => rec(MSRT, '2020-09-26T06:50:00.000Z', { status: 500, errorType: 'Server.ServerProxy.RecordFailed' })),
    ...times(100, () => rec(POST, '2020-09-27T06:30:00.000Z', { durationUs: 2_000_000 })),
    ...times(3, () => rec(POST, '2020-09-27T06:30:00.000Z', { status: 429, errorType: 'Client.RateLimitExceeded', durationUs: 50 })),
  ].map(rowText));
  compliance = new Compliance(db, new LocalRollups(db));
});
afterEach(async () => { writer.stop(); db.close(); await store.close(); });

const breachCount = () => (db.prepare('select count(*) as n from sla_breaches').get() as { n: number }).n;

describe('service levels per Jalali month', () => {
  it('judges an hour by the support window it mostly lies in', () => {
    const hours = { days: 'sat-wed', from: '07:30', to: '14:30' } as const;
    expect(['06', '07', '13', '14', '15'].map((h) => supportHour(`1399/07/05 ${h}`, hours))).toEqual([false, true, true, true, false]);
    expect(supportHour('1399/07/11 10', hours)).toBe(false); // Friday
  });

  it('finds a service meeting its SLA, one failing availability within support hours only, one failing p95', async () => {
    const results = await compliance.evaluateMonth(registry, MEHR, AFTER);
    const of = (id: string) => results.find((r) => r.serviceId === id)!;
    expect(of(NOCR)).toMatchObject({ compliant: true, basis: 'month', answered: 100, availability: { actual: 100, met: true, off: 0 }, p95Latency: { met: true } });
    // Saturday 10:00: 100 answered, 5 failed; the 20 at 20:00 and the 30 on Friday are outside support hours.
    // The 3 RecordFailed are the exchange's, reported apart and not counted against the provider.
    expect(of(MSRT)).toMatchObject({ compliant: false, basis: 'hours', answered: 100, providerFailed: 5, exchangeFailed: 3, availability: { met: false }, p95Latency: { met: true } });
    expect(of(MSRT).availability.actual).toBeCloseTo(100 * 100 / 105, 3);
    expect(of(MSRT).availability.off).toBeCloseTo(99 - 100 * 100 / 105, 3);
    const post = of(POST);
    expect(post).toMatchObject({ compliant: false, availability: { met: true }, p95Latency: { met: false, target: 500 }, rate: { rateLimitedRefusals: 3, clientsLimited: 1, maxRatePerSecond: 100 } });
    expect(post.p95Latency.actual!).toBeGreaterThan(1400);
    expect(post.p95Latency.off).toBeCloseTo(post.p95Latency.actual! - 500, 1);
  });

  it('reads the day rows of the support days once the hour rows aged out', async () => {
    db.exec("delete from rollup_hour where period like '1399/07/%'");
    const msrt = (await compliance.evaluateMonth(registry, MEHR, AFTER)).find((r) => r.serviceId === MSRT)!;
    // Saturday whole: 5 + 20 failures; Friday still left out.
    expect(msrt).toMatchObject({ basis: 'days', answered: 100, providerFailed: 25 });
  });

  it('keeps each breach once per SLA version, adds the breaches of a new version beside them, and refuses an open month', async () => {
    await compliance.evaluateMonth(registry, MEHR, AFTER);
    expect(breachCount()).toBe(2);
    await compliance.evaluateMonth(registry, MEHR, AFTER);
    expect(breachCount()).toBe(2);
    expect(compliance.breaches.breaches('1399/07').map((b) => [b.serviceId, b.criterion, b.target])).toEqual([
      [MSRT, 'availability', 99], [POST, 'p95-latency', 500],
    ]);
    await registry.changeOversight((o) => o.setSla(POST, { availabilityPercent: 99, p95LatencyMs: 400, maxRatePerSecond: 100, supportHours: '24/7' }));
    await compliance.evaluateMonth(registry, MEHR, new Date(AFTER.getTime() + 1000));
    const post = compliance.breaches.breaches('1399/07').filter((b) => b.serviceId === POST);
    expect(post.map((b) => b.target).sort()).toEqual([400, 500]); // the targets that applied, each kept
    expect(compliance.breaches.latest('1399/07').find((r) => r.serviceId === POST)!.p95Latency.target).toBe(400);
    await expect(compliance.evaluateMonth(registry, parseJalaliMonth('1399/08'), AFTER)).rejects.toMatchObject({ type: 'Admin.InvalidInput' });
  });
});

describe('mandates', () => {
  it('are met, pending, overdue or not met, with the numbers', async () => {
    await registry.changeOversight(async (o) => {
      const base = { titleFa: 'مصوبه', titleEn: 'Mandate', resolution: 'session 1' };
      await o.putMandate('M-MET', { ...base, responsibleMember: 'IR/GOV/MSRT', deadline: '1399/06/31', condition: { kind: 'service-offered', service: MSRT } });
      await o.putMandate('M-PENDING', { ...base, responsibleMember: 'IR/GOV/POST', deadline: '1400/06/31', condition: { kind: 'service-offered', service: 'IR/GOV/POST/address/business-location' } });
      await o.putMandate('M-OVERDUE', { ...base, responsibleMember: null, deadline: '1399/06/31', condition: { kind: 'sla-coverage' } });
      await o.putMandate('M-NOTMET', { ...base, responsibleMember: 'IR/GOV/MSRT', deadline: '1399/06/31', condition: { kind: 'min-monthly-usage', service: MSRT, consumers: ['IR/GOV/JUDICIARY'], per: 'consumer', atLeast: 101 } });
      await o.putMandate('M-USAGE', { ...base, responsibleMember: 'IR/GOV/NOCR', deadline: '1399/06/31', condition: { kind: 'min-monthly-usage', service: NOCR, atLeast: 100 } });
      await o.putMandate('M-ERRORS', { ...base, responsibleMember: null, deadline: '1399/06/31', condition: { kind: 'max-error-rate', percent: 10 } });
    });
    const s = await mandateStatuses({ registry, rollups: compliance.stats }, { on: parseJalali('1399/08/11'), month: MEHR });
    const of = (id: string) => s.find((m) => m.id === id)!;
    expect(of('M-MET')).toMatchObject({ status: 'met', evidence: { registered: true } });
    expect(of('M-PENDING')).toMatchObject({ status: 'pending', agencies: [] });
    expect(of('M-OVERDUE')).toMatchObject({ status: 'overdue', agencies: ['IR/GOV/POST'], evidence: { servicesInScope: 4, servicesWithSla: 3, servicesWithoutSla: [IDLE] } });
    expect(of('M-NOTMET')).toMatchObject({ status: 'not-met', agencies: ['IR/GOV/MSRT'], evidence: { month: '1399/07', measured: [{ key: 'IR/GOV/JUDICIARY', value: 100, threshold: 101, met: false }] } });
    expect(of('M-USAGE')).toMatchObject({ status: 'met', evidence: { measured: [{ key: 'total', value: 100 }] } });
    // MSRT failed 55 of 155 exchanges that reached it in the month (its support hours do not matter here).
    expect(of('M-ERRORS')).toMatchObject({ status: 'not-met', agencies: ['IR/GOV/MSRT'] });
    expect(of('M-ERRORS').evidence.measured![0]).toMatchObject({ key: MSRT, met: false });
    expect(of('M-ERRORS').evidence.measured![0]!.value).toBeCloseTo(100 * 55 / 155, 3);
  });
});

describe('the inspectors\' monthly list', () => {
  it('names the agencies with their breaches and missed mandates, as JSON, RFC 4180 CSV and escaped Persian HTML', async () => {
    await registry.changeOversight((o) => o.putMandate('M-OVERDUE', {
      titleFa: 'سند سطح خدمت <b>همه</b>', titleEn: 'SLA for all', resolution: 'session 1', responsibleMember: null, deadline: '1399/06/31', condition: { kind: 'sla-coverage' },
    }));
    const r = await violationsReport(compliance, { registry, rollups: compliance.stats }, MEHR, AFTER);
    expect(r).toMatchObject({ month: '1399/07', from: '1399/07/01', to: '1399/07/30', servicesEvaluated: 3, counts: { agencies: 2, slaBreaches: 2, mandatesMissed: 1 } });
    expect(r.agencies.map((a) => [a.memberId, a.sla.map((v) => v.criterion), a.mandates.map((m) => m.id)])).toEqual([
      ['IR/GOV/MSRT', ['availability'], []],
      ['IR/GOV/POST', ['p95-latency'], ['M-OVERDUE']],
    ]);
    expect(breachCount()).toBe(2); // the month was evaluated for the list, and kept

    const csv = violationsCsv(r);
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe('month,agency_id,agency_name,agency_name_fa,kind,subject,criterion,target,actual,off,unit,status,deadline,evidence');
    expect(lines[1]).toMatch(/^1399\/07,IR\/GOV\/MSRT,"Ministry ""Science"", <script>alert\(1\)<\/script>",,sla,IR\/GOV\/MSRT\/degrees\/degree,availability,99,/);
    expect(csv.endsWith('\r\n')).toBe(true);
    expect(csvText(['a'], [['=1+1'], ['-2'], [-2]])).toBe("a\r\n'=1+1\r\n'-2\r\n-2\r\n");

    const html = violationsHtml(r);
    expect(html).toMatch(/<html lang="fa" dir="rtl">/);
    expect(html).toContain('@page { size: A4');
    expect(html).toContain('مهر ۱۳۹۹');
    expect(html).toContain('۱۳۹۹/۰۷/۰۱');
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<b>');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/(src|href)=|url\(|@import/);
  });
});

describe('the UN survey and the visits avoided', () => {
  it('counts survey services online and used', async () => {
    await registry.changeOversight(async (o) => {
      await o.putSurveyService('id-card', { titleFa: 'کارت ملی', titleEn: 'ID card', services: [NOCR] });
      await o.putSurveyService('address', { titleFa: 'نشانی', titleEn: 'Address', services: [IDLE] });
      await o.putSurveyService('visa', { titleFa: 'روادید', titleEn: 'Visa', services: [] });
    });
    const s = await surveyStatus(compliance.stats, registry, { from: parseJalali('1399/07/01'), to: parseJalali('1399/07/30') });
    expect(s).toMatchObject({ total: 3, online: 2, used: 1, summary: '2 of 3 online' });
    expect(s.services.map((x) => [x.code, x.online, x.used, x.answered])).toEqual([['address', true, false, 0], ['id-card', true, true, 100], ['visa', false, false, 0]]);
  });

  it('multiplies answered inquiries by declared savings, lists the undeclared, and gives the cut against a baseline', async () => {
    await registry.changeOversight(async (o) => {
      await o.setSavings(NOCR, { visits: 1, letters: 2 });
      await o.setSavings(POST, { visits: 0.5, letters: 1 });
      await o.setBaseline('IR/GOV/NOCR', 1396, { visits: 1000 });
      await o.setBaseline('IR/GOV/POST', 1399, { visits: 10 }); // not before the period: no indicator
    });
    const v = await visitsAvoided(compliance.stats, registry, { from: parseJalali('1399/01/01'), to: parseJalali('1399/12/30') });
    expect(v).toMatchObject({ wholeYear: true, targetPercent: 12.5, total: { answered: 300, visits: 150, letters: 300, answeredNotDeclared: 100 } });
    expect(v.notDeclared).toEqual([{ serviceId: MSRT, answered: 100 }]);
    const nocr = v.agencies.find((a) => a.memberId === 'IR/GOV/NOCR')!;
    expect(nocr).toMatchObject({ answered: 100, visits: 100, letters: 200, baseline: { year: 1396, visits: 1000, cutPercent: 10, met: false } });
    expect(v.agencies.find((a) => a.memberId === 'IR/GOV/POST')).toMatchObject({ visits: 50, baseline: null });
    expect(v.agencies.find((a) => a.memberId === 'IR/GOV/MSRT')).toMatchObject({ answeredNotDeclared: 100, servicesNotDeclared: [MSRT], visits: 0 });
    // The indicator is yearly: a month has the visits avoided but no cut.
    const month = await visitsAvoided(compliance.stats, registry, { from: parseJalali('1399/07/01'), to: parseJalali('1399/07/30') });
    expect(month.wholeYear).toBe(false);
    expect(month.agencies.find((a) => a.memberId === 'IR/GOV/NOCR')).toMatchObject({ visits: 100, baseline: null });
  });
});
