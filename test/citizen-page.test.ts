// The citizen's "who looked me up" page on the portal of a real node, behind the development stand-in
// for the national login: the portal asks the data tracker through the node's data port as the
// portal's subsystem, so the list is the tracker's and each look is itself recorded.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Agent, request } from 'undici';
import { defaultConfig } from '../src/node/config.ts';
import { startNode, type RunningNode } from '../src/node/node.ts';
import { addJalaliDays, formatJalali, instantToJalali, toPersianDigits } from '../src/dates/jalali.ts';
import { isTabadolError } from '../src/errors/catalogue.ts';
import { trackerServiceId } from '../src/tracker/tracker-id.ts';
import { createPortalApp, SECURITY_HEADERS } from '../src/portal/server.ts';
import { citizenRoutes, MAX_FORM_BYTES } from '../src/portal/citizen-routes.ts';
import { CITIZEN_POST_PATH } from '../src/portal/citizen-html.ts';
import { citizenPortalClient } from '../src/portal/citizen-stand-in.ts';
import { CitizenTrackerClient } from '../src/portal/citizen-tracker-client.ts';
import { inspectionId, portalId, seedTrackerRegistry } from '../src/simulation/demo/tracker-registry.ts';
import { allowHost, JUDICIARY, PERSON_CONTRACT, startTestNode, startTestProvider, waitFor } from './harness.ts';

const A = '0012345679'; // the demo citizen
const B = '0012345601'; // another citizen
const BAD = '0012345678'; // a wrong check digit
const PORTAL = portalId('IR');
const GIO = inspectionId('IR');
const TRACKER = trackerServiceId('IR');
const PERSON = 'IR/GOV/NOCR/identity/person';
const PAGE = 3;

const lines: string[] = [];
const agent = new Agent({ keepAliveTimeout: 1000 });
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let node: RunningNode;
let dataDir: string;
const asked: Record<string, { id: string; issue: string }[]> = { [A]: [], [B]: [] };

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; text: string };

async function http(url: string, o: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const res = await request(url, { method: (o.method ?? 'GET') as 'GET', headers: o.headers, body: o.body, dispatcher: agent });
  return { status: res.statusCode, headers: res.headers as Answer['headers'], text: await res.body.text() };
}
const door = (p: string, o: Parameters<typeof http>[1] = {}) => http(`http://127.0.0.1:${node.ports.http}${p}`, o);
const portal = (p: string, o: Parameters<typeof http>[1] = {}) => http(`http://127.0.0.1:${node.ports.portal}${p}`, o);

const today = instantToJalali(new Date());
const PERIOD = { from: formatJalali(addJalaliDays(today, -1)), to: formatJalali(addJalaliDays(today, 1)) };

/** Posts the citizen form as a browser on the portal's own page would. */
function post(fields: Record<string, string>, headers: Record<string, string> = {}) {
  return portal(CITIZEN_POST_PATH, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'sec-fetch-site': 'same-origin', origin: `http://127.0.0.1:${node.ports.portal}`, ...headers },
    body: new URLSearchParams(fields).toString(),
  });
}

