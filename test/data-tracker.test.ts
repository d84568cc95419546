// The citizen's data tracker (findUsage) on a real node: a provider of the exchange's operator,
// reached through the exchange like any other, answering from records.db by the subject's keyed hash.
import os from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import { Agent, request } from 'undici';
import { defaultConfig } from '../src/node/config.ts';
import { startNode, type RunningNode } from '../src/node/node.ts';
import { addJalaliDays, formatJalali, instantToJalali, toPersianDigits } from '../src/dates/jalali.ts';
import { subjectHash } from '../src/identifiers/subject-hash.ts';
import { trackerServiceId, TRACKER_PROOF_HEADER } from '../src/tracker/tracker-id.ts';
import { inspectionId, portalId, seedTrackerRegistry } from '../src/simulation/demo/tracker-registry.ts';
import { JUDICIARY, POLICE, seedRegistry, startTestProvider, waitFor } from './harness.ts';

const A = '0012345679'; // the demo citizen
const B = '0012345601'; // another citizen
const TRACKER = trackerServiceId('IR');
const PORTAL = portalId('IR');
const GIO = inspectionId('IR');
const FIND_USAGE = '/r1/IR/GOV/TABADOL/tracker/findUsage/usage';
const PERSON = 'IR/GOV/NOCR/identity/person';

const lines: string[] = [];
const agent = new Agent({ keepAliveTimeout: 1000 });
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let node: RunningNode;
let dataDir: string;
const asked: Record<string, string[]> = { [A]: [], [B]: [] };

const today = instantToJalali(new Date());
const PERIOD = { from: formatJalali(addJalaliDays(today, -1)), to: formatJalali(addJalaliDays(today, 1)) };

type Answer = { status: number; headers: Record<string, string | string[] | undefined>; text: string; json: () => any };

async function http(url: string, o: { method?: string; headers?: Record<string, string | string[]>; body?: string } = {}): Promise<Answer> {
  const res = await request(url, { method: (o.method ?? 'GET') as 'GET', headers: o.headers, body: o.body, dispatcher: agent });
  const text = await res.body.text();
  return { status: res.statusCode, headers: res.headers as Answer['headers'], text, json: () => JSON.parse(text) };
}

const door = (p: string, o: Parameters<typeof http>[1] = {}) => http(`http://127.0.0.1:${node.ports.http}${p}`, o);

