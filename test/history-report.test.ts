// The 1399 report reproduced from a node's own data: `scenario history` writes eight Jalali years of
// statistics that follow the report (here at 1/10 000 of the traffic, with a few thousand raw
// records), and `tabadol report 1399` reads back the report's figures: inquiries per year, providers
// and services, the shares of the largest providers and consumers. The raw records verify, the
// history refuses to be written twice, and the admin API gives the same report.
import os from 'node:os';
import path from 'node:path';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAdminApp } from '../src/admin/admin-app.ts';
import type { AdminDeps } from '../src/admin/admin-deps.ts';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { openStatsSource, type StatsSource } from '../src/oversight/stats-source.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';

const SCALE = 0.0001;
const RAW = 3000;
let dir: string;
// The report as JSON, checked field by field.
let report: any;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'tabadol-history-'));
  const load = await tabadolInProcess(['--data', dir, 'scenario', 'load']);
  expect(load.code, load.stderr).toBe(0);
  const history = await tabadolInProcess(['--data', dir, 'scenario', 'history', '--scale', String(SCALE), '--records', String(RAW), '--json']);
  expect(history.code, history.stderr).toBe(0);
  report = await json(['report', '1399', '--json']);
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const json = async (args: string[]) => {
  const r = await tabadolInProcess(['--data', dir, ...args]);
  expect(r.code, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

describe('scenario history', () => {
  it('writes the report\'s yearly figures: none in 1392, 104 million in 1396, 1.3 billion in 1399 (scaled), 25 → 56 providers, 282 → 961 services', async () => {
    expect(report.firstYear).toBe(1393); // nothing in 1392
    const year = (y: number) => report.years.find((r: { year: number }) => r.year === y);
    expect(year(1396)).toMatchObject({ inquiries: 104_000_000 * SCALE, providers: 25, services: 282 });
    expect(year(1399)).toMatchObject({ inquiries: 1_300_000_000 * SCALE, providers: 56, services: 961 });
    expect(report).toMatchObject({ year: 1399, inquiries: 130_000, providers: 56, services: 961, consumers: 8 });
    expect(report.years.map((r: { inquiries: number }) => r.inquiries)).toEqual([300, 1500, 4500, 10_400, 24_100, 56_000, 130_000]);
    expect(report.growth).toBeCloseTo(130_000 / 56_000 - 1, 10);

    const byYear = await json(['stats', '--from', '1392/01/01', '--to', '1399/12/30', '--by', 'year', '--json']);
    expect(byYear.lines.map((l: { key: string; count: number }) => [l.key, l.count])).toEqual(
      [['1393', 300], ['1394', 1500], ['1395', 4500], ['1396', 10_400], ['1397', 24_100], ['1398', 56_000], ['1399', 130_000]]);
  });

  it('keeps the 1399 shares of the scenario\'s mix within 0.1 point, with names from the registry', () => {
    const share = (list: { id: string; share: number }[], id: string) => list.find((p) => p.id === id)?.share ?? NaN;
    for (const [id, s] of [['IR/GOV/NOCR', 0.57], ['IR/GOV/CRA', 0.2], ['IR/GOV/POST', 0.06]] as const) {
      expect(Math.abs(share(report.topProviders, id) - s), id).toBeLessThan(0.001);
    }
    for (const [id, s] of [['IR/GOV/JUDICIARY', 0.46], ['IR/GOV/POLICE', 0.27], ['IR/COM/SAMAN', 0.06]] as const) {
      expect(Math.abs(share(report.topConsumers, id) - s), id).toBeLessThan(0.001);
    }
    expect(report.topProviders[0]).toMatchObject({ id: 'IR/GOV/NOCR', nameFa: expect.stringContaining('ثبت احوال') });
    // The scenario seeds savings and baselines: the section is computed, not "not declared".
    expect(report.savings.declared).toBe(true);
    expect(report.savings.visits).toBeGreaterThan(0);
  });

  it('writes raw records over 1399 through the record writer: they verify with the node\'s key, and their rollups are the writer\'s', async () => {
    const audit = await tabadolInProcess(['--data', dir, 'audit', 'verify']);
    expect(audit.code, audit.stdout + audit.stderr).toBe(0);
    const source: StatsSource = openStatsSource(dir);
    try {
      const chain = source.db.prepare("select count(*) as n, min(time_in) as first, max(time_in) as last from records where chain_id = 'history/1399'").get() as { n: number; first: string; last: string };
      expect(chain.n).toBe(RAW);
      expect(chain.first >= '2020-03-19T20:30').toBe(true); // 1399/01/01 00:00 in Tehran
      expect(chain.last < '2021-03-20T20:30').toBe(true); // 1400/01/01
      const hours = source.db.prepare('select sum(n) as n from rollup_hour').get() as { n: number };
      expect(hours.n).toBe(RAW); // only raw records have hour rows
    } finally {
      source.close();
    }
  });

  it('refuses to be written twice, and changes nothing', async () => {
    const again = await tabadolInProcess(['--data', dir, 'scenario', 'history', '--scale', String(SCALE), '--records', '10']);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('Admin.AlreadyExists');
    const source = openStatsSource(dir);
    try {
      expect((source.db.prepare("select sum(n) as n from rollup_month where period like '1399/%'").get() as { n: number }).n).toBe(130_000);
    } finally {
      source.close();
    }
  });
});

describe('tabadol report', () => {
  it('prints the figures as text, and a printable Persian HTML document with nothing fetched from elsewhere', async () => {
    const text = await tabadolInProcess(['--data', dir, 'report', '1399']);
    expect(text.code, text.stderr).toBe(0);
    for (const figure of ['130,000', '56,000', '10,400', '+132.1 %', 'Provider agencies: 56; services: 961', 'Civil Registration', '57.0 %', '46.0 %', '█']) {
      expect(text.stdout).toContain(figure);
    }

    const file = path.join(dir, 'report-1399.html');
    const wrote = await tabadolInProcess(['--data', dir, 'report', '۱۳۹۹', '--html', file]);
    expect(wrote.code, wrote.stderr).toBe(0);
    const html = readFileSync(file, 'utf8');
    expect(html).toMatch(/^<!doctype html>\n<html lang="fa" dir="rtl">/);
    expect(html).toContain('@page { size: A4');
    for (const figure of ['۱۳۰٬۰۰۰', '۱۰٬۴۰۰', '۹۶۱', '۵۶', '۵۷٫۰٪', '۴۶٫۰٪', 'سازمان ثبت احوال کشور', 'قوه قضاییه']) expect(html).toContain(figure);
    expect(html).not.toMatch(/https?:|\/\/[a-z]|<script|<link|<img|@import|url\(|src=/i);
  });

  it('refuses a year that is not a four-digit Jalali year', async () => {
    for (const bad of ['99', '2021x', '1299', '1500', '']) {
      const r = await tabadolInProcess(['--data', dir, 'report', bad]);
      expect(r.code, bad).toBe(2);
      expect(r.stderr, bad).toContain('Admin.InvalidInput');
    }
  });

  it('answers GET /v1/reports/{year} with the same report, and 400 for a bad year', async () => {
    const opened = await openRegistryAt(dir, { instance: 'IR', nodeId: 'central' });
    const source = openStatsSource(dir);
    // The admin app as the node builds it, on this data directory; the parts the report does not
    // use (snapshots, compliance) are never reached.
    const app = await createAdminApp({
      log: pino({ level: 'silent' }), registry: opened.registry, adminToken: 'token', stats: source.reader,
      snapshots: {} as AdminDeps['snapshots'], compliance: {} as AdminDeps['compliance'],
      metricsText: async () => ({ contentType: 'text/plain', text: '' }), afterChange: async () => {},
    });
    try {
      const get = (url: string) => app.inject({ method: 'GET', url, headers: { authorization: 'Bearer token' } });
      const ok = await get('/v1/reports/1399');
      expect(ok.statusCode).toBe(200);
      expect(ok.json()).toEqual(report);
      for (const bad of ['99', '13999', 'abcd', '1299', '%3Cscript%3E']) {
        const r = await get(`/v1/reports/${bad}`);
        expect(r.statusCode, bad).toBe(400);
        expect(r.json().type, bad).toBe('Admin.InvalidInput');
      }
      expect((await get('/v1/reports/1399?top=0')).statusCode).toBe(400);
      expect((await get('/v1/reports/1399?top=3')).json().topProviders).toHaveLength(3);
    } finally {
      await app.close();
      source.close();
      await opened.close();
    }
  });
});
