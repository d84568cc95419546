// The nodes page (/dashboard/nodes) over HTTP on a running central node's portal: the exchanges per
// node are GET /v1/stats?by=node's for the same period (the centre's own and a province's pulled
// rollups); a province's witnessed heads are shown with their age, an old one and a missing one said
// in a sentence, and so is a node homing a subsystem with no standby; operators and overseers read
// it, an inspector is refused, a visitor is sent to log in, and no citizen's data appears. The last
// rollup pull and its lag are read from the centre's records.db (checked on the page's data, with
// the centre's own connection).
import { generateKeyPairSync, sign } from 'node:crypto';
import Database from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { formatJalali, instantToJalali } from '../src/dates/jalali.ts';
import { RemoteRollups } from '../src/oversight/remote-rollups.ts';
import { ROLLUPS_FORMAT, type RollupPage } from '../src/oversight/rollup-changes.ts';
import { COUNTER_COLUMNS, type PulledGrain } from '../src/oversight/rollup-tables.ts';
import { StatsReader, type StatsAnswer } from '../src/oversight/stats.ts';
import { Users } from '../src/portal/accounts/users.ts';
import { monthToDate, nodesData } from '../src/portal/dashboard/pages/nodes-data.ts';
import { keyIdOf, type SignedHead } from '../src/records/heads.ts';
import { checkpointMessage } from '../src/records/record.ts';
import { recordsFile } from '../src/records/record-store.ts';
import { WitnessStore } from '../src/records/witness-store.ts';
import { registryNodesOf } from '../src/registry/nodes.ts';
import { JUDICIARY, SERVICE, useSeededNode } from './harness.ts';

const ctx = useSeededNode({ node: { portalPort: 0 } });
const PASSWORD = 'a long enough password 1';
const CITIZEN = '0012345679';
const TEN_MINUTES = 600_000;

async function portal(path: string, cookie?: string): Promise<{ status: number; location: string; text: string }> {
  const res = await request(`http://127.0.0.1:${ctx.t.node.ports.portal}${path}`, { headers: cookie ? { cookie } : {} });
  return { status: res.statusCode, location: String(res.headers.location ?? ''), text: await res.body.text() };
}

async function login(username: string): Promise<string> {
  const res = await request(`http://127.0.0.1:${ctx.t.node.ports.portal}/login`, {
    method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username, password: PASSWORD }).toString(),
  });
  await res.body.dump();
  expect(res.statusCode, `login of ${username}`).toBe(303);
  const session = ([] as string[]).concat(res.headers['set-cookie'] ?? []).map((c) => c.split(';', 1)[0]!).find((c) => c.startsWith('tabadol_session='));
  expect(session).toBeDefined();
  return session!;
}

const sessions = { operator: '', overseer: '', inspector: '' };

/** The page's sentences of what needs doing, by "kind node", as a person reads them (tags removed). */
function concerns(html: string): Map<string, string> {
  const text = (h: string) => h.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, '&');
  return new Map([...html.matchAll(/<li data-concern="([^"]+)" data-node="([^"]+)">(.*?)<\/li>/g)].map((m) => [`${m[1]} ${m[2]}`, text(m[3]!)]));
}
const recordKey = () => generateKeyPairSync('ed25519');
const keys = { p07: recordKey(), p23: recordKey(), p10: recordKey() };
let records: Database.Database;

/** A signed head of `node`'s chain 0, as its record writer would have signed it at `atMs`. */
function head(node: keyof typeof keys, seq: number, atMs: number): SignedHead {
  const k = keys[node];
  const chainId = `${node}/0`;
  const recordHash = Buffer.alloc(32, seq).toString('base64');
  const at = new Date(atMs).toISOString();
  return {
    chainId, seq, recordHash, at, signature: sign(null, checkpointMessage(chainId, seq, recordHash, at), k.privateKey).toString('base64'),
    publicKey: k.publicKey.export({ type: 'spki', format: 'pem' }).toString(), keyId: keyIdOf(k.publicKey),
  };
}

/** A province's rollups of today as the centre's puller stores them: `n` answered exchanges. */
function pulled(node: string, n: number, at: Date): void {
  const today = instantToJalali(new Date());
  const counters = COUNTER_COLUMNS.map((c) => (c === 'n' ? n : c === 'duration_us' ? n * 20_000 : 0));
  const page = (grain: PulledGrain, period: string): RollupPage => ({
    format: ROLLUPS_FORMAT, node, grain, counters: [...COUNTER_COLUMNS], next: '1', more: false,
    rows: [{ period, key: [JUDICIARY, SERVICE, '/persons/{nationalCode}', 200, ''], counters }],
  });
  const store = new RemoteRollups(records);
  store.store(node, page('day', formatJalali(today)), at);
  store.store(node, page('month', formatJalali(today).slice(0, 7)), at);
}

