// Open data on the portal port of a running node: a past month's traffic (written into the rollups
// before the node starts, as a node that ran then would have counted it) is published as CSV and JSON
// that agree with `GET /v1/stats`, listed by a DCAT-style catalogue whose every distribution answers
// with the stated media type, size and checksum; small cells are withheld and cannot be recovered by
// subtraction; no file holds a person's identifier; the month in progress is absent.
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { parse } from 'csv-parse/sync';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJalali, instantToJalali } from '../src/dates/jalali.ts';
import { RollupWriter } from '../src/oversight/rollup-writer.ts';
import { openRecordStore, recordsFile } from '../src/records/record-store.ts';
import { toRow, type ExchangeRecord } from '../src/records/record.ts';
import { JUDICIARY, POLICE, SERVICE, seedDataDir, startTestNode, startTestProvider, waitFor, type TestNode } from './harness.ts';

const NOCR = 'IR/GOV/NOCR/identity';
// Identifiers a caller typed that the exchange refused as unknown: their parts look like a national
// code and a mobile number, and must never be published.
const TYPED_SERVICE = 'IR/GOV/0012345679/x/y';
const TYPED_CLIENT = 'IR/GOV/09121234567/z';
const SUBJECT_HASH = 'q8Jx3Vb0mZrT5yN2pL7wK4dH9sF1gC6eA0uI3oE8rQw';

let n = 0;
const record = (o: Partial<ExchangeRecord>): ExchangeRecord => ({
  xroadId: `x${++n}`, requestId: `r${n}`, client: JUDICIARY, service: SERVICE, endpoint: 'GET /persons/{nationalCode}',
  userId: 'officer-7731', issue: 'case 1399-55', representedParty: null, subjectHash: SUBJECT_HASH,
  // 1399/07/10 in Tehran; the durations spread over several latency buckets.
  timeIn: '2020-10-01T08:00:00.000Z', timeOut: '2020-10-01T08:00:00.050Z', durationUs: 2000 + (n % 7) * 3000, providerUs: 1000,
  status: 200, errorType: null, requestSize: 0, responseSize: 100, requestHash: 'x', responseHash: 'y', ...o,
});
const times = (k: number, o: Partial<ExchangeRecord>) => Array.from({ length: k }, () => record(o));

/** 1399/07: the judiciary's answers and a few provider failures, the police refused four times,
 * and refusals of identifiers the registry never held. */
const PAST = [
  ...times(100, {}),
  ...times(5, { status: 500, errorType: 'Server.ServerProxy.ServiceFailed' }),
  ...times(4, { client: POLICE, status: 500, errorType: 'Server.ServerProxy.AccessDenied' }),
  ...times(12, { service: TYPED_SERVICE, endpoint: null, status: 500, errorType: 'Server.ServerProxy.UnknownService' }),
  ...times(11, { client: TYPED_CLIENT, status: 400, errorType: 'Client.UnknownMember' }),
];

let t: TestNode;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let dataDir: string;
const portal = (p: string, method = 'GET', headers: Record<string, string> = {}) =>
  request(`http://127.0.0.1:${t.node.ports.portal}${p}`, { method: method as 'GET', headers });

async function stats(by: string) {
  const res = await request(`http://127.0.0.1:${t.node.ports.admin}/v1/stats?from=1399/07/01&to=1399/07/30&by=${by}&compare=false`, {
    headers: { authorization: `Bearer ${t.node.keys.adminToken}` },
  });
  return (await res.body.json() as { lines: { key: string; count: number; answered: number; refused: number; providerFailed: number; exchangeFailed: number; p50Ms: number | null; p95Ms: number | null }[] }).lines;
}

beforeAll(async () => {
  provider = await startTestProvider();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-open-data-'));
  const db = openRecordStore(recordsFile(dataDir), 'normal');
  const rollups = new RollupWriter(db);
  db.transaction(() => rollups.add(PAST.map(toRow)))();
  db.close();
  await seedDataDir(dataDir, provider.baseUrl);
  t = await startTestNode({ dataDir, portalPort: 0 });
  await t.sync();
  // The node computes its open data in the background as it starts.
  await waitFor('the open data of 1399/07', async () => {
    const res = await portal('/open-data/catalog.json');
    return ((await res.body.json()) as Catalog)['dcat:dataset'].length > 0;
  });
  // Traffic of the month in progress, which must not be published.
  for (let i = 0; i < 12; i++) {
    const r = await t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': JUDICIARY, 'x-road-userid': 'judge-1' } });
    expect(r.status).toBe(200);
  }
});

afterAll(async () => {
  await t?.close();
  await provider?.close();
  await rm(dataDir, { recursive: true, force: true });
});

