// An exchange that crosses two nodes, seen by an auditor and an operator: a centre and the province
// p23 as real processes (test/cluster-processes.ts), the person service homed on p23. Each node's
// record names the other node (peer_node) and the two still join on X-Road-Id, request id and
// request hash; `audit verify` passes on both stores; the province's /metrics counts the exchange
// the centre routed to it apart from its own door's; and a province below its disk reserve refuses
// a routed exchange with its data door's coded error, without calling the provider.
import path from 'node:path';
import { readFile } from 'node:fs/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDICIARY, SERVICE, readRows, startTestProvider, until } from './harness.ts';
import { forkTabadol, seedCentreWithProvincialService, startCentreAndProvince, stopNode, type CentreAndProvince, type NodeProc } from './cluster-processes.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { provinceStartArgs } from '../scripts/cluster-nodes.mjs';
import { recordsFile } from '../src/records/record-store.ts';
import { routedChainId } from '../src/node/exchange-routes.ts';

interface Row { chain_id: string; request_id: string; request_hash: string; client: string; status: number; error_type: string | null; peer_node: string | null }

let cluster: CentreAndProvince | undefined;
/** The province as this file restarted it (below its disk reserve). */
let restarted: NodeProc | undefined;
let provider: Awaited<ReturnType<typeof startTestProvider>>;

function recordsOf(dataDir: string, xroadId: string): Row[] {
  return readRows<Row>(recordsFile(dataDir), 'select chain_id, request_id, request_hash, client, status, error_type, peer_node from records where xroad_id = ?', xroadId);
}

/** An inquiry at a node's plain-HTTP data door. */
const inquiry = (port: number, id: string) => request(`http://127.0.0.1:${port}/r1/${SERVICE}/persons/0012345679`, {
  headers: { 'x-road-client': JUDICIARY, 'x-road-id': id },
}).then(async (res) => ({ status: res.statusCode, error: res.headers['x-road-error'] as string | undefined, headers: res.headers, text: await res.body.text() }));

async function metrics(dataDir: string, adminPort: number): Promise<string> {
  const token = (await readFile(path.join(dataDir, 'keys', 'admin-token'), 'utf8')).trim();
  const res = await request(`http://127.0.0.1:${adminPort}/metrics`, { headers: { authorization: `Bearer ${token}` } });
  expect(res.statusCode).toBe(200);
  return res.body.text();
}

