// Writes the 1399 scenario into a registry: members, subsystems, 961 services, the group of all
// subsystems, every access right. It goes through the registry's own operations, with their own
// checks, in one batch (Registry.batch): one transaction, one change-log entry per operation, and
// one signed snapshot at the end instead of one per change (961 snapshots of a growing registry
// would take minutes). The contracts are checked once per shape, before the batch opens its
// transaction, by the registry's contract check (registry/contract-verdicts.ts); the operations
// inside the batch find the verdicts there.
//
// Loading is idempotent: existing members, subsystems, group memberships and rights are kept,
// services are updated (their base URL follows the agency server), so it can be run again with
// another --agencies-url.
//
// The simulated agencies usually listen on loopback, which the registry refuses as a provider
// address unless the operator's allow-list names it: the load adds the agencies' HOST:PORT to the
// allow-list in the same batch, as a change of its own, and reports it in its summary.
import { Errors, fail } from '../../errors/catalogue.ts';
import type { Registry } from '../../registry/registry.ts';
import { serviceBasePath } from '../agencies/server.ts';
import type { Scenario } from './scenario.ts';
import { seedOversight } from './oversight-seed.ts';
import { seedTrackerRegistry } from '../demo/tracker-registry.ts';

export { contractShape } from '../../registry/contract-verdicts.ts';

export interface LoadSummary {
  readonly providers: number;
  readonly services: number;
  readonly consumers: number;
  readonly accessRights: number;
  readonly snapshotVersion: number;
  /** The allow-list entry added for the agencies' address, or null when none was needed. */
  readonly allowedProviderHost: string | null;
}

const SERVICE_TIMEOUT_MS = 5000;
const GROUP_DESCRIPTION = 'Every subsystem of the exchange: subjects of rights to open reference data';

interface MemberRow { memberClass: string; memberCode: string; name: string; nameFa: string }

export async function loadScenario(registry: Registry, scenario: Scenario, agenciesUrl: string, actor = 'scenario'): Promise<LoadSummary> {
  const inst = registry.instance;
  const root = agenciesUrl.replace(/\/+$/, '');
  let url: URL;
  try {
    url = new URL(root);
  } catch {
    return fail(Errors.InvalidInput, `--agencies-url is not a URL: ${agenciesUrl}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') fail(Errors.InvalidInput, 'the agencies URL must be http or https');
  if (url.username || url.password || url.search || url.hash) fail(Errors.InvalidInput, 'the agencies URL must not carry credentials, a query or a fragment');

  const members = new Map<string, MemberRow>();
  const subsystems = new Map<string, string>(); // id -> name
  const register = (memberClass: string, memberCode: string, name: string, nameFa: string, subsystemCode: string, subsystemName: string) => {
    const memberId = `${inst}/${memberClass}/${memberCode}`;
    if (!members.has(memberId)) members.set(memberId, { memberClass, memberCode, name, nameFa });
    subsystems.set(`${memberId}/${subsystemCode}`, subsystemName);
  };
  for (const a of scenario.agencies) register(a.memberClass, a.memberCode, a.nameEn, a.nameFa, a.subsystemCode, a.nameEn);
  for (const c of scenario.consumers) register(c.memberClass, c.memberCode, c.nameEn, c.nameFa, c.subsystemCode, c.purpose);
  const group = `${inst}/${scenario.group}`;
  const rights = [
    ...scenario.rights.map((r) => ({ subject: `${inst}/${r.consumer}`, serviceId: `${inst}/${r.service}`, legalBasis: r.legalBasis })),
    ...scenario.open.map((o) => ({ subject: group, serviceId: `${inst}/${o.service}`, legalBasis: o.legalBasis })),
  ];

  // Proved here, outside the batch's transaction, so the write lock is not held meanwhile.
  for (const s of scenario.services) await registry.checkContract(s.service.contract);

  const { value: allowed, snapshot } = await registry.batch(async (change) => {
    const problem = await change.providerAddressProblem(url);
    if (problem) await change.allowProviderHost(problem.entry, 'the simulated agencies of the 1399 scenario');
    for (const [id, m] of members) if (!(await change.exists('members', id))) await change.addMember(m);
    for (const [subsystemId, name] of subsystems) if (!(await change.exists('subsystems', subsystemId))) await change.addSubsystem({ subsystemId, name });
    for (const s of scenario.services) {
      await change.putService({
        serviceId: `${inst}/${s.id}`, title: s.service.titleEn, baseUrl: root + serviceBasePath(s.agency, s.service),
        contract: s.service.contract, timeoutMs: SERVICE_TIMEOUT_MS,
      }, true);
    }
    if (!(await change.exists('groups', group))) await change.addGroup(scenario.group, GROUP_DESCRIPTION);
    for (const subsystemId of subsystems.keys()) if (!(await change.isGroupMember(group, subsystemId))) await change.addGroupMember(group, subsystemId);
    let added = 0;
    for (const r of rights) {
      if (await change.holdsWholeService(r.subject, r.serviceId)) continue;
      await change.grant(r);
      added++;
    }
    await seedTrackerRegistry(change, group);
    await seedOversight(change, scenario);
    await change.log('scenario.load', inst, {
      agenciesUrl: root, members: members.size, subsystems: subsystems.size, services: scenario.services.length, rightsAdded: added,
    });
    return problem?.entry ?? null;
  }, actor);
  return {
    providers: new Set(scenario.services.map((s) => s.provider)).size,
    services: scenario.services.length,
    consumers: scenario.consumers.length,
    accessRights: rights.length,
    // The batch always logs, so it always publishes.
    snapshotVersion: snapshot!.version,
    allowedProviderHost: allowed,
  };
}
