// A partition between real node processes: the centre runs on a host of its own (a network
// namespace, test/netns.ts), the provinces p23 and p07 and the provider on the test's host, and the
// line between the two hosts is cut for real (packets dropped silently both ways) and healed.
//
// The registry: the person service is served by the centre with p07 standing by; the post's parcel
// service is homed on p23. What must hold while the line is cut: p23 keeps answering its own
// province's inquiries on its cached snapshot; an inquiry for the person service, asked at p23,
// fails over to p07 (the first may instead end in a coded timeout, never a false 200) and every 200
// has a record on the node that carried it. Once healed: p23 goes back to the centre after the
// centre answers its health check, the centre witnesses p23's chain heads written during the cut,
// and its statistics count the exchanges p23 answered during the cut.
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JUDICIARY, PERSON_CONTRACT, SERVICE, allowHost, readRows, startTestProvider, waitFor } from './harness.ts';
import { forkTabadol, freePort, stopNode, type NodeProc } from './cluster-processes.ts';
import { makeNetwork, netnsUnavailable, type Network } from './netns.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { initCa } from '../src/identity/ca.ts';
import { caDirOf } from '../src/node/node-tls.ts';
import { loadOrCreateNodeKeys } from '../src/keys/node-keys.ts';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { recordsFile } from '../src/records/record-store.ts';
import { nodeCertIssueArgs, provinceStartArgs, recordKeyFile } from '../scripts/cluster-nodes.mjs';

const PARCEL = 'IR/GOV/POST/tehran/parcel';
const CENTRE_NODE_PORT = 5500;

const ctx = {} as {
  net: Network; root: string; dirs: Record<'central' | 'p23' | 'p07', string>;
  provider: Awaited<ReturnType<typeof startTestProvider>>;
  centre: NodeProc; p23: NodeProc; p07: NodeProc; nodePorts: Record<'p23' | 'p07', number>;
};

async function seedCentre(): Promise<void> {
  const { dirs, net, nodePorts } = ctx;
  await initCa(caDirOf(dirs.central), { instance: 'IR' });
  const opened = await openRegistryAt(dirs.central);
  try {
    for (const [id, code] of [['p23', '23'], ['p07', '07']] as const) {
      await loadOrCreateNodeKeys(dirs[id]);
      await opened.nodes.add({ id, role: 'provincial', province: code, url: `https://${net.localAddress}:${nodePorts[id]}`, recordKey: await readFile(recordKeyFile(dirs[id]), 'utf8') });
    }
    await opened.nodes.add({ id: 'central', role: 'central', url: `https://${net.remoteAddress}:${CENTRE_NODE_PORT}` });
    const r = opened.registry;
    for (const [code, name] of [['NOCR', 'National Organization for Civil Registration'], ['POST', 'Post'], ['JUDICIARY', 'Judiciary']]) {
      await r.addMember({ memberClass: 'GOV', memberCode: code!, name: name! });
    }
    await r.addSubsystem({ subsystemId: 'IR/GOV/NOCR/identity' });
    await r.setSubsystemNodes('IR/GOV/NOCR/identity', ['central', 'p07']);
    await r.addSubsystem({ subsystemId: 'IR/GOV/POST/tehran', homeNode: 'p23', province: '23' });
    await r.addSubsystem({ subsystemId: JUDICIARY });
    await allowHost(opened, new URL(ctx.provider.baseUrl).host);
    for (const serviceId of [SERVICE, PARCEL]) {
      await r.putService({ serviceId, title: serviceId, baseUrl: ctx.provider.baseUrl, contract: PERSON_CONTRACT, timeoutMs: 2000 });
      await r.grant({ subject: JUDICIARY, serviceId, legalBasis: 'Judiciary act, art. 1' });
    }
  } finally {
    await opened.close();
  }
}

async function startProvince(id: 'p23' | 'p07', code: string): Promise<NodeProc> {
  const issued = await tabadolInProcess(nodeCertIssueArgs(ctx.dirs.central, id, ctx.dirs[id]));
  if (issued.code !== 0) throw new Error(`node-cert issue ${id}: ${issued.stderr}`);
  return forkTabadol(provinceStartArgs({
    dataDir: ctx.dirs[id], id, code, centralDir: ctx.dirs.central, centralNodeUrl: `https://${ctx.net.remoteAddress}:${CENTRE_NODE_PORT}`,
    ports: { admin: await freePort(), http: await freePort(), node: ctx.nodePorts[id] },
    // The node port where the centre, on the other host, reaches it; heads witnessed every second.
    extra: ['--node-host', '0.0.0.0', '--witness-interval', '1'],
  }));
}

/** An inquiry at p23's data port: the judiciary asks for `serviceId`. */
async function askAtP23(serviceId: string, xroadId = `IR-${randomUUID()}`) {
  const res = await request(`http://127.0.0.1:${ctx.p23.ports.http}/r1/${serviceId}/persons/0012345679`, {
    headers: { 'x-road-client': JUDICIARY, 'x-road-id': xroadId },
  });
  return { xroadId, status: res.statusCode, error: res.headers['x-road-error'] as string | undefined, body: await res.body.text() };
}

/** The chains of `node`'s records.db that hold the exchange. */
const chainsOf = (node: 'central' | 'p23' | 'p07', xroadId: string) =>
  readRows<{ chain_id: string; status: number }>(recordsFile(ctx.dirs[node]), 'select chain_id, status from records where xroad_id = ?', xroadId);

/** Which provider node's half recorded the exchange. */
function carrier(xroadId: string): string {
  return (['central', 'p07'] as const).filter((n) => chainsOf(n, xroadId).some((r) => r.chain_id === `${n}/routed`)).join('+') || 'none';
}

