// The citizen's data tracker across real nodes: a centre and the province p23, each its own process.
// A citizen's inquiries recorded on the province (a service homed on p23, asked at the province's
// data port) and on the centre (the same service asked at the centre's data port, routed to p23)
// all come back from the centre's findUsage, newest first, each with its node, every one exactly
// once however the pages cut the list; a province that cannot be reached (stopped, or frozen so that
// it never answers) is named in `incomplete` while the centre's own entries still come back; only the
// province's central node may search the province's records.
// Exchanges asked at the province of a service homed at the centre are routed to the centre, whose
// `central/routed` chain records them (peer_node 'p23'): listed once, as p23 recorded them, while p23
// answers; when p23 cannot be reached, from the centre's routed chain (node 'central'), once.
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDICIARY, PERSON_CONTRACT, SERVICE, allowHost, startTestProvider, waitFor } from './harness.ts';
import { seedCentreWithProvincialService, startCentreAndProvince, stopNode, type CentreAndProvince } from './cluster-processes.ts';
import { addJalaliDays, formatJalali, instantToJalali, startOfJalaliDay } from '../src/dates/jalali.ts';
import { loadCa, type Ca } from '../src/identity/ca.ts';
import { loadOrCreateNodeKeys } from '../src/keys/node-keys.ts';
import { issueNodeCertificate } from '../src/identity/node-certificates.ts';
import { issueSubsystemCertificate } from '../src/identity/certificates.ts';
import { caDirOf } from '../src/node/node-tls.ts';
import { NodeClient } from '../src/node/node-client.ts';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { NODE_SEARCH_PATH } from '../src/tracker/node-search.ts';
import { listPage } from '../src/portal/citizen-html.ts';
import { inspectionId, portalId, seedTrackerRegistry } from '../src/simulation/demo/tracker-registry.ts';
import { mergePage, positionOf, routedOfUnreached, type NodeAnswer, type NodeRoutedRow } from '../src/tracker/node-search.ts';
import { newestFirst, type Position } from '../src/tracker/cursor.ts';
import type { NodeUsageRow } from '../src/tracker/query.ts';

const A = '0012345679';
const PORTAL = portalId('IR');
const GIO = inspectionId('IR');
const today = instantToJalali(new Date());
const PERIOD = { from: formatJalali(addJalaliDays(today, -1)), to: formatJalali(addJalaliDays(today, 1)) };

let cluster: CentreAndProvince;
let provider: Awaited<ReturnType<typeof startTestProvider>>;
let ca: Ca;
const clients: NodeClient[] = [];
/** A service homed at the centre: asked at p23, it is routed to the centre. */
const CENTRE_SERVICE = 'IR/GOV/NOCR/registry/person';
/** Request ids in the order the inquiries were made, the node each was asked at, and whether it was
 * routed from p23 to the centre's provider. */
const asked: { id: string; node: 'p23' | 'central'; toCentre?: true }[] = [];

type Page = { entries: { requestId: string; node: string; time: string; userId?: string | null; client: { id: string } }[]; nextCursor: string | null; incomplete: string[] };

const url = (port: number, p: string) => `http://127.0.0.1:${port}${p}`;

async function inquire(at: 'p23' | 'central', i: number, service = SERVICE): Promise<void> {
  const port = at === 'p23' ? cluster.province.ports.http : cluster.centre.ports.http;
  const res = await request(url(port, `/r1/${service}/persons/${A}`), {
    headers: { 'x-road-client': JUDICIARY, 'x-road-userid': `judge-${i}`, 'x-road-issue': `case ${i}` },
  });
  await res.body.dump();
  expect(res.statusCode).toBe(200);
  asked.push({ id: res.headers['x-road-request-id'] as string, node: at, ...(service === CENTRE_SERVICE ? { toCentre: true as const } : {}) });
}

async function findUsage(body: Record<string, unknown>, client = PORTAL): Promise<{ status: number; page: Page; text: string }> {
  const res = await request(url(cluster.centre.ports.http, '/r1/IR/GOV/TABADOL/tracker/findUsage/usage'), {
    method: 'POST', headers: { 'x-road-client': client, 'content-type': 'application/json' }, body: JSON.stringify(body),
  });
  const text = await res.body.text();
  return { status: res.statusCode, text, page: (res.statusCode === 200 ? JSON.parse(text) : undefined) as Page };
}

