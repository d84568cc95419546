// The demo's registry: every SIMULATED reference agency with its services, the consumers and their
// access rights (../agencies/access-rights.ts), so that answers and refusals can both be shown —
// the police may not read the post's addresses. The country-divisions service is open to the group
// of all subsystems. Seeding is idempotent; on every start the services are pointed at wherever the
// simulated agencies listen this time. The simulated agencies listen on loopback, which the
// registry refuses as a provider address unless allowed: the demo allows exactly their host and
// port, under its own name in the change log, and says so.
import type { Registry } from '../../registry/registry.ts';
import type { Agency } from '../agencies/agency.ts';
import { demoContracts } from '../agencies/demo.ts';
import { CONSUMERS, consumerPath } from '../agencies/consumers.ts';
import { ALL_SUBSYSTEMS_GROUP, OPEN_SERVICES, REFERENCE_RIGHTS } from '../agencies/access-rights.ts';
import { seedDemoTracker } from './tracker-registry.ts';
import { seedDemoOversight } from './oversight-demo.ts';

/** The consumers' subsystem ids in an instance, e.g. `IR/GOV/JUDICIARY/case-management`. */
export function demoConsumerIds(instance: string): string[] {
  return CONSUMERS.map((c) => `${instance}/${consumerPath(c)}`);
}

export interface DemoSeed {
  /** Allow-list entries the demo added for its simulated agencies (empty when already there). */
  allowedProviderHosts: string[];
}

export async function seedDemoRegistry(registry: Registry, agencies: readonly Agency[], agencyBaseUrl: string): Promise<DemoSeed> {
  const inst = registry.instance;
  const allowedProviderHosts: string[] = [];
  const problem = await registry.providerAddressProblem(new URL(agencyBaseUrl));
  if (problem) allowedProviderHosts.push(await registry.allowProviderHost(problem.entry, 'the simulated agencies of the demo', 'demo'));

  const members = new Set((await registry.listMembers()).map((m) => m.id));
  const subsystems = new Set((await registry.listSubsystems()).map((s) => s.id));
  const services = new Map((await registry.listServices()).map((s) => [s.id, s]));

  const ensureMember = async (memberClass: string, memberCode: string, name: string, nameFa: string): Promise<void> => {
    const id = `${inst}/${memberClass}/${memberCode}`;
    if (members.has(id)) return;
    await registry.addMember({ memberClass, memberCode, name, nameFa }, 'demo');
    members.add(id); // one member may provide several subsystems and consume too (the police)
  };
  const ensureSubsystem = async (id: string, name: string): Promise<void> => {
    if (subsystems.has(id)) return;
    await registry.addSubsystem({ subsystemId: id, name }, 'demo');
    subsystems.add(id);
  };

  const ours: string[] = [];
  for (const a of agencies) {
    await ensureMember(a.memberClass, a.memberCode, a.nameEn, a.nameFa);
    const id = `${inst}/${a.memberClass}/${a.memberCode}/${a.subsystemCode}`;
    await ensureSubsystem(id, a.nameEn);
    ours.push(id);
  }
  for (const c of CONSUMERS) {
    await ensureMember(c.memberClass, c.memberCode, c.nameEn, c.nameFa);
    const id = `${inst}/${consumerPath(c)}`;
    await ensureSubsystem(id, c.purpose);
    ours.push(id);
  }

  const offered = new Set<string>();
  for (const s of demoContracts(agencyBaseUrl, agencies)) {
    const id = `${inst}/${s.memberClass}/${s.memberCode}/${s.subsystemCode}/${s.serviceCode}`;
    offered.add(id);
    const existing = services.get(id);
    // Re-register when the agencies moved or when a newer version of the product changed a contract.
    if (existing?.base_url === s.url && JSON.stringify((await registry.getService(id)).contract) === JSON.stringify(s.contract)) continue;
    await registry.putService({ serviceId: id, title: s.titleEn, baseUrl: s.url, contract: s.contract, timeoutMs: 5000 }, 'demo', existing !== undefined);
  }

  const group = `${inst}/${ALL_SUBSYSTEMS_GROUP}`;
  const groups = await registry.listGroups();
  const known = groups.find((g) => g.id === group);
  if (!known) await registry.addGroup(ALL_SUBSYSTEMS_GROUP, 'Every subsystem of the exchange: subjects of rights to open reference data', 'demo');
  for (const id of ours) {
    if (!known?.members.includes(id)) await registry.addGroupMember(group, id, 'demo');
  }

  const rights = await registry.listAccessRights();
  const granted = (subject: string, service: string) => rights.some((x) => x.subject_id === subject && x.service_id === service);
  const wanted = [
    ...REFERENCE_RIGHTS.map((r) => ({ subject: `${inst}/${r.consumer}`, service: `${inst}/${r.service}`, basis: r.legalBasis })),
    ...OPEN_SERVICES.map((o) => ({ subject: group, service: `${inst}/${o.service}`, basis: o.legalBasis })),
  ];
  for (const r of wanted) {
    if (!offered.has(r.service) || granted(r.subject, r.service)) continue;
    await registry.grant({ subject: r.subject, serviceId: r.service, legalBasis: r.basis }, 'demo');
  }
  await seedDemoTracker(registry, group);
  await registry.batch((c) => seedDemoOversight(c), 'demo');
  return { allowedProviderHosts };
}
