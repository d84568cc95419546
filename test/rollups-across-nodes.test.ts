// Statistics across two real nodes: the central node pulls the province's day and month rollups
// (never raw records) over the node port, and its statistics then cover both; rows the province
// counts again after a pull are pulled again and replace, not add to, the centre's copy. Also: the
// cursor survives an old records.db, only the province's centre may pull, and a pull carries no
// raw record field.
import Database from 'better-sqlite3';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDICIARY, POLICE, SERVICE, seedRegistry, startTestProvider, type TestNode } from './harness.ts';
import { makeExchange, nodeUrl, startCentre, startProvince, type Exchange } from './two-nodes.ts';
import { recordsFile } from '../src/records/record-store.ts';
import { RollupChanges, type RollupPage } from '../src/oversight/rollup-changes.ts';
import { COUNTER_COLUMNS, createRollupTables } from '../src/oversight/rollup-tables.ts';
import type { StatsAnswer } from '../src/oversight/stats.ts';

let x: Exchange;
let centre: TestNode;
let province: TestNode;
let provider: Awaited<ReturnType<typeof startTestProvider>>;

const inquire = (t: TestNode, i: number, client = JUDICIARY) => t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'x-road-client': client, 'x-road-id': `${t.node.config.nodeId}-${i}` } });

async function traffic(t: TestNode, n: number, from: number): Promise<void> {
  for (let i = from; i < from + n; i++) expect((await inquire(t, i)).status).toBe(200);
  // Refused (the police may call /verify only): counted as refused, by consumer.
  expect((await inquire(t, from + n, POLICE)).status).not.toBe(200);
}

async function stats(by: string): Promise<StatsAnswer> {
  const res = await request(`http://127.0.0.1:${centre.node.ports.admin}/v1/stats?by=${by}&compare=false`, { headers: { authorization: `Bearer ${centre.node.keys.adminToken}` } });
  expect(res.statusCode).toBe(200);
  return await res.body.json() as StatsAnswer;
}

const counts = (a: StatsAnswer) => Object.fromEntries(a.lines.map((l) => [l.key, l.count]));
/** By node: the province's line, and the centre's own (named for the centre once its control plane
 * gives the statistics its node id; 'local' until then). */
const byNode = (a: StatsAnswer) => {
  const c = counts(a);
  const own = Object.keys(c).filter((k) => k !== 'p23');
  expect(own.length).toBeLessThanOrEqual(1);
  return { own: own[0] === undefined ? 0 : c[own[0]], p23: c.p23 ?? 0 };
};

beforeAll(async () => {
  x = await makeExchange();
  provider = await startTestProvider();
  // The province first: the centre is told where it listens. The province's heads are not what
  // this file tests; its centre's address is a closed port.
  province = await startProvince(x, { centralNode: { nodeId: 'central', url: 'https://127.0.0.1:9' }, witnessIntervalMs: 3600_000 });
  centre = await startCentre(x, { provinceNodes: [{ nodeId: 'p23', url: nodeUrl(province) }], rollupPullIntervalMs: 3600_000 });
  for (const t of [province, centre]) {
    await seedRegistry(t.node, provider.baseUrl);
    await t.sync();
  }
});

afterAll(async () => {
  await centre?.close();
  await province?.close();
  await provider?.close();
  await x?.cleanup();
});