/** Every page of the citizen's list at `limit` entries a page, following nextCursor. */
async function allPages(limit: number): Promise<Page[]> {
  const pages: Page[] = [];
  let cursor: string | undefined;
  do {
    const r = await findUsage({ nationalCode: A, ...PERIOD, limit, ...(cursor ? { cursor } : {}) });
    expect(r.status, r.text).toBe(200);
    expect(r.page.entries.length).toBeLessThanOrEqual(limit);
    pages.push(r.page);
    cursor = r.page.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < 50);
  return pages;
}

const onPerson = (p: Page) => p.entries.filter((e) => e.client.id === JUDICIARY);

beforeAll(async () => {
  provider = await startTestProvider();
  cluster = await startCentreAndProvince(async (centreDir, province) => {
    await seedCentreWithProvincialService(centreDir, provider.baseUrl, 5000, province);
    const opened = await openRegistryAt(centreDir);
    try {
      await opened.registry.batch((c) => seedTrackerRegistry(c), 'test');
      // A register homed at the centre (no home node), which the judiciary may ask from p23.
      await opened.registry.addSubsystem({ subsystemId: 'IR/GOV/NOCR/registry' });
      await allowHost(opened, new URL(provider.baseUrl).host);
      await opened.registry.putService({ serviceId: CENTRE_SERVICE, title: 'Person (centre)', baseUrl: provider.baseUrl, contract: PERSON_CONTRACT, timeoutMs: 5000 });
      await opened.registry.grant({ subject: JUDICIARY, serviceId: CENTRE_SERVICE, legalBasis: 'Judiciary act, art. 1' });
    } finally {
      await opened.close();
    }
  });
  ca = await loadCa(caDirOf(cluster.centreDir));
  // The centre routes to p23 once its snapshot names where p23 listens.
  await waitFor('the centre routing to p23', async () => {
    const res = await request(url(cluster.centre.ports.http, `/r1/${SERVICE}/persons/0012345601`), { headers: { 'x-road-client': JUDICIARY } });
    await res.body.dump();
    return res.statusCode === 200;
  }, 60_000);
  // And p23 to the centre, once the centre is registered at the address its node port took and
  // p23's snapshot says so.
  const token = (await loadOrCreateNodeKeys(cluster.centreDir)).adminToken;
  const added = await request(url(cluster.centre.ports.admin, '/v1/nodes'), {
    method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ id: 'central', role: 'central', url: `https://127.0.0.1:${cluster.centre.ports.node}` }),
  });
  expect(added.statusCode, await added.body.text()).toBe(201);
  await waitFor('p23 routing to the centre', async () => {
    const res = await request(url(cluster.province.ports.http, `/r1/${CENTRE_SERVICE}/persons/0012345601`), { headers: { 'x-road-client': JUDICIARY } });
    await res.body.dump();
    return res.statusCode === 200;
  }, 60_000);
  // Interleaved, so that the pages cut between the nodes' records: asked at p23 of p23's service,
  // at the centre of p23's service (routed to p23), at p23 of the centre's service (routed to the centre).
  for (let i = 0; i < 10; i++) {
    if (i % 3 === 2) await inquire('p23', i, CENTRE_SERVICE);
    else await inquire(i % 3 === 0 ? 'p23' : 'central', i);
  }
  // The centre's tracker answers once the centre has pointed the service at it, and searches p23
  // once its snapshot's node list has reached the tracker's thread.
  await waitFor('the centre\'s tracker finding the province\'s entries', async () => {
    const r = await findUsage({ nationalCode: A, ...PERIOD, limit: 100 });
    return r.status === 200 && r.page.entries.some((e) => e.node === 'p23');
  }, 60_000);
}, 120_000);

afterAll(async () => {
  for (const c of clients) await c.close();
  await cluster?.close();
  await provider?.close();
}, 60_000);

