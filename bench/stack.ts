// What every bench run stands up: the SIMULATED demo provider in its own process, a node data dir
// seeded with the demo registry (pointed at that provider), the CA and a client certificate, and
// the node itself started through the real CLI (`tabadol start`). Provider and node share CPU 1.
import path from 'node:path';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { seedDemoRegistry } from '../src/simulation/demo/demo-registry.ts';
import { demoAgencies } from '../src/simulation/agencies/demo.ts';
import { initCa, loadCa, CA_CERT_FILE } from '../src/identity/ca.ts';
import { issueSubsystemCertificate, writeCertificate } from '../src/identity/certificates.ts';
import { caDirOf } from '../src/node/node-tls.ts';
import { SERVER_CPU, freePort, nodeFlags, nodeTs, spawnChild, waitForPort, type Child } from './processes.ts';

export const CLIENT = 'IR/GOV/JUDICIARY/case-management';
export const INQUIRY = '/NOCR/identity/person/persons/0012345679?birthDate=1370/06/15';
const BENCH_SERVICE = 'IR/GOV/NOCR/identity/person';

export interface Stack {
  provider: Child;
  providerPort: number;
  node: Child;
  ports: { http: number; tls: number; admin: number };
  /** A second node on its own data directory, started with `--no-rollups`: the rollups' cost, side by side. */
  plainNode?: { node: Child; httpPort: number };
  clientTls: { certPath: string; keyPath: string; caPath: string };
}

/** Seeds the registry as a CLI command would, before the node opens the data directory. */
export async function seed(dataDir: string, providerBaseUrl: string): Promise<void> {
  const opened = await openRegistryAt(dataDir);
  try {
    await seedDemoRegistry(opened.registry, demoAgencies(), providerBaseUrl);
    // The demo's SLA caps the person inquiry at 500 a second per client, which one load generator
    // passes at once: raise it beyond any rate here, so the limiter still runs on every exchange
    // but never refuses one.
    const level = await opened.registry.oversight.getSla(BENCH_SERVICE);
    await opened.registry.changeOversight((o) => o.setSla(BENCH_SERVICE, {
      availabilityPercent: level.availabilityPercent, p95LatencyMs: level.p95LatencyMs, supportHours: level.supportHours, maxRatePerSecond: 10_000_000,
    }), 'bench');
  } finally {
    await opened.close();
  }
}

/** `workers`: data-plane processes of the node; `pinned: false` lets every process use every CPU;
 * `withoutRollups`: also start the second node that counts no statistics. */
export async function startStack(
  tmp: string, durability: 'full' | 'normal', o: { workers?: number; pinned?: boolean; withoutRollups?: boolean } = {},
): Promise<Stack> {
  const cpu = o.pinned === false ? undefined : SERVER_CPU;
  const providerPort = await freePort();
  const provider = spawnChild('provider', nodeTs('bench/provider.ts', String(providerPort)), { cpu });
  await waitForPort(providerPort, provider);

  const dataDir = path.join(tmp, 'node');
  await seed(dataDir, `http://127.0.0.1:${providerPort}`);
  // The node creates its server certificate on first start, from the CA it finds here.
  await initCa(caDirOf(dataDir), { instance: 'IR' });
  const certDir = path.join(tmp, 'client');
  const { certPath, keyPath } = await writeCertificate(certDir, await issueSubsystemCertificate(await loadCa(caDirOf(dataDir)), CLIENT));

  const ports = { http: await freePort(), tls: await freePort(), admin: await freePort() };
  // BENCH_NODE_FLAGS: extra flags for the node's `node` only, e.g. "--cpu-prof --cpu-prof-dir=bench/.tmp/prof".
  const [exe, ...rest] = nodeTs('src/cli/main.ts', '--data', dataDir, 'start',
    '--http-port', String(ports.http), '--tls-port', String(ports.tls), '--tls-host', '127.0.0.1', '--admin-port', String(ports.admin), '--no-portal', '--no-node-port', '--durability', durability,
    '--workers', String(o.workers ?? 1));
  const flags = nodeFlags();
  const node = spawnChild('node', [exe!, ...flags, ...rest], { cpu, env: { TABADOL_LOG_LEVEL: 'warn' } });
  for (const p of [ports.http, ports.tls, ports.admin]) await waitForPort(p, node);

  let plainNode: Stack['plainNode'];
  if (o.withoutRollups) {
    const plainDir = path.join(tmp, 'node-no-rollups');
    await seed(plainDir, `http://127.0.0.1:${providerPort}`);
    const httpPort = await freePort();
    const [exe2, ...rest2] = nodeTs('src/cli/main.ts', '--data', plainDir, 'start', '--no-rollups', '--no-tls',
      '--http-port', String(httpPort), '--admin-port', String(await freePort()), '--no-portal', '--no-node-port', '--durability', durability);
    const plain = spawnChild('node-no-rollups', [exe2!, ...rest2], { cpu, env: { TABADOL_LOG_LEVEL: 'warn' } });
    await waitForPort(httpPort, plain);
    plainNode = { node: plain, httpPort };
  }

  return { provider, providerPort, node, ports, plainNode, clientTls: { certPath, keyPath, caPath: path.join(caDirOf(dataDir), CA_CERT_FILE) } };
}
