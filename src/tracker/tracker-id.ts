// Who the data tracker is in the registry, and the one header by which it knows that an inquiry
// came through this node's data plane. Constants only: the data plane imports this file, so it
// must reach nothing else (no store, no SQL driver).
//
// The tracker is a provider like any other: the exchange's own operator member offers it as the
// service `findUsage` of its subsystem `tracker`, and callers reach it through the exchange, so
// access rights, contract validation, records and rate limits all apply to it.

/** The exchange's operator (مرکز تبادل اطلاعات), a member of class GOV. */
export const OPERATOR = { memberClass: 'GOV', memberCode: 'TABADOL', nameEn: 'Information Exchange Center (Tabadol operator)', nameFa: 'مرکز تبادل اطلاعات' } as const;
export const TRACKER_SUBSYSTEM_CODE = 'tracker';
export const FIND_USAGE = 'findUsage';

/**
 * The registry group whose subsystems see the official's user id (`X-Road-UserId`) in the
 * tracker's answers: the inspection organisation's. A registry setting on purpose: it is signed
 * into the snapshot, changed with the ordinary group commands, and every change is in the log.
 * Every other caller (a citizen-facing portal above all) never sees user ids.
 */
export const INSPECTORS_GROUP = 'inspection';

/** `IR/GOV/TABADOL/tracker/findUsage`. */
export function trackerServiceId(instance: string): string {
  return `${instance}/${OPERATOR.memberClass}/${OPERATOR.memberCode}/${TRACKER_SUBSYSTEM_CODE}/${FIND_USAGE}`;
}

const SUFFIX = `/${OPERATOR.memberClass}/${OPERATOR.memberCode}/${TRACKER_SUBSYSTEM_CODE}/${FIND_USAGE}`;

/** Whether a service id (INSTANCE/CLASS/MEMBER/SUBSYSTEM/SERVICE, as the snapshot holds it) is the tracker's. */
export function isTrackerService(serviceId: string): boolean {
  return serviceId.endsWith(SUFFIX) && serviceId.indexOf('/') === serviceId.length - SUFFIX.length;
}

/**
 * Sent by the data plane to the tracker only: the subject's keyed hash, which the data plane has
 * just computed from the inquiry's national code (validate-request.ts). Only a holder of the node's
 * subject key can make it, so a local process that reaches the tracker's loopback port directly,
 * without going through the exchange's access rights, cannot: the tracker recomputes the hash from
 * the national code in the body and refuses a request whose proof does not match.
 */
export const TRACKER_PROOF_HEADER = 'x-tabadol-subject-proof';
