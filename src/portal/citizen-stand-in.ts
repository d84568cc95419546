// The DEVELOPMENT STAND-IN for the national login in front of the citizen's "who looked me up" page.
//
// A real portal learns who the citizen is from the national login (the government's single sign-on)
// and asks the data tracker only about the citizen who logged in. No national login exists here, so
// the stand-in lets whoever opens the page type any national code: it shows one person's list to
// anyone who knows their code. That is acceptable only on a developer's own machine, so the stand-in
// is off unless asked for, is labelled on every page, and refuses to run where others can reach it.
//
// How it asks: as the portal's own subsystem (a consumer like any other), through this node's
// plain-HTTP data port on loopback, so each look passes the access rights, the contract and the rate
// limits, and is recorded under the citizen's keyed hash like any inquiry. Over the TLS data port it
// would need a client certificate issued to the portal's subsystem, which a node does not hold for
// itself: the stand-in then refuses to start and says so.
import { Errors, fail } from '../errors/catalogue.ts';
import type { NodeConfig } from '../node/config.ts';
import { MAX_LIMIT } from '../tracker/contract.ts';
import { OPERATOR } from '../tracker/tracker-id.ts';

/** The subsystem code of the operator's citizen portal (the registry grants it findUsage). */
export const CITIZEN_PORTAL_SUBSYSTEM = 'portal';

/** `IR/GOV/TABADOL/portal`: the consumer the stand-in asks as. */
export function citizenPortalClient(instance: string): string {
  return `${instance}/${OPERATOR.memberClass}/${OPERATOR.memberCode}/${CITIZEN_PORTAL_SUBSYSTEM}`;
}

/** Loopback only: 127.0.0.0/8, ::1 and "localhost" (RFC 6761 §6.3). */
function isLoopback(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, '').toLowerCase();
  return h === 'localhost' || h === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h) || /^::ffff:127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(h);
}

/** Why the node could not (or must not) run the stand-in of `config`, in words; undefined when it can. */
export function citizenStandInProblem(config: NodeConfig): string | undefined {
  const s = config.citizenStandIn;
  if (s === null) return undefined;
  const why = 'the citizen stand-in (a SIMULATED national login, for development only)';
  if (config.portalPort === null) return `${why} is a page of the portal: it needs the portal port (drop --no-portal)`;
  if (config.httpPort === null) {
    return `${why} asks the data tracker through the node's plain-HTTP data port on localhost (--http-port); `
      + 'through the TLS port it would need a client certificate for the portal\'s subsystem, which the node does not hold';
  }
  if (!isLoopback(config.portalHost)) {
    return `${why} shows anyone the list of whatever national code they type: it runs only on a portal bound to localhost, not ${config.portalHost}`;
  }
  if (!/^[^/\s]+\/[^/\s]+\/[^/\s]+\/[^/\s]+$/.test(s.client)) return `${why} needs the portal's subsystem as INSTANCE/CLASS/MEMBER/SUBSYSTEM`;
  if (s.pageSize !== undefined && (!Number.isInteger(s.pageSize) || s.pageSize < 1 || s.pageSize > MAX_LIMIT)) return `${why}: the page size must be 1 to ${MAX_LIMIT}`;
  return undefined;
}

/** Refuses, before the node opens anything, a stand-in it could not run or must not run. */
export function checkCitizenStandIn(config: NodeConfig): void {
  const problem = citizenStandInProblem(config);
  if (problem !== undefined) fail(Errors.InvalidInput, problem);
}
