// The routed row's two nodes: a centre and the province p23, each `tabadol start` in a process of its
// own beside the provider, joined as `npm run cluster` joins them (scripts/cluster-nodes.mjs): the
// province's node certificate from the centre's CA, the province registered at the centre, then
// `start --role provincial` on the centre's snapshot. The bench's provider subsystem is homed on p23, so an
// inquiry sent to the CENTRE's plain-HTTP port goes to p23's node port (mutual TLS) and p23 calls
// the provider: two pipelines, a record on each side, one node-to-node hop.
import path from 'node:path';
import { request } from 'undici';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { initCa } from '../src/identity/ca.ts';
import { caDirOf } from '../src/node/node-tls.ts';
import { loadOrCreateNodeKeys } from '../src/keys/node-keys.ts';
import { nodeCertIssueArgs, provinceNodeEntry, provinceStartArgs } from '../scripts/cluster-nodes.mjs';
import { CLIENT, INQUIRY, seed } from './stack.ts';
import { freePort, nodeFlags, nodeFromBuild, nodeTs, sleep, spawnChild, waitForPort, type Child } from './processes.ts';

export interface Routed { centre: Child; province: Child; httpPort: number }

/** `o.build`: run both nodes from that build (`scripts/build.mjs --out`) rather than dist/; `o.name`
 * keeps its data directories apart from another pair's; `o.provinceCpu`: the province's CPU when it
 * is not `cpu` (the split row). BENCH_NODE_FLAGS go to both nodes. */
export async function startRouted(
  tmp: string, durability: 'full' | 'normal', providerPort: number, cpu: number | undefined, o: { build?: string; name?: string; provinceCpu?: number } = {},
): Promise<Routed> {
  const name = o.name ?? 'routed';
  const centreDir = path.join(tmp, `${name}-central`);
  const provinceDir = path.join(tmp, `${name}-p23`);
  // The node's own argv: its build, then the extra flags, then the CLI's arguments.
  const tabadol = (...args: string[]) => {
    const [exe, ...rest] = o.build === undefined ? nodeTs('src/cli/main.ts', ...args) : nodeFromBuild(o.build, 'src/cli/main.ts', ...args);
    return [exe!, ...nodeFlags(), ...rest];
  };
  const p = { http: await freePort(), admin: await freePort(), node: await freePort() };
  // p23 registered first, at the node port it will listen on, with the record key made in its data
  // directory: a subsystem can be homed only on a registered node. Then the provider's subsystem
  // homed on p23, before the demo registry is seeded around it.
  await loadOrCreateNodeKeys(provinceDir);
  const entry = await provinceNodeEntry({ dataDir: provinceDir, id: 'p23', code: '23', nodePort: p.node });
  const opened = await openRegistryAt(centreDir);
  try {
    await opened.nodes.add(entry, 'bench');
    await opened.registry.addMember({ memberClass: 'GOV', memberCode: 'NOCR', name: 'National Organization for Civil Registration' });
    await opened.registry.addSubsystem({ subsystemId: 'IR/GOV/NOCR/identity', homeNode: 'p23', province: '23' });
  } finally {
    await opened.close();
  }
  await seed(centreDir, `http://127.0.0.1:${providerPort}`);
  await initCa(caDirOf(centreDir), { instance: 'IR' });
  const issue = spawnChild('node-cert issue', nodeTs('src/cli/main.ts', ...nodeCertIssueArgs(centreDir, 'p23', provinceDir)));
  if ((await issue.exited) !== 0) throw new Error(`node-cert issue p23 failed:\n${issue.tail()}`);

  const env = { TABADOL_LOG_LEVEL: 'warn' };
  const c = { http: await freePort(), admin: await freePort(), node: await freePort() };
  // Rollups are pulled once an hour, so that no pull lands inside a measured row.
  const centre = spawnChild(`${name} centre`, tabadol('--data', centreDir, 'start', '--role', 'central', '--http-port', String(c.http), '--no-tls',
    '--admin-port', String(c.admin), '--no-portal', '--node-port', String(c.node), '--node-host', '127.0.0.1', '--durability', durability,
    '--rollup-pull-interval', '3600'), { cpu, env });
  for (const p of [c.http, c.admin, c.node]) await waitForPort(p, centre);

  const province = spawnChild(`${name} province p23`, tabadol(...provinceStartArgs({
    dataDir: provinceDir, id: 'p23', code: '23', centralDir: centreDir, centralNodeUrl: `https://127.0.0.1:${c.node}`, ports: p,
    extra: ['--durability', durability],
  })), { cpu: o.provinceCpu ?? cpu, env });
  for (const port of [p.http, p.admin, p.node]) await waitForPort(port, province);

  // Both nodes load the snapshot listing p23's node port within about a second; the row's probe
  // reports it if routing never starts.
  const url = `http://127.0.0.1:${c.http}/r1/IR/GOV${INQUIRY}`;
  for (const end = Date.now() + 30_000; Date.now() < end; await sleep(200)) {
    const res = await request(url, { headers: { 'X-Road-Client': CLIENT } }).catch(() => undefined);
    await res?.body.text();
    if (res?.statusCode === 200) break;
  }
  return { centre, province, httpPort: c.http };
}
