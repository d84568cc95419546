// A centre and one province as real processes (`tabadol start`), joined the way `npm run cluster`
// joins them (scripts/cluster-nodes.mjs): the province's node certificate from the centre's CA
// (`node-cert issue`), the province started with `--role provincial` on the centre's snapshot, then
// registered at the centre (`POST /v1/nodes`: its node-port URL and record key). Everything on
// 127.0.0.1; the province's ports are chosen beforehand, so that a restart finds the same address
// the registry holds.
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'undici';
import { CLI } from './cli-entry.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { initCa } from '../src/identity/ca.ts';
import { caDirOf } from '../src/node/node-tls.ts';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { JUDICIARY, PERSON_CONTRACT, SERVICE, allowHost } from './harness.ts';
import { nodeCertIssueArgs, provinceNodeEntry, provinceStartArgs, type ProvincePorts } from '../scripts/cluster-nodes.mjs';

export interface NodeProc { child: ChildProcess; ports: { admin: number; http: number; node: number }; pids: number[] }

/** `tabadol …args` as a process of its own; resolves once it reports its ports. */
export function forkTabadol(args: string[]): Promise<NodeProc> {
  const child = fork(CLI.module, args, { execArgv: CLI.execArgv, env: { ...process.env, TABADOL_LOG_LEVEL: 'silent' }, stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ports: NodeProc['ports']; pids: number[] }) => resolve({ child, ports: m.ports, pids: m.pids }));
    child.once('exit', (code, signal) => reject(new Error(`tabadol ${args.slice(2, 3).join(' ')} exited (${code ?? signal})`)));
  });
}

export function freePort(): Promise<number> {
  const server = net.createServer();
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => {
    const port = (server.address() as net.AddressInfo).port;
    server.close(() => resolve(port));
  }));
}

/** Every process of the node at once, as a power cut or the OOM killer would; resolves when it is gone. */
export async function killNode(p: NodeProc): Promise<void> {
  const gone = new Promise<void>((r) => (p.child.exitCode !== null || p.child.signalCode !== null ? r() : p.child.once('exit', () => r())));
  for (const pid of new Set([p.child.pid!, ...p.pids])) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* already gone */ }
  }
  await gone;
}

/** SIGTERM: the node closes its record chain and store. */
export function stopNode(p: NodeProc | undefined): Promise<void> {
  return new Promise((r) => {
    if (!p || p.child.exitCode !== null || p.child.signalCode !== null) return r();
    p.child.once('exit', () => r());
    p.child.kill('SIGTERM');
  });
}

export interface CentreAndProvince {
  root: string;
  centreDir: string;
  provinceDir: string;
  centre: NodeProc;
  province: NodeProc;
  /** Starts the province again on its data directory and ports (after a kill). */
  restartProvince(): Promise<NodeProc>;
  close(): Promise<void>;
}

/**
 * `seedCentre` fills the centre's registry before it starts (subsystems homed on `p23` there are
 * served by the province). The province is p23, Tehran.
 */
export async function startCentreAndProvince(seedCentre: (centreDir: string) => Promise<void>): Promise<CentreAndProvince> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'tabadol-centre-province-'));
  const centreDir = path.join(root, 'central');
  const provinceDir = path.join(root, 'p23');
  const running: NodeProc[] = [];
  const close = async () => {
    for (const p of running.reverse()) await stopNode(p);
    await rm(root, { recursive: true, force: true });
  };
  try {
    await initCa(caDirOf(centreDir), { instance: 'IR' });
    await seedCentre(centreDir);
    const issued = await tabadolInProcess(nodeCertIssueArgs(centreDir, 'p23', provinceDir));
    if (issued.code !== 0) throw new Error(`node-cert issue: ${issued.stderr}`);
    const centre = await forkTabadol(['--data', centreDir, 'start', '--role', 'central', '--http-port', '0', '--no-tls', '--admin-port', '0', '--no-portal',
      '--node-port', '0', '--node-host', '127.0.0.1']);
    running.push(centre);
    const ports: ProvincePorts = { admin: await freePort(), http: await freePort(), node: await freePort() };
    const args = provinceStartArgs({ dataDir: provinceDir, id: 'p23', code: '23', centralDir: centreDir, centralNodeUrl: `https://127.0.0.1:${centre.ports.node}`, ports });
    const province = await forkTabadol(args);
    running.push(province);
    const token = (await readFile(path.join(centreDir, 'keys', 'admin-token'), 'utf8')).trim();
    const added = await request(`http://127.0.0.1:${centre.ports.admin}/v1/nodes`, {
      method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(await provinceNodeEntry({ dataDir: provinceDir, id: 'p23', code: '23', nodePort: ports.node })),
    });
    const text = await added.body.text();
    if (added.statusCode !== 201) throw new Error(`node add p23: ${added.statusCode} ${text}`);
    return {
      root, centreDir, provinceDir, centre, province, close,
      async restartProvince() {
        const again = await forkTabadol(args);
        running.push(again);
        return again;
      },
    };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The centre's registry for the tests across nodes: the NOCR identity subsystem homed on p23, whose
 * person service the judiciary may ask. */
export async function seedCentreWithProvincialService(centreDir: string, providerBaseUrl: string, timeoutMs: number): Promise<void> {
  const opened = await openRegistryAt(centreDir);
  try {
    const r = opened.registry;
    await r.addMember({ memberClass: 'GOV', memberCode: 'NOCR', name: 'National Organization for Civil Registration' });
    await r.addMember({ memberClass: 'GOV', memberCode: 'JUDICIARY', name: 'Judiciary' });
    await r.addSubsystem({ subsystemId: 'IR/GOV/NOCR/identity', homeNode: 'p23', province: '23' });
    await r.addSubsystem({ subsystemId: JUDICIARY });
    await allowHost(opened, new URL(providerBaseUrl).host);
    await r.putService({ serviceId: SERVICE, title: 'Person', baseUrl: providerBaseUrl, contract: PERSON_CONTRACT, timeoutMs });
    await r.grant({ subject: JUDICIARY, serviceId: SERVICE, legalBasis: 'Judiciary act, art. 1' });
  } finally {
    await opened.close();
  }
}
