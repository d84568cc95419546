// The open data of the 1399 scenario's history (a small one of the same shape: `scenario load`, then
// `scenario history --scale`): every month from the first with traffic to Esfand 1399 is published,
// and not one file of the catalogue holds anything shaped like a person's identifier.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { recordsFile } from '../src/records/record-store.ts';
import { startTestNode, waitFor, type TestNode } from './harness.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';

type Catalog = { 'dcat:dataset': { 'dct:identifier': string; 'dcat:distribution': { 'dcat:downloadURL': string; 'dcat:byteSize': number; 'dcat:mediaType': string }[] }[] };

let t: TestNode;
let dataDir: string;
const get = (p: string) => request(`http://127.0.0.1:${t.node.ports.portal}${p}`);

beforeAll(async () => {
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-open-data-history-'));
  const load = await tabadolInProcess(['--data', dataDir, 'scenario', 'load']);
  expect(load.code, load.stderr).toBe(0);
  const history = await tabadolInProcess(['--data', dataDir, 'scenario', 'history', '--records', '2000', '--scale', '0.0001', '--json']);
  expect(history.code, history.stderr).toBe(0);
  // Every file is read once: no limit per address.
  t = await startTestNode({ dataDir, portalPort: 0, portalRatePerMinute: 0 });
  // Esfand 1399 is the last month of the history: the catalogue is complete once it is listed.
  await waitFor('the open data of the history', async () => {
    const c = await (await get('/open-data/catalog.json')).body.json() as Catalog;
    return c['dcat:dataset'].some((d) => d['dct:identifier'] === 'IR-inquiries-services-1399-12');
  }, 120_000);
}, 300_000);

afterAll(async () => {
  await t?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('open data of the scenario history', () => {
  it('publishes every month of 1393 to 1399 and no file holds an identifier of a person', async () => {
    const c = await (await get('/open-data/catalog.json')).body.json() as Catalog;
    const months = new Set(c['dcat:dataset'].map((d) => d['dct:identifier'].slice(-7)));
    expect(months.has('1399-01') && months.has('1396-07')).toBe(true);
    expect([...months].some((m) => m.startsWith('1392'))).toBe(false); // no traffic in 1392
    // The subjects of the raw records, as the records keep them.
    const db = new Database(recordsFile(dataDir), { readonly: true });
    const hashes = (db.prepare('select distinct subject_hash from records where subject_hash is not null limit 50').pluck().all() as string[]);
    db.close();
    expect(hashes.length).toBeGreaterThan(0);

    const urls = c['dcat:dataset'].flatMap((d) => d['dcat:distribution'].map((x) => x['dcat:downloadURL']));
    expect(urls.length).toBe(months.size * 6);
    let rows = 0;
    for (const url of ['/open-data/catalog.json', ...urls]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(200);
      const body = await res.body.text();
      const text = url.endsWith('catalog.json') ? body.replace(/"spdx:checksumValue": "[0-9a-f]{64}"/g, '') : body;
      // National and postal codes (10 digits), mobiles (11), SHEBA (IR + 24 digits).
      expect(text, url).not.toMatch(/\d{10}/);
      expect(text, url).not.toMatch(/IR\d{2}/);
      // Keyed hashes: long hex, or long base64url mixing cases and digits (a service code is words).
      expect(text, url).not.toMatch(/[0-9a-f]{32,}/);
      expect((text.match(/[A-Za-z0-9_+=-]{32,}/g) ?? []).filter((w) => /[A-Z]/.test(w) && /[a-z]/.test(w) && /\d/.test(w)), url).toEqual([]);
      for (const h of hashes) expect(text, url).not.toContain(h);
      if (url.endsWith('.csv')) {
        const header = text.split('\r\n', 1)[0]!;
        expect(header, url).toMatch(/^month,(provider_subsystem|consumer_subsystem|service,service_title,provider_subsystem),agency,agency_name_fa,agency_name_en,inquiries,answered,refused,failed,p50_ms,p95_ms,suppressed$/);
        rows += text.split('\r\n').length - 2;
      }
    }
    expect(rows).toBeGreaterThan(1000);
  });
});
