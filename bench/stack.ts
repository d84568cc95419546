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
import { SERVER_CPU, freePort, nodeTs, spawnChild, waitForPort, type Child } from './processes.ts';

export const CLIENT = 'IR/GOV/JUDICIARY/case-management';
export const INQUIRY = '/NOCR/identity/person/persons/0012345679?birthDate=1370/06/15';

export interface Stack {
  provider: Child;
  providerPort: number;
  node: Child;
  ports: { http: number; tls: number; admin: number };
  clientTls: { certPath: string; keyPath: string; caPath: string };
}

/** Seeds the registry as a CLI command would, before the node opens the data directory. */
async function seed(dataDir: string, providerBaseUrl: string): Promise<void> {
  const opened = await openRegistryAt(dataDir);
  try {
    await seedDemoRegistry(opened.registry, demoAgencies(), providerBaseUrl);
  } finally {
    await opened.close();
  }
}

/** `workers`: data-plane processes of the node; `pinned: false` lets every process use every CPU. */
export async function startStack(tmp: string, durability: 'full' | 'normal', o: { workers?: number; pinned?: boolean } = {}): Promise<Stack> {
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
    '--http-port', String(ports.http), '--tls-port', String(ports.tls), '--tls-host', '127.0.0.1', '--admin-port', String(ports.admin), '--durability', durability,
    '--workers', String(o.workers ?? 1));
  const flags = process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? [];
  const node = spawnChild('node', [exe!, ...flags, ...rest], { cpu, env: { TABADOL_LOG_LEVEL: 'warn' } });
  for (const p of [ports.http, ports.tls, ports.admin]) await waitForPort(p, node);

  return { provider, providerPort, node, ports, clientTls: { certPath, keyPath, caPath: path.join(caDirOf(dataDir), CA_CERT_FILE) } };
}