/** p23's exchanges in the centre's statistics (its own and the rollups it pulled), or undefined. */
async function centreCountOfP23(): Promise<number | undefined> {
  const out = await tabadolInProcess(['--data', ctx.dirs.central, 'stats', '--by', 'node', '--json']);
  if (out.code !== 0) return undefined;
  return (JSON.parse(out.stdout) as { lines: { key: string; count: number }[] }).lines.find((l) => l.key === 'p23')?.count;
}

/** The exchanges p23 recorded (each counted once in its rollups), and its newest signed head. */
const p23Records = () => readRows<{ n: number }>(recordsFile(ctx.dirs.p23), 'select count(*) as n from records')[0]!.n;
const p23Head = () => readRows<{ seq: number | null }>(recordsFile(ctx.dirs.p23), "select max(seq) as seq from checkpoints where chain_id = 'p23/0'")[0]!.seq ?? 0;

// Network namespaces need root and iproute2: where they cannot be made (a developer's own account),
// the suite says why and is left out; in CI it always runs (netns.ts).
const unavailable = netnsUnavailable();
if (unavailable !== undefined) console.warn(`test/partition.test.ts left out: ${unavailable} (run as root with iproute2, as .ci/run does)`);

(unavailable === undefined ? describe : describe.skip)('a partition between the centre and the provinces', () => {
  beforeAll(async () => {
    ctx.net = await makeNetwork();
    ctx.root = await mkdtemp(path.join(os.tmpdir(), 'tabadol-partition-'));
    ctx.dirs = { central: path.join(ctx.root, 'central'), p23: path.join(ctx.root, 'p23'), p07: path.join(ctx.root, 'p07') };
    // On the test's host, where the centre reaches it across the line too.
    ctx.provider = await startTestProvider(ctx.net.localAddress);
    ctx.nodePorts = { p23: await freePort(), p07: await freePort() };
    await seedCentre();
    // The centre alone on its host: every port is free there.
    ctx.centre = await ctx.net.startRemote(['--data', ctx.dirs.central, 'start', '--role', 'central', '--http-port', '0',
      '--no-tls', '--admin-port', '0', '--no-portal', '--node-port', String(CENTRE_NODE_PORT), '--node-host', '0.0.0.0', '--rollup-pull-interval', '1']);
    ctx.p23 = await startProvince('p23', '23');
    ctx.p07 = await startProvince('p07', '07');
    // Routing starts once every node runs on the snapshot that lists the others.
    await waitFor('p23 to route to the centre', async () => (await askAtP23(SERVICE)).status === 200, 40_000);
  }, 120_000);

  afterAll(async () => {
    await ctx.net?.heal().catch(() => undefined);
    for (const p of [ctx.p07, ctx.p23, ctx.centre]) await stopNode(p);
    await ctx.provider?.close();
    await ctx.net?.close();
    if (ctx.root) await rm(ctx.root, { recursive: true, force: true });
  });

  const before = { head: 0, count: 0 };

  it('before the cut, the person service is carried by the centre, its home node, and the centre has counted all of p23', async () => {
    const r = await askAtP23(SERVICE);
    expect(r.status).toBe(200);
    expect(carrier(r.xroadId)).toBe('central');
    before.count = await waitFor('the centre to count every exchange p23 recorded', async () => {
      const [mine, counted] = [p23Records(), await centreCountOfP23()];
      return counted === mine ? mine : undefined;
    }, 30_000);
    before.head = p23Head();
  }, 40_000);

  it('during the cut, p23 answers its own province on its cached snapshot, and the person service fails over to p07', async () => {
    await ctx.net.cut();
    for (let i = 0; i < 3; i++) {
      const local = await askAtP23(PARCEL);
      expect(local.status).toBe(200);
      expect(chainsOf('p23', local.xroadId)).toMatchObject([{ chain_id: 'p23/0', status: 200 }]);
    }
    // The first inquiry may find a connection to the centre open from before the cut, and end in a
    // coded timeout; or find none, time out connecting and fail over. Never a 200 nobody carried.
    const first = await askAtP23(SERVICE);
    if (first.status === 200) expect(carrier(first.xroadId)).toBe('p07');
    else expect(['Server.ServerProxy.ServiceTimeout', 'Server.ClientProxy.NetworkError']).toContain(first.error);
    // From then on the centre is down for p23, and p07 carries the person service at once.
    for (let i = 0; i < 3; i++) {
      const r = await askAtP23(SERVICE);
      expect(r.status, r.body).toBe(200);
      expect(carrier(r.xroadId)).toBe('p07');
    }
  }, 60_000);

  it('once healed, p23 goes back to the centre, which witnesses p23\'s heads from the cut and counts each of its exchanges once', async () => {
    const headDuringCut = p23Head();
    expect(headDuringCut).toBeGreaterThan(before.head);
    await ctx.net.heal();
    await waitFor('p23 to route to the centre again', async () => {
      const r = await askAtP23(SERVICE);
      return r.status === 200 && carrier(r.xroadId) === 'central';
    }, 40_000);
    const registry = path.join(ctx.dirs.central, 'registry.db');
    await waitFor('the centre to witness p23\'s head from the cut', () =>
      (readRows<{ seq: number }>(registry, "select seq from witnessed_heads where chain_id = 'p23/0'")[0]?.seq ?? -1) >= headDuringCut, 30_000);
    // Every exchange p23 recorded, those of the cut included, in the centre's statistics once it
    // pulls p23's rollups: counted once, neither lost nor counted again.
    const counted = await waitFor('the centre to count p23\'s exchanges from the cut', async () => {
      const [mine, counted] = [p23Records(), await centreCountOfP23()];
      return counted === mine ? mine : undefined;
    }, 30_000);
    expect(counted).toBeGreaterThanOrEqual(before.count + 7);
  }, 90_000);
});
