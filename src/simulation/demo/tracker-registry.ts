// The data tracker in the demo's and the scenario's registry: the operator's tracker subsystem and
// its findUsage service, the citizen portal that will call it for a citizen, and the General
// Inspection Organization, whose subsystem is in the registry group that sees officials' user ids.
// Idempotent. The service's address is the node's to set (src/tracker/registration.ts): a load
// made while no node runs leaves the not-started placeholder, which the node replaces at start.
//
// SIMULATED: a real portal identifies the citizen through the national login (e.g. the
// government's single sign-on) and asks only about the citizen who logged in; here no national
// login exists, and the portal's subsystem stands in for one. Every name below says so.
import type { Registry, RegistryChange } from '../../registry/registry.ts';
import { ensureTrackerProvider, putTrackerService } from '../../tracker/registration.ts';
import { INSPECTORS_GROUP, OPERATOR, TRACKER_SUBSYSTEM_CODE, trackerServiceId } from '../../tracker/tracker-id.ts';

const GIO = { memberClass: 'GOV', memberCode: 'GIO', nameEn: 'General Inspection Organization', nameFa: 'سازمان بازرسی کل کشور' };
export const PORTAL_SUBSYSTEM_CODE = 'portal';
export const INSPECTION_SUBSYSTEM_CODE = 'inspection';

export function portalId(instance: string): string {
  return `${instance}/${OPERATOR.memberClass}/${OPERATOR.memberCode}/${PORTAL_SUBSYSTEM_CODE}`;
}
export function inspectionId(instance: string): string {
  return `${instance}/${GIO.memberClass}/${GIO.memberCode}/${INSPECTION_SUBSYSTEM_CODE}`;
}

/**
 * Seeds the tracker inside a registry change (a batch). `everyone`: the group of every subsystem,
 * when the registry has one, which the three new subsystems join like all others.
 */
export async function seedTrackerRegistry(change: RegistryChange, everyone?: string): Promise<void> {
  const inst = change.instance;
  await ensureTrackerProvider(change);
  const serviceId = trackerServiceId(inst);
  // An existing service is left as it is: its address and contract are the node's to keep current.
  if (!(await change.exists('services', serviceId))) await putTrackerService(change, undefined);
  const gioMember = `${inst}/${GIO.memberClass}/${GIO.memberCode}`;
  if (!(await change.exists('members', gioMember))) await change.addMember({ memberClass: GIO.memberClass, memberCode: GIO.memberCode, name: GIO.nameEn, nameFa: GIO.nameFa });
  const portal = portalId(inst);
  const inspection = inspectionId(inst);
  if (!(await change.exists('subsystems', portal))) {
    await change.addSubsystem({ subsystemId: portal, name: 'Citizen portal: SIMULATED national login (a development stand-in, not an identity check)' });
  }
  if (!(await change.exists('subsystems', inspection))) await change.addSubsystem({ subsystemId: inspection, name: 'Inspection of agencies\' use of citizens\' data' });
  const group = `${inst}/${INSPECTORS_GROUP}`;
  if (!(await change.exists('groups', group))) {
    await change.addGroup(INSPECTORS_GROUP, 'The inspection organisation: the data tracker shows these subsystems the official\'s user id (X-Road-UserId)');
  }
  if (!(await change.isGroupMember(group, inspection))) await change.addGroupMember(group, inspection);
  if (everyone !== undefined && (await change.exists('groups', everyone))) {
    for (const id of [`${inst}/${OPERATOR.memberClass}/${OPERATOR.memberCode}/${TRACKER_SUBSYSTEM_CODE}`, portal, inspection]) {
      if (!(await change.isGroupMember(everyone, id))) await change.addGroupMember(everyone, id);
    }
  }
  const rights = [
    { subject: portal, legalBasis: 'Citizen\'s right to know who looked them up (data tracker); the citizen is identified by the national login, SIMULATED here by a development stand-in' },
    { subject: inspection, legalBasis: 'Law on the General Inspection Organization, art. 2: inspection of agencies\' conduct' },
  ];
  for (const r of rights) if (!(await change.holdsWholeService(r.subject, serviceId))) await change.grant({ subject: r.subject, serviceId, legalBasis: r.legalBasis });
}

/** The demo's call: one change of its own, under the demo's name. */
export async function seedDemoTracker(registry: Registry, everyone?: string): Promise<void> {
  await registry.batch((c) => seedTrackerRegistry(c, everyone), 'demo');
}