describe('the centre\'s findUsage across nodes', () => {
  it('gives the inquiries recorded on the province and on the centre, newest first, each with its node and once', async () => {
    const r = await findUsage({ nationalCode: A, ...PERIOD, limit: 100 });
    expect(r.status, r.text).toBe(200);
    expect(r.page.incomplete).toEqual([]);
    const entries = onPerson(r.page);
    // Newest first across both nodes: the order they were asked, reversed.
    expect(entries.map((e) => [e.requestId, e.node])).toEqual([...asked].reverse().map((a) => [a.id, a.node]));
    // An inquiry routed from the centre to p23 is recorded on both (p23 keeps the provider half,
    // with the same request id): listed once, as the centre recorded it.
    expect(new Set(entries.map((e) => e.requestId)).size).toBe(entries.length);
    expect(entries.filter((e) => e.node === 'central')).toHaveLength(3);
    // p23's inquiries routed to the centre's register: recorded on both too, listed once, as p23 recorded them.
    const toCentre = asked.filter((a) => a.toCentre).map((a) => a.id);
    expect(toCentre).toHaveLength(3);
    expect(entries.filter((e) => toCentre.includes(e.requestId)).map((e) => e.node)).toEqual(['p23', 'p23', 'p23']);
    const times = entries.map((e) => e.time);
    expect([...times].sort().reverse()).toEqual(times);
    // The portal is not shown officials' user ids, from whichever node; the inspection organisation is.
    expect(r.text).not.toContain('judge-');
    const gio = await findUsage({ nationalCode: A, ...PERIOD, limit: 100 }, GIO);
    expect(gio.status, gio.text).toBe(200);
    expect(onPerson(gio.page).find((e) => e.requestId === asked[0]!.id)?.userId).toBe('judge-0');
  });

  it('pages across the two nodes with the cursor, returning every entry exactly once and in order', async () => {
    const whole = onPerson((await allPages(100))[0]!).map((e) => e.requestId);
    // Every inquiry once, those between the nodes included (p23's of the centre's register from p23's side).
    expect(whole).toEqual([...asked].reverse().map((a) => a.id));
    for (const limit of [1, 2, 3]) {
      const pages = await allPages(limit);
      const ids = pages.flatMap(onPerson).map((e) => e.requestId);
      expect(ids, `limit ${limit}`).toEqual(whole);
      // Pages that end on one node's entry and go on with the other's.
      if (limit === 2) expect(pages.some((p) => new Set(p.entries.map((e) => e.node)).size === 2)).toBe(true);
    }
  });
});