type Catalog = { '@type': string; 'dct:license': string; 'dcat:dataset': Dataset[]; 'dct:title': { '@language': string }[] };
type Dataset = {
  'dct:identifier': string; 'dct:title': { '@language': string; '@value': string }[]; 'dct:description': { '@language': string; '@value': string }[];
  'dct:temporal': Record<string, string>; 'dcat:keyword': unknown[]; 'dct:issued': string; 'dct:modified': string;
  'dcat:distribution': { 'dcat:mediaType': string; 'dcat:byteSize': number; 'dcat:downloadURL': string; 'spdx:checksum': { 'spdx:checksumValue': string } }[];
};

async function catalog(): Promise<Catalog> {
  const res = await portal('/open-data/catalog.json');
  expect(res.statusCode).toBe(200);
  return await res.body.json() as Catalog;
}

async function monthFile(name: string): Promise<{ csv: Record<string, string>[]; json: { rows: Record<string, unknown>[] } }> {
  const csv = parse(await (await portal(`/open-data/1399/07/${name}.csv`)).body.text(), { columns: true }) as Record<string, string>[];
  const json = await (await portal(`/open-data/1399/07/${name}.json`)).body.json() as { rows: Record<string, unknown>[] };
  return { csv, json };
}

describe('open data on the portal port', () => {
  it('lists each month as datasets with bilingual titles, a period in both calendars, a licence and distributions that answer as stated', async () => {
    const c = await catalog();
    expect(c['@type']).toBe('dcat:Catalog');
    expect(c['dct:license']).toBe('https://creativecommons.org/licenses/by/4.0/');
    expect(c['dct:title'].map((x) => x['@language']).sort()).toEqual(['en', 'fa']);
    const ids = c['dcat:dataset'].map((d) => d['dct:identifier']);
    expect(ids).toEqual(['IR-inquiries-providers-1399-07', 'IR-inquiries-consumers-1399-07', 'IR-inquiries-services-1399-07']);
    for (const d of c['dcat:dataset']) {
      expect(d['dct:title'].map((x) => x['@language']).sort()).toEqual(['en', 'fa']);
      expect(d['dct:description'].find((x) => x['@language'] === 'en')!['@value']).toContain('withheld');
      expect(d['dct:temporal']).toMatchObject({ 'dcat:startDate': '2020-09-22', 'dcat:endDate': '2020-10-21', 'tabadol:jalaliStart': '1399/07/01', 'tabadol:jalaliEnd': '1399/07/30' });
      expect(d['dcat:keyword'].length).toBeGreaterThan(0);
      // Final when the month ended: the first instant of 1399/08 in Tehran.
      expect(d['dct:issued']).toBe('2020-10-21T20:30:00.000Z');
      expect(d['dct:modified']).toBe(d['dct:issued']);
      expect(d['dcat:distribution'].map((x) => x['dcat:mediaType']).sort()).toEqual(['application/json', 'text/csv']);
      for (const dist of d['dcat:distribution']) {
        const res = await portal(dist['dcat:downloadURL']);
        const body = Buffer.from(await res.body.arrayBuffer());
        expect(res.statusCode, dist['dcat:downloadURL']).toBe(200);
        expect(String(res.headers['content-type'])).toMatch(new RegExp(`^${dist['dcat:mediaType']};`));
        expect(body.length).toBe(dist['dcat:byteSize']);
        expect(createHash('sha256').update(body).digest('hex')).toBe(dist['spdx:checksum']['spdx:checksumValue']);
        const head = await portal(dist['dcat:downloadURL'], 'HEAD');
        await head.body.dump();
        expect(head.statusCode).toBe(200);
        expect(Number(head.headers['content-length'])).toBe(dist['dcat:byteSize']);
        // Conditional GET: an unchanged file is not sent again.
        const again = await portal(dist['dcat:downloadURL'], 'GET', { 'if-none-match': String(res.headers.etag) });
        await again.body.dump();
        expect(again.statusCode).toBe(304);
      }
    }
  });

  it('publishes the figures GET /v1/stats gives for the month, with small cells withheld, not rounded', async () => {
    const round3 = (x: number | null) => (x === null ? null : Math.round(x * 1000) / 1000);
    for (const [name, by, keyColumn] of [['providers', 'provider', 'provider_subsystem'], ['consumers', 'consumer', 'consumer_subsystem'], ['services', 'service', 'service']] as const) {
      const lines = await stats(by);
      const { csv, json } = await monthFile(name);
      expect(csv.length).toBe(json.rows.length);
      for (const [i, row] of csv.entries()) {
        const j = json.rows[i]!;
        const line = lines.find((l) => l.key === row[keyColumn]);
        if (row[keyColumn] === 'other') continue;
        expect(line, `${name} ${row[keyColumn]}`).toBeDefined();
        const expected = { inquiries: line!.count, answered: line!.answered, refused: line!.refused, failed: line!.providerFailed + line!.exchangeFailed };
        for (const [field, value] of Object.entries(expected)) {
          if (j[field] === null) {
            // Withheld: empty in CSV, null in JSON, marked, and never a published small count.
            expect(row[field]).toBe('');
            expect(j.suppressed).toBe(true);
            expect(j.suppressedFields).toContain(field);
          } else {
            expect(j[field], `${name} ${row[keyColumn]} ${field}`).toBe(value);
            expect(Number(row[field])).toBe(value);
            expect(value === 0 || value >= 10).toBe(true);
          }
        }
        if (j.inquiries !== null) {
          expect(j.p50Ms).toBe(round3(line!.p50Ms));
          expect(j.p95Ms).toBe(round3(line!.p95Ms));
          expect(Number(row.p95_ms)).toBe(j.p95Ms);
        }
      }
    }
    // The police's four refusals: the whole consumer row is withheld.
    const consumers = await monthFile('consumers');
    expect(consumers.json.rows.find((r) => r.consumerSubsystem === POLICE)).toMatchObject({
      inquiries: null, answered: null, refused: null, failed: null, p50Ms: null, p95Ms: null, suppressed: true,
    });
    // The judiciary's five failures are withheld, and a second cell with them: 105 − 100 − 0 would tell.
    const judiciary = consumers.json.rows.find((r) => r.consumerSubsystem === JUDICIARY)!;
    expect(judiciary.failed).toBeNull();
    expect((judiciary.suppressedFields as string[]).length).toBeGreaterThanOrEqual(2);
    expect(consumers.csv.find((r) => r.consumer_subsystem === JUDICIARY)).toMatchObject({ failed: '', suppressed: 'true' });
    // Names in both languages come from the registry.
    const providers = await monthFile('providers');
    expect(providers.json.rows.find((r) => r.providerSubsystem === NOCR)).toMatchObject({ agency: 'IR/GOV/NOCR', agencyNameEn: 'National Organization for Civil Registration' });
  });

  it('leaves no withheld cell recoverable by subtraction within a row or a column', async () => {
    const fields = ['inquiries', 'answered', 'refused', 'failed'];
    for (const name of ['providers', 'consumers', 'services']) {
      const { json } = await monthFile(name);
      for (const r of json.rows) {
        const withheld = fields.filter((f) => r[f] === null).length;
        expect(withheld, `${name} row`).not.toBe(1);
      }
      for (const f of fields) {
        const withheld = json.rows.filter((r) => r[f] === null).length;
        expect(withheld, `${name} column ${f}`).not.toBe(1);
      }
    }
  });

  it('contains no identifier of a person in any file of the catalogue', async () => {
    const c = await catalog();
    const urls = ['/open-data/catalog.json', ...c['dcat:dataset'].flatMap((d) => d['dcat:distribution'].map((x) => x['dcat:downloadURL']))];
    expect(urls.length).toBe(7);
    for (const url of urls) {
      // The catalogue's SHA-256 checksums of the files are the one long hex it may hold.
      const text = (await (await portal(url)).body.text()).replace(/"spdx:checksumValue": "[0-9a-f]{64}"/g, '');
      // National codes and postal codes (10 digits), mobiles (11), SHEBA (IR + 24 digits): any run of 10 digits.
      expect(text, url).not.toMatch(/\d{10}/);
      expect(text, url).not.toMatch(/IR\d{2}/);
      for (const s of [TYPED_SERVICE, TYPED_CLIENT, SUBJECT_HASH, 'officer-7731', 'case 1399-55', 'judge-1']) expect(text, url).not.toContain(s);
      // Keyed hashes (base64url or hex): no long unbroken token.
      expect(text, url).not.toMatch(/[A-Za-z0-9_+=-]{32,}/);
    }
    // The refusals of identifiers the registry never held are counted, under "other", never named.
    const services = await monthFile('services');
    expect(services.json.rows.at(-1)).toMatchObject({ service: 'other', inquiries: 12, agency: null, agencyNameEn: null });
  });

  it('does not publish the month in progress', async () => {
    const today = formatJalali(instantToJalali(new Date())).slice(0, 7);
    const c = await catalog();
    expect(c['dcat:dataset'].some((d) => d['dct:identifier'].endsWith(today.replace('/', '-')))).toBe(false);
    const res = await portal(`/open-data/${today}/providers.csv`);
    expect(res.statusCode).toBe(404);
    expect((await res.body.json() as { type: string }).type).toBe('Portal.NotFound');
  });

  it('records the portal among the node\'s own ports, which no provider may use', async () => {
    expect(t.node.ports.portal).toBeGreaterThan(0);
    expect(await t.node.registry.nodePorts()).toContain(t.node.ports.portal);
  });
});
