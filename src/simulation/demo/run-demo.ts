// Runs the demo: the simulated reference agencies on localhost, a node in front of them, the CA and the
// consumers' client certificates under the data directory, and a printed guide of what to try.
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { NodeConfig } from '../../node/config.ts';
import { startNode, type RunningNode } from '../../node/node.ts';
import { createAgencyServer } from '../agencies/server.ts';
import { demoAgencies } from '../agencies/demo.ts';
import { loadCa } from '../../identity/ca.ts';
import { issueSubsystemCertificate, writeCertificate } from '../../identity/certificates.ts';
import { caDirOf, certDirOf } from '../../node/node-tls.ts';
import { seedDemoRegistry, demoConsumerIds } from './demo-registry.ts';
import { demoGuide } from './guide.ts';
import { fileExists } from '../../files/exists.ts';
import { citizenPortalClient, citizenStandInProblem } from '../../portal/citizen-stand-in.ts';
import { Users } from '../../portal/accounts/users.ts';

/** DEMO ONLY: the dashboard's three accounts with well-known passwords, printed by the guide. A real
 * node has no account until an operator adds one (`tabadol user add`). */
export const DEMO_ACCOUNTS = [
  { username: 'operator', role: 'operator', password: 'demo-operator-1399' },
  { username: 'overseer', role: 'overseer', password: 'demo-overseer-1399' },
  { username: 'inspector', role: 'inspector', password: 'demo-inspector-1399' },
] as const;

/** Adds the demo accounts that are missing (a data directory reused keeps its accounts as they are). */
async function ensureDemoAccounts(users: Users): Promise<void> {
  for (const a of DEMO_ACCOUNTS) if (!(await users.find(a.username))) await users.add(a.username, a.role, a.password);
}

export interface RunningDemo { node: RunningNode; agencyPort: number; close(): Promise<void> }

/** `divisionsCsv`: the statistical centre's divisions file for the SCI agency (the sample if absent). */
export async function runDemo(config: NodeConfig, agencyPort: number, divisionsCsv?: string): Promise<RunningDemo> {
  const simulated = demoAgencies(undefined, divisionsCsv);
  const agencies = createAgencyServer(simulated);
  await new Promise<void>((resolve, reject) => {
    agencies.once('error', reject);
    agencies.listen(agencyPort, '127.0.0.1', resolve);
  });
  const actualAgencyPort = (agencies.address() as AddressInfo).port;

  // The citizen page behind its SIMULATED national login: on in the demo wherever the node can run it
  // (a localhost portal and the plain-HTTP data port); otherwise the guide says why it is off.
  const withStandIn = { ...config, citizenStandIn: config.citizenStandIn ?? { client: citizenPortalClient(config.instance) } };
  const standInOff = citizenStandInProblem(withStandIn);
  const node = await startNode(standInOff === undefined ? withStandIn : config);
  // The node's own ports are never a provider's, even on an allowed host.
  await node.registry.recordNodePorts([node.ports.admin, node.ports.tls, node.ports.http, node.ports.portal]);
  const seeded = await seedDemoRegistry(node.registry, simulated, `http://127.0.0.1:${actualAgencyPort}`);
  await node.syncSnapshot();
  if (node.ports.portal !== null) await ensureDemoAccounts(new Users(node.registry.db));

  const certs: Record<string, string> = {};
  if (node.tls) {
    const ca = await loadCa(caDirOf(config.dataDir));
    for (const subsystem of demoConsumerIds(config.instance)) {
      const dir = certDirOf(config.dataDir, subsystem);
      if (!(await fileExists(path.join(dir, 'cert.pem')))) {
        const issued = await issueSubsystemCertificate(ca, subsystem);
        // Recorded like `cert issue` does, so the demo's certificates can be revoked too.
        await node.registry.recordCertificate({ serial: issued.serial, subsystemId: subsystem, notBefore: issued.notBefore.toISOString(), notAfter: issued.notAfter.toISOString() }, 'demo');
        await writeCertificate(dir, issued);
      }
      certs[subsystem] = dir;
    }
  }
  process.stdout.write(demoGuide({ node, agencyPort: actualAgencyPort, certs, providerHosts: await node.registry.listProviderHosts(), allowedNow: seeded.allowedProviderHosts, standInOff, accounts: DEMO_ACCOUNTS }));
  return {
    node,
    agencyPort: actualAgencyPort,
    async close() {
      await node.close();
      agencies.closeAllConnections();
      await new Promise<void>((r) => agencies.close(() => r()));
    },
  };
}