describe('rollups pulled by the central node', () => {
  it('make the centre\'s statistics the sum of its own and the province\'s', async () => {
    await traffic(centre, 3, 0);
    await traffic(province, 5, 0);
    await centre.node.exchanges!.rollups!.pull();

    const byProvider = await stats('provider');
    expect(byProvider.total.count).toBe(3 + 1 + 5 + 1);
    expect(counts(byProvider)).toEqual({ 'IR/GOV/NOCR/identity': 10 });
    const byConsumer = await stats('consumer');
    expect(counts(byConsumer)).toEqual({ [JUDICIARY]: 8, [POLICE]: 2 });
    expect(byConsumer.total.refused).toBe(2);
    expect(byNode(await stats('node'))).toEqual({ own: 4, p23: 6 });
  });

  it('pull rows counted again after the last pull, replacing the centre\'s copy rather than adding to it', async () => {
    await traffic(province, 4, 100);
    await centre.node.exchanges!.rollups!.pull();
    expect(byNode(await stats('node'))).toEqual({ own: 4, p23: 6 + 5 });
    // Nothing new: a pull changes nothing.
    await centre.node.exchanges!.rollups!.pull();
    const again = await stats('provider');
    expect(again.total.count).toBe(4 + 11);
    expect(again.total.answered).toBe(3 + 9);
  });

  it('carry no raw record field: keys as text, counters, no subject hash, user, message id or national code', async () => {
    const asCentre = await x.clientAs('central');
    const res = await asCentre.request('p23', nodeUrl(province), '/node/v1/rollups?grain=day');
    expect(res.statusCode).toBe(200);
    const text = await res.body.text();
    const page = JSON.parse(text) as RollupPage;
    expect(page.rows.length).toBeGreaterThan(0);
    for (const r of page.rows) expect(Object.keys(r).sort()).toEqual(['counters', 'key', 'period']);
    expect(page.counters).toEqual(COUNTER_COLUMNS);

    const db = new Database(recordsFile(x.provinceDir), { readonly: true });
    const raw = db.prepare('select subject_hash, user_id, xroad_id, request_hash, response_hash from records').all() as Record<string, string | null>[];
    db.close();
    const values = raw.flatMap((r) => Object.values(r)).filter((v): v is string => typeof v === 'string' && v.length > 0);
    expect(values.length).toBeGreaterThan(0);
    for (const v of values) expect(text).not.toContain(v);
    expect(text).not.toContain('0012345679');
    expect(text).not.toMatch(/subject|userId|xroadId|x-road-id/i);
  });

  it('are given to the province\'s central node only', async () => {
    const asP07 = await x.clientAs('p07');
    const res = await asP07.request('p23', nodeUrl(province), '/node/v1/rollups?grain=month');
    expect([res.statusCode, res.headers['x-road-error']]).toEqual([403, 'Node.NotCentralNode']);
    await res.body.dump();
    const asCentre = await x.clientAs('central');
    const bad = await asCentre.request('p23', nodeUrl(province), '/node/v1/rollups?grain=hour');
    expect([bad.statusCode, bad.headers['x-road-error']]).toEqual([400, 'Admin.InvalidInput']);
    await bad.body.dump();
  });
});

describe('the change cursor', () => {
  it('is added to a records.db written before it, whose rows are pulled from the start', () => {
    const db = new Database(':memory:');
    // The day table as an earlier version made it: no `changed` column.
    db.exec(`create table rollup_keys (id integer primary key, client text not null, service text not null, endpoint text not null, status integer not null, error_type text not null, unique (client, service, endpoint, status, error_type));
      create table rollup_day (period text not null, key_id integer not null, ${COUNTER_COLUMNS.map((c) => `${c} integer not null default 0`).join(', ')}, primary key (period, key_id)) without rowid;
      insert into rollup_keys values (1, '${JUDICIARY}', '${SERVICE}', '/persons/{nationalCode}', 200, '');
      insert into rollup_day (period, key_id, n) values ('1399/07/01', 1, 7);`);
    createRollupTables(db);
    createRollupTables(db);
    const changes = new RollupChanges(db, 'p23');
    const first = changes.page('day', '');
    expect(first.rows).toEqual([expect.objectContaining({ period: '1399/07/01', key: [JUDICIARY, SERVICE, '/persons/{nationalCode}', 200, ''] })]);
    expect(first.rows[0]!.counters[0]).toBe(7);
    expect(changes.page('day', first.next).rows).toEqual([]);
    // Pages end mid-counter and resume after their last row.
    db.exec("insert into rollup_day (period, key_id, n) values ('1399/07/02', 1, 1), ('1399/07/03', 1, 1)");
    const one = changes.page('day', '', 1);
    expect(one.more).toBe(true);
    const rest = changes.page('day', one.next);
    expect([...one.rows, ...rest.rows].map((r) => r.period)).toEqual(['1399/07/01', '1399/07/02', '1399/07/03']);
    expect(() => changes.page('day', 'x')).toThrow(/cursor/);
    db.close();
  });
});
