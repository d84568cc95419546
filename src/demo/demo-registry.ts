// The demo's registry: three SIMULATED provider agencies and two consumers whose access rights
// differ, so that both an answer and a refusal can be shown. Seeding is idempotent; on every start
// the services are pointed at wherever the simulated agencies listen this time.
import type { Registry } from '../registry/registry.ts';
import type { Agency } from '../agencies/agency.ts';
import { demoContracts } from '../agencies/demo.ts';

export const DEMO_CONSUMERS = [
  { memberCode: 'JUDICIARY', name: 'Judiciary', nameFa: 'قوه قضاییه', subsystem: 'IR/GOV/JUDICIARY/case-management' },
  { memberCode: 'POLICE', name: 'Police (FARAJA)', nameFa: 'فرماندهی انتظامی', subsystem: 'IR/GOV/POLICE/licensing' },
] as const;

/** Which consumer may ask what, and under which law. The police may not ask the post: the demo's refusal. */
const DEMO_RIGHTS = [
  { subject: 'IR/GOV/JUDICIARY/case-management', service: 'IR/GOV/NOCR/identity/person', basis: 'Law on the Judiciary\'s access to registers, art. 3 (demo)' },
  { subject: 'IR/GOV/JUDICIARY/case-management', service: 'IR/GOV/POST/address/address', basis: 'Civil Procedure Code, art. 68: serving notices at the residence address (demo)' },
  { subject: 'IR/GOV/JUDICIARY/case-management', service: 'IR/GOV/CRA/shahkar/shahkar', basis: 'Computer Crimes Law, art. 32 (demo)' },
  { subject: 'IR/GOV/POLICE/licensing', service: 'IR/GOV/NOCR/identity/person', basis: 'Driving licence regulations, identity check (demo)' },
  { subject: 'IR/GOV/POLICE/licensing', service: 'IR/GOV/CRA/shahkar/shahkar', basis: 'Driving licence regulations, contact verification (demo)' },
];

export async function seedDemoRegistry(registry: Registry, agencies: readonly Agency[], agencyBaseUrl: string): Promise<void> {
  const members = new Set((await registry.listMembers()).map((m) => m.id));
  const subsystems = new Set((await registry.listSubsystems()).map((s) => s.id));
  const services = new Map((await registry.listServices()).map((s) => [s.id, s]));
  const inst = registry.instance;

  for (const a of agencies) {
    if (!members.has(`${inst}/GOV/${a.memberCode}`)) await registry.addMember({ memberClass: 'GOV', memberCode: a.memberCode, name: a.nameEn, nameFa: a.nameFa }, 'demo');
    const sub = `${inst}/GOV/${a.memberCode}/${a.subsystemCode}`;
    if (!subsystems.has(sub)) await registry.addSubsystem({ subsystemId: sub, name: a.nameEn }, 'demo');
  }
  for (const c of DEMO_CONSUMERS) {
    if (!members.has(`${inst}/GOV/${c.memberCode}`)) await registry.addMember({ memberClass: 'GOV', memberCode: c.memberCode, name: c.name, nameFa: c.nameFa }, 'demo');
    if (!subsystems.has(c.subsystem)) await registry.addSubsystem({ subsystemId: c.subsystem }, 'demo');
  }
  for (const s of demoContracts(agencyBaseUrl, agencies)) {
    const id = `${inst}/GOV/${s.memberCode}/${s.subsystemCode}/${s.serviceCode}`;
    const existing = services.get(id);
    if (existing?.base_url === s.url) continue;
    await registry.putService({ serviceId: id, title: s.titleEn, baseUrl: s.url, contract: s.contract, timeoutMs: 5000 }, 'demo', existing !== undefined);
  }
  const rights = await registry.listAccessRights();
  for (const r of DEMO_RIGHTS) {
    if (rights.some((x) => x.subject_id === r.subject && x.service_id === r.service)) continue;
    await registry.grant({ subject: r.subject, serviceId: r.service, legalBasis: r.basis }, 'demo');
  }
}
