// A centre and one province as real processes (`tabadol start`), joined the way `npm run cluster`
// joins them (scripts/cluster-nodes.mjs): the province's node certificate from the centre's CA
// (`node-cert issue`), registered at the centre before it starts (`node add`: its node-port URL and
// record key; a subsystem can be homed only on a registered node), then started with `--role
// provincial` on the centre's snapshot. Everything on 127.0.0.1; the province's ports are chosen
// beforehand, so that the registry holds its address from the start and a restart finds it again.
import os from 'node:os';
import path from 'node:path';
import net from 'node:net';
import { fork, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { CLI } from './cli-entry.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';
import { initCa } from '../src/identity/ca.ts';
import { caDirOf } from '../src/node/node-tls.ts';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { JUDICIARY, PERSON_CONTRACT, SERVICE, allowHost } from './harness.ts';
import { nodeCertIssueArgs, provinceStartArgs, recordKeyFile, type ProvincePorts } from '../scripts/cluster-nodes.mjs';
import { loadOrCreateNodeKeys } from '../src/keys/node-keys.ts';

export interface NodeProc { child: ChildProcess; ports: { admin: number; http: number; node: number }; pids: number[] }

/** `tabadol …args` as a process of its own; resolves once it reports its ports. */
export function forkTabadol(args: string[]): Promise<NodeProc> {
  const child = fork(CLI.module, args, { execArgv: CLI.execArgv, env: { ...process.env, TABADOL_LOG_LEVEL: 'silent' }, stdio: 'ignore' });
  return whenStarted(child, `tabadol ${args.slice(2, 3).join(' ')}`);
}

/** Resolves once a `tabadol start` child reports its ports over its IPC channel. */
export function whenStarted(child: ChildProcess, what: string): Promise<NodeProc> {
  return new Promise((resolve, reject) => {
    child.once('message', (m: { ports: NodeProc['ports']; pids: number[] }) => resolve({ child, ports: m.ports, pids: m.pids }));
    child.once('exit', (code, signal) => reject(new Error(`${what} exited (${code ?? signal})`)));
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
  /** The province's ports, chosen before it started. */
  ports: ProvincePorts;
  /** Starts the province again on its data directory and ports (after a kill). */
  restartProvince(): Promise<NodeProc>;
  close(): Promise<void>;
}

/**
 * `seedCentre` fills the centre's registry before it starts (subsystems homed on `p23` there are
 * served by the province). The province is p23, Tehran.
 */
export interface ProvinceOptions {
  /** A TLS data port on the province (on its node certificate) besides the plain-HTTP one. */
  tls?: boolean;
  /** Further `start` flags of the province. */
  extra?: string[];
}

export async function startCentreAndProvince(seedCentre: (centreDir: string, province: PlannedProvince) => Promise<void>, o: ProvinceOptions = {}): Promise<CentreAndProvince> {
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
    const ports: ProvincePorts = { admin: await freePort(), http: await freePort(), node: await freePort(), ...(o.tls ? { tls: await freePort() } : {}) };
    await seedCentre(centreDir, { dataDir: provinceDir, nodePort: ports.node });
    const issued = await tabadolInProcess(nodeCertIssueArgs(centreDir, 'p23', provinceDir));
    if (issued.code !== 0) throw new Error(`node-cert issue: ${issued.stderr}`);
    const centre = await forkTabadol(['--data', centreDir, 'start', '--role', 'central', '--http-port', '0', '--no-tls', '--admin-port', '0', '--no-portal',
      '--node-port', '0', '--node-host', '127.0.0.1']);
    running.push(centre);
    const args = provinceStartArgs({ dataDir: provinceDir, id: 'p23', code: '23', centralDir: centreDir, centralNodeUrl: `https://127.0.0.1:${centre.ports.node}`, ports, extra: o.extra });
    const province = await forkTabadol(args);
    running.push(province);
    return {
      root, centreDir, provinceDir, centre, province, ports, close,
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

/** A province planned before it first starts: its data directory and the node port it will listen on. */
export interface PlannedProvince { dataDir: string; nodePort: number }

/**
 * Registers the province p23 in the centre's registry before either starts, as an operator plans a
 * province: its record key made in its data directory, its node port at the address it will have.
 * A subsystem can be homed on a node only once the node is registered.
 */
export async function registerProvince(centreDir: string, p: PlannedProvince): Promise<void> {
  await loadOrCreateNodeKeys(p.dataDir);
  const added = await tabadolInProcess(['--data', centreDir, 'node', 'add', 'p23', '--role', 'provincial', '--province', '23', '--url', `https://127.0.0.1:${p.nodePort}`,
    '--record-key', recordKeyFile(p.dataDir)]);
  if (added.code !== 0) throw new Error(`node add p23: ${added.stderr}`);
}

/** The centre's registry for the tests across nodes: the NOCR identity subsystem homed on p23, whose
 * person service the judiciary may ask. */
export async function seedCentreWithProvincialService(centreDir: string, providerBaseUrl: string, timeoutMs: number, province: PlannedProvince): Promise<void> {
  await registerProvince(centreDir, province);
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