/** The sum of a counter's series whose labels include every `labels` pair. */
function counter(text: string, name: string, labels: Record<string, string>): number {
  let sum = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`)) continue;
    if (Object.entries(labels).every(([k, v]) => line.includes(`${k}="${v}"`))) sum += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return sum;
}

beforeAll(async () => {
  provider = await startTestProvider();
  cluster = await startCentreAndProvince((centreDir, province) => seedCentreWithProvincialService(centreDir, provider.baseUrl, 5000, province));
  // Routing starts once both nodes run on the snapshot that lists p23's node port.
  const first = await until(() => inquiry(cluster!.centre.ports.http, 'IR-routing-ready'), (r) => r.status === 200, 30_000);
  expect(first.status, first.text).toBe(200);
}, 90_000);

afterAll(async () => {
  await stopNode(restarted);
  await cluster?.close();
  await provider?.close();
});

describe('an exchange across two nodes, for the auditor and the operator', () => {
  it('is counted once in the statistics, on the node it was asked at: the provider node\'s rollups leave its routed chain out', async () => {
    const c = cluster!;
    expect((await inquiry(c.centre.ports.http, 'IR-counted-once')).status).toBe(200);
    const count = async (dataDir: string) => {
      const out = await tabadolInProcess(['--data', dataDir, 'stats', '--by', 'node', '--json']);
      expect(out.code, out.stderr).toBe(0);
      return (JSON.parse(out.stdout) as { lines: { count: number }[] }).lines.reduce((a, l) => a + l.count, 0);
    };
    const records = (dataDir: string, routed: boolean) =>
      readRows<{ n: number }>(recordsFile(dataDir), `select count(*) as n from records where chain_id ${routed ? '' : 'not '}like '%/routed'`)[0]!.n;
    expect(records(c.provinceDir, true)).toBeGreaterThan(0);
    // Rollups are written in the records' own transaction: no waiting for them.
    expect(await count(c.provinceDir)).toBe(records(c.provinceDir, false));
    expect(await count(c.centreDir)).toBe(records(c.centreDir, false));
  });

  it('each node\'s record names the other node; the two join on X-Road-Id, request id and request hash; both stores verify', async () => {
    const c = cluster!;
    const xroadId = 'IR-peer-node-1';
    const res = await inquiry(c.centre.ports.http, xroadId);
    expect(res.status, res.text).toBe(200);
    const consumerSide = recordsOf(c.centreDir, xroadId);
    const providerSide = recordsOf(c.provinceDir, xroadId);
    expect(consumerSide).toMatchObject([{ chain_id: 'central/0', peer_node: 'p23' }]);
    expect(providerSide).toMatchObject([{ chain_id: routedChainId('p23'), peer_node: 'central' }]);
    for (const r of [...consumerSide, ...providerSide]) {
      expect(r).toMatchObject({ client: JUDICIARY, status: 200, error_type: null });
      expect(r.request_id).toBe(res.headers['x-road-request-id']);
      expect(r.request_hash).toBe(res.headers['x-road-request-hash']);
    }
    // An exchange served by one node (the province's own door) names no peer, in the same store.
    const local = await inquiry(c.province.ports.http, 'IR-peer-node-local');
    expect(local.status, local.text).toBe(200);
    expect(recordsOf(c.provinceDir, 'IR-peer-node-local')).toMatchObject([{ chain_id: 'p23/0', peer_node: null }]);

    for (const dir of [c.centreDir, c.provinceDir]) {
      const verified = await tabadolInProcess(['--data', dir, 'audit', 'verify']);
      expect(verified.stderr).toBe('');
      expect(verified.code).toBe(0);
      const chains = (JSON.parse(verified.stdout) as { chains: { chainId: string; ok: boolean }[] }).chains;
      expect(chains.length).toBeGreaterThan(0);
      expect(chains.every((ch) => ch.ok)).toBe(true);
    }
  }, 30_000);

  it('the province\'s /metrics counts an exchange routed to it, by the routing node, apart from its own door\'s', async () => {
    const c = cluster!;
    const routed = { service: SERVICE, client: JUDICIARY, peer_node: 'central', status: '200' };
    const door = { service: SERVICE, client: JUDICIARY, status: '200' };
    const before = await metrics(c.provinceDir, c.province.ports.admin);

    expect((await inquiry(c.centre.ports.http, 'IR-peer-node-metrics')).status).toBe(200);
    const afterRouted = await metrics(c.provinceDir, c.province.ports.admin);
    expect(counter(afterRouted, 'tabadol_routed_exchanges_total', routed)).toBe(counter(before, 'tabadol_routed_exchanges_total', routed) + 1);
    expect(counter(afterRouted, 'tabadol_exchanges_total', door)).toBe(counter(before, 'tabadol_exchanges_total', door));
    expect(afterRouted).toMatch(/^tabadol_routed_exchange_duration_seconds_count\{service="IR\/GOV\/NOCR\/identity\/person"\} [1-9]/m);

    // The province's own door counts in tabadol_exchanges_total only.
    expect((await inquiry(c.province.ports.http, 'IR-peer-node-metrics-local')).status).toBe(200);
    const afterLocal = await metrics(c.provinceDir, c.province.ports.admin);
    expect(counter(afterLocal, 'tabadol_routed_exchanges_total', {})).toBe(counter(afterRouted, 'tabadol_routed_exchanges_total', {}));
    expect(counter(afterLocal, 'tabadol_exchanges_total', door)).toBe(counter(afterRouted, 'tabadol_exchanges_total', door) + 1);

    // The consumer's node routed, it served none for another node.
    expect(counter(await metrics(c.centreDir, c.centre.ports.admin), 'tabadol_routed_exchanges_total', {})).toBe(0);
  }, 30_000);

  it('a province below its disk reserve refuses a routed exchange with its data door\'s coded error, before calling the provider', async () => {
    const c = cluster!;
    // The province again, on its data directory and ports, with a reserve no disk can hold.
    await stopNode(c.province);
    restarted = await forkTabadol(provinceStartArgs({
      dataDir: c.provinceDir, id: 'p23', code: '23', centralDir: c.centreDir, centralNodeUrl: `https://127.0.0.1:${c.centre.ports.node}`,
      ports: { admin: c.province.ports.admin, http: c.province.ports.http, node: c.province.ports.node }, extra: ['--min-free-disk', '99999999GB'],
    }));
    provider.reset();

    const atDoor = await inquiry(restarted.ports.http, 'IR-disk-door');
    expect(atDoor.status).toBe(500);
    expect(atDoor.error).toBe('Server.ServerProxy.RecordFailed');
    // The centre's pooled connections to the stopped process may need a moment to be replaced.
    const routed = await until(() => inquiry(c.centre.ports.http, 'IR-disk-routed'), (r) => r.error === 'Server.ServerProxy.RecordFailed', 20_000);
    expect(routed.status).toBe(atDoor.status);
    expect(routed.error).toBe(atDoor.error);
    expect(JSON.parse(routed.text)).toMatchObject({ type: 'Server.ServerProxy.RecordFailed' });
    expect(provider.calls).toHaveLength(0);
    // The consumer's node recorded the refusal, naming the node that refused; the province wrote
    // nothing, as its door does below the reserve.
    expect(recordsOf(c.centreDir, 'IR-disk-routed').at(-1)).toMatchObject({ peer_node: 'p23', error_type: 'Server.ServerProxy.RecordFailed' });
    expect(recordsOf(c.provinceDir, 'IR-disk-routed')).toEqual([]);
  }, 60_000);
});