beforeAll(async () => {
  const { registry } = ctx.t.node;
  const users = new Users(registry.db);
  for (const role of ['operator', 'overseer', 'inspector'] as const) await users.add(`${role}1`, role, PASSWORD);
  for (const role of ['operator', 'overseer', 'inspector'] as const) sessions[role] = await login(`${role}1`);

  // A citizen is looked up at the centre: counted in its own line, never shown on the page.
  expect((await ctx.t.http(`/r1/${SERVICE}/persons/${CITIZEN}`, { headers: { 'X-Road-Client': JUDICIARY } })).status).toBe(200);

  const nodes = registryNodesOf(registry);
  for (const [id, province, port] of [['p07', '07', 5507], ['p23', '23', 5523], ['p10', '10', 5510]] as const) {
    await nodes.add({ id, role: 'provincial', province, url: `https://127.0.0.1:${port}`, recordKey: keys[id].publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  }
  await registry.addMember({ memberClass: 'GOV', memberCode: 'POST', name: 'Post' });
  await registry.addSubsystem({ subsystemId: 'IR/GOV/POST/address' });
  await registry.addSubsystem({ subsystemId: 'IR/GOV/POST/parcels' });
  await registry.setSubsystemNodes('IR/GOV/POST/address', ['p07']);
  await registry.setSubsystemNodes('IR/GOV/POST/parcels', ['p23', 'p07']);

  // Tehran's head arrived now; Fars's ten minutes ago; Isfahan never sent one.
  await new WitnessStore(registry.db).accept('p23', [head('p23', 5, Date.now())]);
  const earlier = Date.now() - TEN_MINUTES;
  await new WitnessStore(registry.db, () => earlier).accept('p07', [head('p07', 3, earlier)]);

  records = new Database(recordsFile(ctx.t.dataDir));
  pulled('p23', 7, new Date());
  pulled('p07', 2, new Date(Date.now() - TEN_MINUTES));
});

afterAll(() => records?.close());

describe('the nodes page', () => {
  it('is for operators and overseers: an inspector is refused, a visitor sent to log in, and only they see it in the navigation', async () => {
    const visitor = await portal('/dashboard/nodes');
    expect(visitor.status).toBe(303);
    expect(visitor.location).toBe('/login?next=%2Fdashboard%2Fnodes');
    const inspector = await portal('/dashboard/nodes', sessions.inspector);
    expect(inspector.status).toBe(403);
    expect(inspector.text).not.toContain('p07');
    expect((await portal('/dashboard', sessions.inspector)).text).not.toContain('href="/dashboard/nodes"');
    for (const role of ['operator', 'overseer'] as const) {
      const page = await portal('/dashboard/nodes', sessions[role]);
      expect(page.status, role).toBe(200);
      expect(page.text).toContain('<html lang="fa" dir="rtl">');
      expect(page.text).toContain('<a href="/dashboard/nodes" aria-current="page">');
      expect(page.text).toContain('فارس');
      expect(page.text).not.toMatch(/TabadolError|undefined|NaN/);
    }
  });

  it('gives each node the exchanges GET /v1/stats?by=node gives for the same period, this month by default', async () => {
    const today = instantToJalali(new Date());
    const { from, to } = monthToDate(today);
    const res = await request(`http://127.0.0.1:${ctx.t.node.ports.admin}/v1/stats?by=node&from=${formatJalali(from)}&to=${formatJalali(to)}`, {
      headers: { authorization: `Bearer ${ctx.t.node.keys.adminToken}` },
    });
    const answer = await res.body.json() as StatsAnswer;
    expect(Object.fromEntries(answer.lines.map((l) => [l.key, l.count]))).toMatchObject({ p23: 7, p07: 2 });
    const page = await portal('/dashboard/nodes?lang=en', sessions.overseer);
    expect(page.text).toContain(`Period: ${answer.from} to ${answer.to}`);
    const shown = Object.fromEntries([...page.text.matchAll(/data-node-count="([^"]+)">([\d,]+)</g)].map((m) => [m[1], Number(m[2]!.replace(/,/g, ''))]));
    expect(shown).toEqual(Object.fromEntries(answer.lines.map((l) => [l.key, l.count])));
    expect(/data-figure="exchanges">([\d,]+)</.exec(page.text)?.[1]?.replace(/,/g, '')).toBe(String(answer.total.count));
    // The chart is drawn by /assets/dashboard.js from its JSON block; the table beside it has the same numbers.
    expect(page.text).toContain('data-chart="chart-nodes"');
    const option = JSON.parse(/<script type="application\/json" id="chart-nodes">(.*?)<\/script>/.exec(page.text)![1]!) as { xAxis: { data: string[] }; series: { data: number[] }[] };
    expect(option.xAxis.data.slice(0, 2)).toEqual(['p23 (Tehran)', 'p07 (Fars)']);
    expect(option.series[0]!.data.reduce((a, b) => a + b, 0)).toBe(answer.total.count);
    expect(page.text).toContain('tabadol scenario country');
    expect(page.text).not.toContain('<script>');
  });

  it('shows how old each witnessed head is and says what an operator must do, in English and in Persian', async () => {
    const en = await portal('/dashboard/nodes?lang=en', sessions.operator);
    expect(/data-head-age="p23">(\d+) seconds?</.exec(en.text)).not.toBeNull();
    expect(en.text).toMatch(/data-head-age="p07"><strong>1\d minutes — overdue<\/strong>/);
    const said = concerns(en.text);
    expect(said.get('old-heads p07')).toMatch(/^Node p07: the newest chain head the centre witnessed arrived 1\d minutes ago \(more than 3 minutes\)/);
    expect(said.get('no-heads p10')).toMatch(/^Node p10: the centre has witnessed no chain head of this node/);
    expect(said.has('old-heads p23')).toBe(false);
    // The rollup pulls, as the portal reads them from the centre's records.db.
    expect(en.text).toMatch(/data-pull-lag="p07"><strong>1\d minutes — overdue/);
    expect(said.get('never-pulled p10')).toMatch(/^Node p10: the centre has never pulled/);
    expect(said.get('no-standby p07')).toBe('Node p07 is the home node of 1 subsystem with no standby (IR/GOV/POST/address): if it stops, its services cannot be reached. '
      + 'Add a standby: tabadol subsystem nodes <ID> p07 <OTHER-NODE>');
    // p23 homes a subsystem that p07 stands by for: nothing to say about p23's standbys.
    expect(said.has('no-standby p23')).toBe(false);
    const fa = await portal('/dashboard/nodes?lang=fa', sessions.operator);
    expect(concerns(fa.text).get('no-standby p07')).toMatch(/^گره p07 گره اصلی ۱ زیرسامانه است که هیچ گره پشتیبانی ندارند \(IR\/GOV\/POST\/address\)/);
    expect(fa.text).toMatch(/data-head-age="p07"><strong>۱[۰-۹] دقیقه — دیر شده<\/strong>/);
  });

  it('shows nothing of a citizen', async () => {
    for (const lang of ['fa', 'en']) {
      const page = await portal(`/dashboard/nodes?lang=${lang}`, sessions.operator);
      expect(page.text).not.toContain(CITIZEN);
      expect(page.text).not.toContain('۰۰۱۲۳۴۵۶۷۹');
      expect(page.text).not.toContain('persons/');
    }
  });

  it('refuses a bad period with a sentence and shows this month instead', async () => {
    const page = await portal('/dashboard/nodes?lang=en&from=1403/13/01', sessions.operator);
    expect(page.status).toBe(400);
    expect(page.text).toContain('This month to date is shown instead.');
    expect(page.text).toContain('value="1403/13/01"');
  });

  it('reads the last rollup pull of each node and its lag from the centre\'s records.db, and names a node not reached', async () => {
    const { registry } = ctx.t.node;
    const d = await nodesData({ registry, stats: new StatsReader(records, { nodeId: 'central' }), rollupPulls: { intervalMs: 60_000 }, now: Date.now },
      monthToDate(instantToJalali(new Date())));
    const byId = new Map(d.nodes.map((n) => [n.id, n]));
    expect(byId.get('p23')!.pull!.lagMs).toBeLessThan(TEN_MINUTES / 2);
    expect(byId.get('p07')!.pull!.lagMs).toBeGreaterThanOrEqual(TEN_MINUTES);
    expect(byId.get('p10')!.pull).toBeNull();
    expect(byId.get('central')!.pull).toBeDefined();
    expect(d.concerns).toEqual(expect.arrayContaining([
      { kind: 'not-reached', node: 'p07', url: 'https://127.0.0.1:5507', lagMs: byId.get('p07')!.pull!.lagMs },
      { kind: 'never-pulled', node: 'p10', url: 'https://127.0.0.1:5510' },
    ]));
    expect(d.concerns.some((c) => c.node === 'p23' && (c.kind === 'not-reached' || c.kind === 'never-pulled' || c.kind === 'old-heads'))).toBe(false);
    // Without that connection the page says it cannot see the pulls, and claims nothing about them.
    const blind = await nodesData({ registry, stats: new StatsReader(records, { nodeId: 'central' }), now: Date.now }, monthToDate(instantToJalali(new Date())));
    expect(blind.pullsKnown).toBe(false);
    expect(blind.concerns.some((c) => c.kind === 'not-reached' || c.kind === 'never-pulled')).toBe(false);
  });
});