describe('the province\'s tracker route on the node port', () => {
  const search = { nationalCode: A, fromIso: startOfJalaliDay(addJalaliDays(today, -1)).toISOString(), toIso: startOfJalaliDay(addJalaliDays(today, 2)).toISOString(), limit: 100, caller: PORTAL, userIds: false };
  const provinceUrl = () => `https://127.0.0.1:${cluster.province.ports.node}`;
  const asNode = async (nodeId: string) => {
    const cert = await issueNodeCertificate(ca, nodeId);
    const c = new NodeClient({ identity: { certPem: cert.certPem, keyPem: cert.keyPem, caCertPem: ca.certPem } });
    clients.push(c);
    return c;
  };
  const post = async (c: NodeClient, body: unknown) => {
    const res = await c.request('p23', provinceUrl(), NODE_SEARCH_PATH, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const text = await res.body.text();
    return { status: res.statusCode, type: res.headers['x-road-error'], text };
  };

  it('answers the central node: the province\'s own rows, without user ids unless asked for the inspection organisation', async () => {
    const central = await asNode('central');
    const r = await post(central, search);
    expect(r.status, r.text).toBe(200);
    const rows = (JSON.parse(r.text) as { rows: { request_id: string; chain_id: string; user_id: string | null }[] }).rows;
    const onP23 = asked.filter((a) => a.node === 'p23').map((a) => a.id);
    expect(rows.filter((x) => onP23.includes(x.request_id))).toHaveLength(onP23.length);
    // The provider halves of what the centre routed here are the centre's to list.
    expect(rows.some((x) => x.chain_id === 'p23/routed')).toBe(false);
    // Its routed page holds what other provinces routed here: none (the centre routed all of them).
    expect((JSON.parse(r.text) as { routed: unknown[] }).routed).toEqual([]);
    expect(r.text).not.toContain('judge-');
    expect((await post(central, { ...search, userIds: true })).text).toContain('judge-');
  });

  it('refuses another province\'s certificate and a subsystem\'s, and a malformed or oversized body, quoting nothing', async () => {
    const p07 = await asNode('p07');
    const refused = await post(p07, search);
    expect([refused.status, refused.type]).toEqual([403, 'Node.Tracker.NotCentralNode']);
    expect(refused.text).not.toContain(A);

    const sub = await issueSubsystemCertificate(ca, JUDICIARY);
    const agent = new Agent({ connect: { ca: ca.certPem, cert: sub.certPem, key: sub.keyPem, checkServerIdentity: () => undefined } });
    try {
      const res = await request(`${provinceUrl()}${NODE_SEARCH_PATH}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(search), dispatcher: agent });
      const text = await res.body.text();
      expect([res.statusCode, res.headers['x-road-error']]).toEqual([403, 'Node.PeerRefused']);
      expect(text).not.toContain('judge-');
    } finally {
      await agent.close();
    }

    const central = await asNode('central');
    const wrongDigit = await post(central, { ...search, nationalCode: '0012345678' });
    expect([wrongDigit.status, wrongDigit.type]).toEqual([400, 'Admin.InvalidInput']);
    expect(wrongDigit.text).not.toContain('0012345678');
    const extra = await post(central, { ...search, subjectHash: 'x' });
    expect([extra.status, extra.type]).toEqual([400, 'Admin.InvalidInput']);
    const big = await post(central, { ...search, caller: 'x'.repeat(4096) });
    expect(big.status).toBe(413);
  });
});

describe('a province that cannot be reached', () => {
  /** What the centre alone holds, newest first: its own inquiries, and p23's inquiries of the
   * centre's register as the centre's provider half recorded them (node 'central'). */
  const centreHolds = () => asked.filter((a) => a.node === 'central' || a.toCentre).reverse().map((a) => [a.id, 'central']);

  /** The whole list and its pages at small limits: p23 named in incomplete, the centre's holdings each once, in order. */
  async function expectCentreHoldings(): Promise<void> {
    const r = await findUsage({ nationalCode: A, ...PERIOD, limit: 100 });
    expect(r.status, r.text).toBe(200);
    expect(r.page.incomplete).toEqual(['p23']);
    expect(onPerson(r.page).map((e) => [e.requestId, e.node])).toEqual(centreHolds());
    expect(r.text).not.toContain(A);
    for (const limit of [1, 2, 3]) {
      const pages = await allPages(limit);
      for (const p of pages) expect(p.incomplete).toEqual(['p23']);
      expect(pages.flatMap(onPerson).map((e) => [e.requestId, e.node]), `limit ${limit}`).toEqual(centreHolds());
    }
  }

  it('that does not answer (its process frozen) is named in incomplete within the tracker\'s own timeout', async () => {
    const pids = [...new Set([cluster.province.child.pid!, ...cluster.province.pids])];
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    try {
      // Without the bound on the search, the tracker service's timeout would end the exchange (a 5xx).
      const r = await findUsage({ nationalCode: A, ...PERIOD, limit: 100 });
      expect(r.status, r.text).toBe(200);
      expect(r.page.incomplete).toEqual(['p23']);
      expect(onPerson(r.page).map((e) => [e.requestId, e.node])).toEqual(centreHolds());
    } finally {
      for (const pid of pids) process.kill(pid, 'SIGCONT');
    }
  });

  it('that is stopped is named in incomplete; the centre\'s own entries and the exchanges p23 routed to it still come back, each once, on every page', async () => {
    await stopNode(cluster.province);
    // p23's inquiries of the centre's register: the asking node is out of reach, the provider's half is listed.
    expect(asked.filter((a) => a.toCentre)).toHaveLength(3);
    await expectCentreHoldings();
  });
});

describe('merging a node\'s routed page, filtered for the nodes not reached', () => {
  // p23's routed chain as the centre sees it: exchanges routed by p10 (reached) and by p07 (not
  // reached), p10's the newer, more than a page of them. Each source answers its first limit + 1
  // rows after the cursor, as a node does; the centre keeps p07's only.
  const iso = (n: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString();
  const row = (node: string, chain: string, seq: number, t: number, peer?: string): NodeUsageRow & { peer_node?: string } => ({
    node, chain_id: chain, seq, request_id: `${chain}:${seq}`, client: JUDICIARY, service: SERVICE, endpoint: null, user_id: null,
    issue: null, time_in: iso(t), status: 200, error_type: null, ...(peer ? { peer_node: peer } : {}),
  });
  const own: NodeUsageRow[] = [0, 2, 4, 30, 32].map((t, i) => row('central', 'central/w0', i, t));
  const routed = [
    ...Array.from({ length: 12 }, (_, i) => row('p23', 'p23/routed', 100 + i, 40 + i, 'p10')),
    ...[1, 3, 5, 31].map((t, i) => row('p23', 'p23/routed', i, t, 'p07')),
  ] as NodeRoutedRow[];
  const after = (rows: NodeUsageRow[], cursor: Position | undefined, limit: number) => rows
    .filter((r) => !cursor || newestFirst(cursor, positionOf(r)) < 0)
    .sort((a, b) => newestFirst(positionOf(a), positionOf(b))).slice(0, limit + 1);

  it('lists every row of the nodes not reached once and in order, at every page size', () => {
    const expected = [...own, ...routed.filter((r) => r.peer_node === 'p07')]
      .sort((a, b) => newestFirst(positionOf(a), positionOf(b))).map((r) => r.request_id);
    for (const limit of [1, 2, 3, 5, 100]) {
      const shown: string[] = [];
      let cursor: Position | undefined;
      for (let n = 0; n < 100; n++) {
        const page = after(routed, cursor, limit) as NodeRoutedRow[];
        const answer: NodeAnswer = { rows: [], routed: page, routedFull: page.length === limit + 1 };
        const kept = routedOfUnreached(answer, new Set(['p07']));
        const merged = mergePage([after(own, cursor, limit), kept.rows], limit, kept.horizon ? [kept.horizon] : []);
        expect(merged.rows.length).toBeLessThanOrEqual(limit);
        shown.push(...merged.rows.map((r) => r.request_id));
        cursor = merged.next;
        if (!cursor) break;
      }
      expect(shown, `limit ${limit}`).toEqual(expected);
    }
  });

  it('keeps none, and cuts no page, when every node was reached', () => {
    const page = after(routed, undefined, 3) as NodeRoutedRow[];
    const kept = routedOfUnreached({ rows: [], routed: page, routedFull: true }, new Set());
    expect(kept).toEqual({ rows: [], horizon: undefined });
    expect(mergePage([after(own, undefined, 3), kept.rows], 3).rows.map((r) => r.node)).toEqual(['central', 'central', 'central']);
  });
});

describe('the citizen\'s page', () => {
  const view = (lang: 'fa' | 'en', incomplete: string[]) => listPage({
    lang, typed: { nationalCode: A, from: PERIOD.from, to: PERIOD.to }, question: { nationalCode: A, ...PERIOD },
    page: { entries: [], nextCursor: null, incomplete },
  });

  it('says that part of the record could not be read now, naming the nodes, in Persian and English', () => {
    expect(view('en', ['p10'])).toMatch(/Part of your record could not be read now: the records of the provincial nodes <bdi dir="ltr">p10<\/bdi>/);
    expect(view('fa', ['p10', 'p07'])).toContain('بخشی از سوابق اکنون خوانده نشد');
    expect(view('fa', ['p10', 'p07'])).toContain('<bdi dir="ltr">p10</bdi>، <bdi dir="ltr">p07</bdi>');
    for (const lang of ['fa', 'en'] as const) expect(view(lang, [])).not.toContain('notice partial');
    expect(view('en', ['<b>'])).toContain('&lt;b&gt;');
  });
});