const unescape = (s: string) => s.replace(/&quot;/g, '"').replace(/&#39;/g, '\'').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** Every address a page links to, loads or posts to. */
function urlsOf(html: string): string[] {
  return [...html.matchAll(/\b(?:href|src|action|formaction)="([^"]*)"/g)].map((m) => unescape(m[1]!));
}

/** The hidden fields of the page's "more" form, or undefined when there is no more. */
function moreForm(html: string): Record<string, string> | undefined {
  const m = /<form method="post" action="\/citizen\/usage" class="more">(.*?)<\/form>/s.exec(html);
  if (!m) return undefined;
  return Object.fromEntries([...m[1]!.matchAll(/<input type="hidden" name="(\w+)" value="([^"]*)">/g)].map((x) => [x[1]!, unescape(x[2]!)]));
}

/** The page with the national-code field's own value taken out: what remains must not hold the code. */
const withoutCodeField = (html: string) => html.replace(/<input id="nationalCode"[^>]*>/g, '').replace(/<input type="hidden" name="nationalCode" value="[^"]*">/g, '');

/** Every purpose (X-Road-Issue) listed on every page, following "more". */
async function allPurposes(fields: Record<string, string>): Promise<{ purposes: string[]; pages: number }> {
  const purposes: string[] = [];
  let pages = 0;
  let next: Record<string, string> | undefined = fields;
  while (next && pages < 20) {
    const r = await post(next);
    expect(r.status, r.text).toBe(200);
    purposes.push(...[...r.text.matchAll(/<bdi>(case 1403-\d+)<\/bdi>/g)].map((m) => m[1]!));
    pages++;
    next = moreForm(r.text);
  }
  return { purposes, pages };
}

async function inquire(nationalCode: string, i: number): Promise<void> {
  const issue = `case 1403-${i}`;
  const r = await door(`/r1/${PERSON}/persons/${nationalCode}`, { headers: { 'X-Road-Client': JUDICIARY, 'X-Road-UserId': `judge-${i}`, 'X-Road-Issue': issue } });
  expect(r.status).toBe(200);
  asked[nationalCode]!.push({ id: r.headers['x-road-request-id'] as string, issue });
}

beforeAll(async () => {
  provider = await startTestProvider();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-citizen-'));
  const log = pino({ level: 'trace' }, { write: (s: string) => { lines.push(s); } });
  node = await startNode(defaultConfig({
    dataDir, adminPort: 0, tlsPort: null, httpPort: 0, portalPort: 0, portalRatePerMinute: 0, checkpointIntervalMs: 0, snapshotPollMs: 200, logLevel: 'trace',
    citizenStandIn: { client: citizenPortalClient('IR'), pageSize: PAGE },
  }), log);
  const r = node.registry;
  await r.addMember({ memberClass: 'GOV', memberCode: 'NOCR', name: 'National Organization for Civil Registration', nameFa: 'سازمان ثبت احوال کشور' });
  await r.addMember({ memberClass: 'GOV', memberCode: 'JUDICIARY', name: 'Judiciary', nameFa: 'قوه قضاییه' });
  await r.addSubsystem({ subsystemId: 'IR/GOV/NOCR/identity' });
  await r.addSubsystem({ subsystemId: JUDICIARY, name: 'Case management' });
  await allowHost(node, new URL(provider.baseUrl).host);
  await r.putService({ serviceId: PERSON, title: 'Person by national code', baseUrl: provider.baseUrl, contract: PERSON_CONTRACT, timeoutMs: 2000 });
  await r.grant({ subject: JUDICIARY, serviceId: PERSON, legalBasis: 'Judiciary act, art. 1' });
  await r.batch((c) => seedTrackerRegistry(c), 'test');
  await waitFor('the tracker service pointed at the node', async () => {
    await node.syncSnapshot();
    return node.snapshots.current?.services.get(TRACKER)?.def.baseUrl.startsWith('http://127.0.0.1:');
  });
  await waitFor('the citizen page answering', async () => (await post({ nationalCode: B, from: '1399/01/01', to: '1399/01/01' })).status === 200);
  for (let i = 1; i <= 7; i++) await inquire(A, i);
  for (let i = 101; i <= 102; i++) await inquire(B, i);
}, 60_000);

afterAll(async () => {
  await agent.close();
  await node?.close();
  await provider?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('the stand-in login form', () => {
  it('is labelled as a SIMULATED login, in Persian first and in English on the switch, and puts no national code in a URL', async () => {
    const fa = await portal('/citizen');
    expect(fa.status).toBe(200);
    expect(fa.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(fa.headers['cache-control']).toBe('no-store');
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(fa.headers[name], name).toBe(value);
    expect(fa.text).toContain('<html lang="fa" dir="rtl">');
    expect(fa.text).toContain('ورود آزمایشی — جایگزین موقت ورود ملی؛ فقط برای توسعه');
    // The default period, the last 30 days, in Persian digits.
    expect(fa.text).toContain(`value="${formatJalali(today, { digits: 'persian' })}"`);
    expect(fa.text).toContain(`value="${formatJalali(addJalaliDays(today, -29), { digits: 'persian' })}"`);
    expect(fa.text).toMatch(/<form method="post" action="\/citizen\/usage"/);
    expect(fa.text).toMatch(/<label for="nationalCode">کد ملی<\/label>/);
    // No script at all, and nothing loaded from elsewhere.
    expect(fa.text).not.toMatch(/<script|\sstyle="|\son[a-z]+="/i);
    for (const u of urlsOf(fa.text)) expect(u, u).toMatch(/^(\/|#)/);
    expect(urlsOf(fa.text)).toContain('/citizen?lang=en');

    const en = await portal('/citizen?lang=en');
    expect(en.status).toBe(200);
    expect(en.text).toContain('<html lang="en" dir="ltr">');
    expect(en.text).toContain('SIMULATED national login — a development stand-in, not for production');
    expect(en.text).toContain(`value="${formatJalali(today)}"`);
    expect(en.text).toContain('<input type="hidden" name="lang" value="en">');

    const css = await portal('/citizen/citizen.css');
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
    expect(css.text).toContain('@media (max-width: 47.99em)');
    // A bookmark of the list's address goes back to the form.
    const back = await portal(CITIZEN_POST_PATH);
    expect(back.status).toBe(303);
    expect(back.headers.location).toBe('/citizen');
  });
});

describe('the list', () => {
  it('lists an inquiry made about the citizen: the asking agency in Persian, the Jalali time, the purpose and the outcome', async () => {
    const r = await post({ nationalCode: A, ...PERIOD });
    expect(r.status, r.text).toBe(200);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.text).toContain('<html lang="fa" dir="rtl">');
    expect(r.text).toContain('ورود آزمایشی — جایگزین موقت ورود ملی؛ فقط برای توسعه');
    expect(r.text).toMatch(/<th scope="col">زمان<\/th>/);
    // Newest first: the last inquiry made leads the first page.
    const newest = asked[A]!.at(-1)!;
    const row = new RegExp(`<tr>((?:(?!</tr>).)*${newest.id}(?:(?!</tr>).)*)</tr>`, 's').exec(r.text)?.[1];
    expect(row, 'the newest inquiry\'s row').toBeDefined();
    expect(row).toContain('قوه قضاییه');
    expect(row).toContain('Case management');
    expect(row).toContain('سازمان ثبت احوال کشور');
    expect(row).toContain(`<bdi>${newest.issue}</bdi>`);
    expect(row).toContain('پاسخ داده شد');
    const when = /<time datetime="([^"]+)">([^<]+)<\/time>/.exec(row!);
    expect(when?.[2]).toMatch(/^[۰-۹]{4}\/[۰-۹]{2}\/[۰-۹]{2} [۰-۹]{2}:[۰-۹]{2}$/);
    const day = when![2]!.slice(0, 10);
    expect([formatJalali(today, { digits: 'persian' }), formatJalali(addJalaliDays(today, -1), { digits: 'persian' })]).toContain(day);
    // The official's user id is never shown to the citizen.
    expect(r.text).not.toContain('judge-');
    // The code is in no URL and nowhere outside the form's own (hidden) fields.
    for (const u of urlsOf(r.text)) expect(u).not.toContain(A);
    expect(withoutCodeField(r.text)).not.toContain(A);

    const en = await post({ nationalCode: A, ...PERIOD, lang: 'en' });
    expect(en.status).toBe(200);
    expect(en.text).toContain('<html lang="en" dir="ltr">');
    expect(en.text).toContain('SIMULATED national login — a development stand-in, not for production');
    expect(en.text).toContain('<strong><bdi>Judiciary</bdi></strong>');
    expect(en.text).toMatch(/<time datetime="[^"]+">\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}<\/time>/);
  });

  it('pages with the tracker\'s cursor ("more" re-posts the form): every inquiry once, newest first, and no other citizen\'s', async () => {
    const { purposes, pages } = await allPurposes({ nationalCode: A, ...PERIOD });
    expect(pages).toBe(Math.ceil(asked[A]!.length / PAGE));
    expect(purposes).toEqual(asked[A]!.map((x) => x.issue).reverse());
    for (const x of asked[B]!) expect(purposes).not.toContain(x.issue);
    const b = await allPurposes({ nationalCode: toPersianDigits(B), ...PERIOD });
    expect(b.purposes).toEqual(asked[B]!.map((x) => x.issue).reverse());
  });

  it('says so when the period holds nothing, and what to do', async () => {
    const r = await post({ nationalCode: A, from: '1399/01/01', to: '1399/01/31' });
    expect(r.status).toBe(200);
    expect(r.text).toContain('در این بازه هیچ استعلامی دربارهٔ شما ثبت نشده است.');
    expect(r.text).toContain('بازهٔ زمانی را بزرگ‌تر کنید');
    expect(moreForm(r.text)).toBeUndefined();
  });

  it('is itself an inquiry: access-checked and recorded, as the portal\'s subsystem, for the inspection organisation to see', async () => {
    await post({ nationalCode: A, ...PERIOD });
    const r = await door(`/r1/${TRACKER}/usage`, {
      method: 'POST', headers: { 'X-Road-Client': GIO, 'content-type': 'application/json' }, body: JSON.stringify({ nationalCode: A, ...PERIOD, limit: 100 }),
    });
    expect(r.status, r.text).toBe(200);
    const looks = (JSON.parse(r.text) as { entries: { client: { id: string }; service: { id: string }; purpose: string | null }[] }).entries
      .filter((e) => e.client.id === PORTAL && e.service.id === TRACKER);
    expect(looks.length).toBeGreaterThan(0);
    expect(looks[0]!.purpose).toMatch(/SIMULATED national login/);
  });
});

describe('refusals', () => {
  it('answers a bad national code with a readable 400 page that does not echo the code outside its field', async () => {
    const r = await post({ nationalCode: BAD, ...PERIOD });
    expect(r.status).toBe(400);
    expect(r.headers['cache-control']).toBe('no-store');
    expect(r.text).toContain('کد ملی درست نیست');
    expect(r.text).toContain('aria-invalid="true"');
    expect(r.text).toMatch(/role="alert"/);
    // Kept in its field so the person can correct it; nowhere else.
    expect(r.text).toContain(`value="${BAD}"`);
    expect(withoutCodeField(r.text)).not.toContain(BAD);
    const en = await post({ nationalCode: BAD, ...PERIOD, lang: 'en' });
    expect(en.status).toBe(400);
    expect(en.text).toContain('The national code is not valid');
    // Dates too: named, in words.
    const dates = await post({ nationalCode: A, from: PERIOD.to, to: PERIOD.from, lang: 'en' });
    expect(dates.status).toBe(400);
    expect(unescape(dates.text)).toContain('"From" is after "To".');
    expect(withoutCodeField(dates.text)).not.toContain(A);
    // A form the page does not make (a repeated or unknown field, a forged cursor).
    for (const body of [`nationalCode=${A}&nationalCode=${B}&from=${PERIOD.from}&to=${PERIOD.to}`, `nationalCode=${A}&x=1`, `nationalCode=${A}&from=${PERIOD.from}&to=${PERIOD.to}&cursor=a%20b`]) {
      const x = await portal(CITIZEN_POST_PATH, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
      expect(x.status, body).toBe(400);
      expect(x.text).toContain('Portal.Citizen.InvalidInput');
      expect(withoutCodeField(x.text)).not.toContain(A);
    }
    // A cursor of the right shape that the tracker never gave: the tracker's refusal, shown as one.
    const cursor = await post({ nationalCode: A, ...PERIOD, cursor: 'AAAA' });
    expect(cursor.status).toBe(400);
    expect(cursor.text).toContain('Portal.Citizen.InvalidInput');
  });

  it('refuses a cross-site post before reading it', async () => {
    const cases: Record<string, string>[] = [
      { 'sec-fetch-site': 'cross-site', origin: 'https://evil.example' },
      { 'sec-fetch-site': 'same-site', origin: `http://127.0.0.1:${node.ports.portal}` },
      { origin: 'https://evil.example', 'sec-fetch-site': '' },
      { origin: 'null', 'sec-fetch-site': '' },
    ];
    for (const h of cases) {
      const headers = Object.fromEntries(Object.entries(h).filter(([, v]) => v !== ''));
      const r = await portal(CITIZEN_POST_PATH, {
        method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers }, body: new URLSearchParams({ nationalCode: A, ...PERIOD }).toString(),
      });
      expect(r.status, JSON.stringify(h)).toBe(403);
      expect(r.text).toContain('Portal.CrossSiteRefused');
      expect(r.text).not.toContain(A);
      expect(r.headers['cache-control']).toBe('no-store');
    }
  });

  it('refuses a body over the limit (413) and a body that is not a form (415), and takes POST on the form\'s path only', async () => {
    const big = await post({ nationalCode: A, ...PERIOD, cursor: 'A'.repeat(MAX_FORM_BYTES) });
    expect(big.status).toBe(413);
    expect(big.text).toContain('Portal.PayloadTooLarge');
    const json = await portal(CITIZEN_POST_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ nationalCode: A, ...PERIOD }) });
    expect(json.status).toBe(415);
    expect(json.text).toContain('Portal.UnsupportedMediaType');
    expect(json.text).not.toContain(A);
    const put = await portal(CITIZEN_POST_PATH, { method: 'PUT', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `nationalCode=${A}` });
    expect(put.status).toBe(405);
    expect(put.headers.allow).toBe('GET, HEAD, POST');
    for (const p of ['/citizen', '/citizen/usage/', '/open-data/catalog.json']) {
      const r = await portal(p, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `nationalCode=${A}` });
      expect(r.status, p).toBe(405);
      expect(r.headers.allow).toBe('GET, HEAD');
    }
  });
});