function findUsage(client: string, body: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Answer> {
  return door(FIND_USAGE, { method: 'POST', headers: { 'X-Road-Client': client, 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

/** Every page of a citizen's list, following nextCursor. */
async function allPages(client: string, nationalCode: string, limit: number, period = PERIOD) {
  const pages: any[] = [];
  let cursor: string | undefined;
  do {
    const r = await findUsage(client, { nationalCode, ...period, limit, ...(cursor ? { cursor } : {}) });
    expect(r.status, r.text).toBe(200);
    const page = r.json();
    expect(page.entries.length).toBeLessThanOrEqual(limit);
    pages.push(page);
    cursor = page.nextCursor ?? undefined;
  } while (cursor && pages.length < 50);
  return { pages, entries: pages.flatMap((p) => p.entries) };
}

async function inquire(nationalCode: string, i: number): Promise<void> {
  const r = await door(`/r1/${PERSON}/persons/${nationalCode}`, {
    headers: { 'X-Road-Client': JUDICIARY, 'X-Road-UserId': `judge-${i}`, 'X-Road-Issue': `case 1403-${i}` },
  });
  expect(r.status).toBe(200);
  asked[nationalCode]!.push(r.headers['x-road-request-id'] as string);
}

beforeAll(async () => {
  provider = await startTestProvider();
  dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-tracker-'));
  const log = pino({ level: 'trace' }, { write: (s: string) => { lines.push(s); } });
  node = await startNode(defaultConfig({ dataDir, adminPort: 0, tlsPort: null, httpPort: 0, checkpointIntervalMs: 0, snapshotPollMs: 200, logLevel: 'trace' }), log);
  await seedRegistry(node, provider.baseUrl);
  await node.registry.batch((c) => seedTrackerRegistry(c), 'test');
  // Seeded with the not-started placeholder; the node points the service at its tracker's port.
  await waitFor('the tracker service pointed at the node', async () => {
    await node.syncSnapshot();
    return node.snapshots.current?.services.get(TRACKER)?.def.baseUrl.startsWith('http://127.0.0.1:');
  });
  // ... and the tracker has been handed the names of that snapshot.
  await waitFor('the tracker answering', async () => (await findUsage(PORTAL, { nationalCode: B, from: '1399/01/01', to: '1399/01/01' })).status === 200);

  for (let i = 1; i <= 7; i++) await inquire(A, i);
  for (let i = 1; i <= 2; i++) await inquire(B, 100 + i);
  // The police may call the verify endpoint, with the citizen in the body.
  const v = await door(`/r1/${PERSON}/verify`, {
    method: 'POST', headers: { 'X-Road-Client': POLICE, 'X-Road-Issue': 'licence 55', 'content-type': 'application/json' },
    body: JSON.stringify({ nationalCode: A, mobile: '09121234567' }),
  });
  expect(v.status).toBe(200);
  asked[A]!.push(v.headers['x-road-request-id'] as string);
}, 60_000);

afterAll(async () => {
  await agent.close();
  await node.close();
  await provider.close();
  await rm(dataDir, { recursive: true, force: true });
});

const onPerson = (entries: any[]) => entries.filter((e) => e.service.id === PERSON);

describe('findUsage through the exchange', () => {
  it('finds a citizen\'s inquiries by national code, newest first, paged without gaps or repeats', async () => {
    const { pages, entries } = await allPages(PORTAL, A, 3);
    expect(pages.length).toBe(3);
    const ids = entries.map((e) => e.requestId);
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual([...asked[A]!].sort());
    // Newest first: the order the inquiries were made, reversed.
    expect(ids).toEqual([...asked[A]!].reverse());
    const times = entries.map((e) => e.time);
    expect([...times].sort().reverse()).toEqual(times);

    const police = entries[0];
    expect(police).toMatchObject({
      client: { id: POLICE, member: { id: 'IR/GOV/POLICE', nameEn: 'Police' } },
      service: { id: PERSON, title: 'Person by national code', provider: { id: 'IR/GOV/NOCR', nameEn: 'National Organization for Civil Registration' } },
      endpoint: 'POST /verify', purpose: 'licence 55', outcome: 'answered', status: 200, errorType: null,
    });
    const judge = entries.find((e) => e.purpose === 'case 1403-3');
    expect(judge).toMatchObject({ client: { id: JUDICIARY }, endpoint: 'GET /persons/{nationalCode}', outcome: 'answered' });
    expect(judge.timeJalali).toMatch(/^\d{4}\/\d{2}\/\d{2} \d{2}:\d{2}$/);
    expect(pages[0].omitted).toMatch(/calling system itself/);
  });

  it('does not show another citizen\'s inquiries', async () => {
    const { entries } = await allPages(PORTAL, B, 100);
    expect(onPerson(entries).map((e) => e.requestId).sort()).toEqual([...asked[B]!].sort());
    const a = await allPages(PORTAL, A, 100);
    expect(a.entries.some((e) => asked[B]!.includes(e.requestId))).toBe(false);
  });

  it('never shows the citizen-facing portal the official\'s user id; shows it to the inspection organisation', async () => {
    const portal = await allPages(PORTAL, A, 100);
    expect(portal.entries.length).toBeGreaterThan(0);
    for (const e of portal.entries) expect(e).not.toHaveProperty('userId');
    expect(portal.pages.some((p) => p.text?.includes('judge-'))).toBe(false);
    const raw = await findUsage(PORTAL, { nationalCode: A, ...PERIOD, limit: 100 });
    expect(raw.text).not.toContain('judge-');

    const gio = await allPages(GIO, A, 100);
    const judge = onPerson(gio.entries).find((e) => e.purpose === 'case 1403-2');
    expect(judge.userId).toBe('judge-2');
    expect(onPerson(gio.entries).find((e) => e.purpose === 'licence 55').userId).toBeNull();
  });

  it('lists the inspection organisation\'s look at the citizen\'s list, but not the caller\'s own looks', async () => {
    await findUsage(GIO, { nationalCode: A, ...PERIOD });
    const { entries } = await allPages(PORTAL, A, 100);
    const lookups = entries.filter((e) => e.service.id === TRACKER);
    expect(lookups.length).toBeGreaterThan(0);
    expect(lookups.every((e) => e.client.id === GIO && e.endpoint === 'POST /usage')).toBe(true);
    expect(lookups[0].client.member).toMatchObject({ nameEn: 'General Inspection Organization', nameFa: 'سازمان بازرسی کل کشور' });
  });

  it('filters by a period of Jalali dates, in Persian digits too', async () => {
    const past = await findUsage(PORTAL, { nationalCode: A, from: '1399/01/01', to: '1399/12/30' });
    expect(past.status).toBe(200);
    expect(past.json()).toMatchObject({ from: '1399/01/01', to: '1399/12/30', entries: [], nextCursor: null });
    const day = formatJalali(today);
    const persian = await findUsage(PORTAL, { nationalCode: toPersianDigits(A), from: toPersianDigits(day), to: toPersianDigits(day), limit: 100 });
    expect(persian.status, persian.text).toBe(200);
    // Inquiries made today in Tehran (the test may run across midnight: then they fall on two days).
    const yesterday = await findUsage(PORTAL, { nationalCode: A, from: PERIOD.from, to: PERIOD.from, limit: 100 });
    expect(onPerson(persian.json().entries).length + onPerson(yesterday.json().entries).length).toBe(asked[A]!.length);
  });

  it('refuses a caller without an access right at the exchange: AccessDenied', async () => {
    const r = await findUsage(POLICE, { nationalCode: A, ...PERIOD });
    expect(r.status).toBe(500);
    expect(r.headers['x-road-error']).toBe('Server.ServerProxy.AccessDenied');
    expect(r.text).not.toContain(A);
  });

  it('refuses malformed national codes, periods, limits and cursors with 400, quoting none of them', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ nationalCode: '123', ...PERIOD }, 'Client.InvalidRequest'],
      [{ nationalCode: '0012345678', ...PERIOD }, 'Tracker.InvalidInput'], // wrong check digit
      [{ nationalCode: A, from: '99/01/01', to: PERIOD.to }, 'Client.InvalidRequest'],
      [{ nationalCode: A, from: '1403/13/01', to: PERIOD.to }, 'Tracker.InvalidInput'],
      [{ nationalCode: A, from: PERIOD.to, to: PERIOD.from }, 'Tracker.InvalidInput'],
      [{ nationalCode: A, ...PERIOD, limit: 101 }, 'Client.InvalidRequest'],
      [{ nationalCode: A, ...PERIOD, limit: 0 }, 'Client.InvalidRequest'],
      [{ nationalCode: A, ...PERIOD, cursor: 'a b' }, 'Client.InvalidRequest'],
      [{ nationalCode: A, ...PERIOD, cursor: 'AAAA' }, 'Tracker.InvalidInput'],
      [{ nationalCode: A, ...PERIOD, extra: 1 }, 'Client.InvalidRequest'],
      [{ nationalCode: A }, 'Client.InvalidRequest'],
    ];
    for (const [body, type] of cases) {
      const r = await findUsage(PORTAL, body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      expect(r.headers['x-road-error'] ?? r.json().type, JSON.stringify(body)).toBe(type);
      for (const v of Object.values(body)) if (String(v).length > 3) expect(r.text).not.toContain(String(v));
      expect(r.text).not.toContain('judge-');
    }
  });

  it('ignores a proof header the consumer sends: only the node\'s own reaches the tracker', async () => {
    const r = await findUsage(PORTAL, { nationalCode: A, ...PERIOD }, { [TRACKER_PROOF_HEADER]: 'forged' });
    expect(r.status).toBe(200);
  });
});

describe('the tracker\'s own port', () => {
  const direct = (body: unknown, headers: Record<string, string | string[]> = {}) =>
    http(`${node.snapshots.current!.services.get(TRACKER)!.def.baseUrl}/usage`, {
      method: 'POST', headers: { 'content-type': 'application/json', 'x-road-client': GIO, ...headers }, body: JSON.stringify(body),
    });

  it('refuses a direct call without the data plane\'s proof, whatever X-Road-Client it claims', async () => {
    const body = { nationalCode: A, ...PERIOD };
    expect((await direct(body)).status).toBe(403);
    expect((await direct(body, { [TRACKER_PROOF_HEADER]: 'x'.repeat(43) })).status).toBe(403);
    // A proof made for another citizen does not open this one's list.
    expect((await direct(body, { [TRACKER_PROOF_HEADER]: subjectHash(node.keys.subjectKey, B) })).status).toBe(403);
    // Two proofs: refused rather than one picked.
    const good = subjectHash(node.keys.subjectKey, A);
    expect((await direct(body, { [TRACKER_PROOF_HEADER]: [good, good] })).status).toBe(403);
    for (const r of [await direct(body), await direct({ nationalCode: B, ...PERIOD })]) {
      expect(r.text).not.toContain(A);
      expect(r.text).not.toContain('judge-');
    }
    // What the proof is: only a holder of the node's subject key can make it.
    expect((await direct(body, { [TRACKER_PROOF_HEADER]: good })).status).toBe(200);
  });

  it('answers nothing but POST /usage, and no oversized body', async () => {
    const base = node.snapshots.current!.services.get(TRACKER)!.def.baseUrl;
    expect((await http(`${base}/usage`)).status).toBe(404);
    const big = await http(`${base}/usage`, { method: 'POST', headers: { [TRACKER_PROOF_HEADER]: 'x', 'content-type': 'application/json' }, body: 'x'.repeat(5000) });
    expect(big.status).toBe(400);
  });
});

it('writes no national code, and no subject hash, to any log line', () => {
  expect(lines.length).toBeGreaterThan(0);
  const secrets = [A, B, toPersianDigits(A), subjectHash(node.keys.subjectKey, A), subjectHash(node.keys.subjectKey, B)];
  for (const line of lines) for (const s of secrets) expect(line).not.toContain(s);
});

it('follows its tracker to a new port when the old one is taken at restart, keeping the operator\'s settings', async () => {
  const before = node.snapshots.current!.services.get(TRACKER)!.def;
  await node.registry.putService({ serviceId: TRACKER, title: before.title, baseUrl: before.baseUrl, contract: before.contract, timeoutMs: before.timeoutMs, maxRatePerSecond: 50 }, 'test', true);
  await node.close();
  const blocker = portBlocker(Number(new URL(before.baseUrl).port));
  await blocker.listening;
  try {
    const log = pino({ level: 'trace' }, { write: (s: string) => { lines.push(s); } });
    node = await startNode(defaultConfig({ dataDir, adminPort: 0, tlsPort: null, httpPort: 0, checkpointIntervalMs: 0, snapshotPollMs: 200, logLevel: 'trace' }), log);
    const moved = await waitFor('the tracker service re-pointed', async () => {
      await node.syncSnapshot();
      const def = node.snapshots.current?.services.get(TRACKER)?.def;
      return def && def.baseUrl !== before.baseUrl && def;
    });
    expect(moved.maxRatePerSecond).toBe(50);
    // The allow-list entry of the old port went with it; the new one is there.
    const hosts = (await node.registry.listProviderHosts()).map((h) => h.entry);
    expect(hosts).toContain(new URL(moved.baseUrl).host);
    expect(hosts).not.toContain(new URL(before.baseUrl).host);
    const r = await waitFor('the tracker answering again', async () => {
      const x = await findUsage(PORTAL, { nationalCode: A, ...PERIOD, limit: 100 });
      return x.status === 200 && x;
    });
    expect(onPerson(r.json().entries)).toHaveLength(asked[A]!.length);
  } finally {
    await blocker.close();
  }
}, 60_000);

/** Holds a port, so that the restarted tracker cannot have it back. */
function portBlocker(port: number) {
  const server = net.createServer((s) => s.destroy());
  return {
    listening: new Promise<void>((r) => server.listen(port, '127.0.0.1', () => r())),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
