// The tracker's service in the registry. The node owns its base URL: the tracker listens on a
// loopback port of the node's choosing, so the node (re)points the service at it whenever the
// snapshot names another address (a fresh registry, a load that could not know the port, a port
// taken at restart), allowing exactly that loopback HOST:PORT as the demo allows its agencies, in
// the change log under its own name. Everything else (who may call it) is the operator's.
import type { RegistryChange } from '../registry/registry.ts';
import { TRACKER_CONTRACT, TRACKER_TIMEOUT_MS, TRACKER_TITLE } from './contract.ts';
import { OPERATOR, TRACKER_SUBSYSTEM_CODE, trackerServiceId } from './tracker-id.ts';

export const TRACKER_HOST_NOTE = 'the data tracker of this node (its own loopback port)';

/** Where a tracker service stands before the node has started and told its port: a name that
 * never resolves (RFC 6761 §6.4), so calls fail as ServiceFailed until the node points it home. */
export const TRACKER_NOT_STARTED_URL = 'http://tracker.invalid';

/** The operator member and the tracker subsystem, when missing. */
export async function ensureTrackerProvider(change: RegistryChange): Promise<string> {
  const memberId = `${change.instance}/${OPERATOR.memberClass}/${OPERATOR.memberCode}`;
  if (!(await change.exists('members', memberId))) {
    await change.addMember({ memberClass: OPERATOR.memberClass, memberCode: OPERATOR.memberCode, name: OPERATOR.nameEn, nameFa: OPERATOR.nameFa });
  }
  const subsystemId = `${memberId}/${TRACKER_SUBSYSTEM_CODE}`;
  if (!(await change.exists('subsystems', subsystemId))) await change.addSubsystem({ subsystemId, name: 'Data tracker (findUsage)' });
  return subsystemId;
}

/**
 * Registers the findUsage service at `baseUrl`, or updates it when its address or this version's
 * contract differ. `baseUrl` undefined keeps the registered address (or, for a new service, the
 * not-started placeholder). `staleHosts`: allow-list entries this node added for an earlier port of
 * its tracker, removed when nothing else relies on them.
 */
export async function putTrackerService(
  change: RegistryChange, baseUrl: string | undefined,
  current?: { baseUrl: string; contract: unknown; timeoutMs: number; maxRatePerSecond: number | null }, staleHosts: string[] = [],
): Promise<string> {
  const id = trackerServiceId(change.instance);
  const url = baseUrl ?? current?.baseUrl ?? TRACKER_NOT_STARTED_URL;
  const problem = await change.providerAddressProblem(new URL(url));
  if (problem) await change.allowProviderHost(problem.entry, TRACKER_HOST_NOTE);
  const same = current !== undefined && current.baseUrl === url && JSON.stringify(current.contract) === JSON.stringify(TRACKER_CONTRACT);
  if (!same) {
    // The operator's settings (timeout, maximum rate) stay as they are; only the address and the contract are the node's.
    await change.putService({
      serviceId: id, title: TRACKER_TITLE, baseUrl: url, contract: TRACKER_CONTRACT,
      timeoutMs: current?.timeoutMs ?? TRACKER_TIMEOUT_MS, maxRatePerSecond: current?.maxRatePerSecond ?? undefined,
    }, current !== undefined);
  }
  for (const entry of staleHosts) {
    if (entry === problem?.entry || new URL(url).host === entry) continue;
    // Refused (and nothing written) while another service relies on the entry: then it stays.
    await change.removeProviderHost(entry).catch(() => undefined);
  }
  return id;
}