describe('the tracker unavailable', () => {
  it('says so in a 503 page with the error code, keeping the form to try again', async () => {
    const silent = pino({ level: 'silent' });
    const tracker = new CitizenTrackerClient({ exchangeBaseUrl: 'http://127.0.0.1:1', instance: 'IR', client: PORTAL, log: silent });
    expect((await tracker.find({ nationalCode: A, ...PERIOD }, 'x')).kind).toBe('unavailable');
    await tracker.close();

    const app = await createPortalApp({
      log: silent, formRoutes: [CITIZEN_POST_PATH],
      plugins: [citizenRoutes({ tracker: { find: async () => ({ kind: 'unavailable' as const }) }, now: Date.now, log: silent })],
    });
    try {
      const r = await app.inject({ method: 'POST', url: CITIZEN_POST_PATH, headers: { 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams({ nationalCode: A, ...PERIOD }).toString() });
      expect(r.statusCode).toBe(503);
      expect(r.headers['cache-control']).toBe('no-store');
      expect(r.body).toContain('سامانهٔ ردیابی اکنون پاسخ نمی‌دهد');
      expect(r.body).toContain('Portal.Citizen.TrackerUnavailable');
      expect(r.body).toContain('<form method="post" action="/citizen/usage"');
      expect(withoutCodeField(r.body)).not.toContain(A);
    } finally {
      await app.close();
    }
  });
});

describe('off by default', () => {
  it('has no /citizen without the stand-in, and refuses a stand-in it cannot or must not run', async () => {
    const off = await startTestNode({ portalPort: 0, tlsPort: null });
    try {
      const page = await http(`http://127.0.0.1:${off.node.ports.portal}/citizen`);
      expect(page.status).toBe(404);
      const form = await http(`http://127.0.0.1:${off.node.ports.portal}${CITIZEN_POST_PATH}`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `nationalCode=${A}` });
      expect(form.status).toBe(405);
    } finally {
      await off.close();
    }
    const standIn = { client: citizenPortalClient('IR') };
    for (const [overrides, words] of [
      [{ httpPort: null }, /plain-HTTP data port.*client certificate/],
      [{ portalHost: '0.0.0.0' }, /bound to localhost/],
      [{ portalPort: null }, /needs the portal port/],
    ] as const) {
      const err = await startNode(defaultConfig({ dataDir: path.join(dataDir, 'never'), adminPort: 0, tlsPort: null, httpPort: 0, portalPort: 0, citizenStandIn: standIn, ...overrides }), pino({ level: 'silent' }))
        .then(() => undefined, (e: unknown) => e);
      expect(isTabadolError(err) && err.type, JSON.stringify(overrides)).toBe('Admin.InvalidInput');
      expect((err as Error).message).toMatch(words);
    }
  });
});

it('writes no national code to any log line', () => {
  expect(lines.length).toBeGreaterThan(0);
  expect(lines.join('')).toMatch(/SIMULATED national login/);
  for (const line of lines) for (const s of [A, B, BAD, toPersianDigits(A), toPersianDigits(B)]) expect(line).not.toContain(s);
});
