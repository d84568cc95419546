// What every dashboard page is given: the node's parts it reads and changes (DashboardDeps), who is
// asking and in which language (pageContext), and the two guards every route stands behind
// (requireRole, checkCsrf). The session behind a request is resolved once, by the dashboard plugin
// (dashboard.ts), before any route runs; this file only reads what it found.
//
// Roles (enforced here, on the server, for every route; the navigation only hides what a role may
// not use):
//
//   what                                                        operator  overseer  inspector
//   read every page and /dashboard/api/* (registry, oversight)     yes       yes       yes
//     but the nodes page (the exchange's own machinery)            yes       yes       no
//   change oversight data: SLAs, mandates, savings, baselines,     yes       yes       no
//     the UN survey's mapping
//   change the registry: members, subsystems, services, access     yes       no        no
//     rights, certificates
//
// The overseers are the working group: they set the targets the agencies are held to, but only the
// exchange's operators change who may ask whom. Inspectors read and print.
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { Logger } from 'pino';
import { Errors, TabadolError } from '../../errors/catalogue.ts';
import type { Compliance } from '../../compliance/compliance.ts';
import type { SnapshotHolder } from '../../dataplane/snapshot-holder.ts';
import type { RollupReader } from '../../oversight/rollup-reader.ts';
import type { Registry } from '../../registry/registry.ts';
import type { OpenData } from '../open-data.ts';

export type Lang = 'fa' | 'en';
export const ROLES = ['operator', 'overseer', 'inspector'] as const;
export type Role = (typeof ROLES)[number];

export interface DashboardUser { username: string; role: Role }

export interface DashboardDeps {
  registry: Registry;
  /** Statistics from the rollups of this node's records: the node's reader thread (rollup-host.ts). */
  stats: RollupReader;
  /** Service levels, kept breaches, mandates, violations, survey, visits avoided. */
  compliance: Compliance;
  openData: OpenData;
  /** The snapshot this process's data plane runs on, when it has one (not on a cluster's primary). */
  snapshots?: SnapshotHolder;
  log: Logger;
  now: () => number;
  /** Called after a registry change so the data plane sees it at once, not at the next poll. */
  afterChange: () => Promise<void>;
  /** The X-Road instance of this exchange ("IR"). */
  instance: string;
  /** This process's record writer and disk (not on a cluster's primary, which records nothing). */
  nodeHealth?: () => { recordWriterOk: boolean; diskFreeBytes: number; diskReserveBytes: number };
  /** How often the centre pulls other nodes' rollups (their cursors are read through `stats`), for the nodes page. */
  rollupPulls?: { intervalMs: number };
}

export interface PageContext { lang: Lang; user: DashboardUser | null; csrf: string | null }

/** What the dashboard plugin found for one request: the session's user and token, the language. */
export interface RequestState extends PageContext { sessionId: string | null }

const states = new WeakMap<IncomingMessage, RequestState>();

/** Set once per request by the dashboard plugin's first hook. */
export function setRequestState(req: FastifyRequest, state: RequestState): void {
  states.set(req.raw, state);
}

export function requestState(req: FastifyRequest): RequestState {
  return states.get(req.raw) ?? { lang: 'fa', user: null, csrf: null, sessionId: null };
}

/** The language, the logged-in user (null: nobody) and the session's CSRF token for forms. */
export function pageContext(req: FastifyRequest): PageContext {
  const { lang, user, csrf } = requestState(req);
  return { lang, user, csrf };
}

export const canChangeRegistry = (user: DashboardUser | null): boolean => user?.role === 'operator';

const GUARD = Symbol('tabadol.dashboard.roleGuard');

/** Whether a preHandler is one made by requireRole (the plugin adds a default guard where none is). */
export function isRoleGuard(fn: unknown): boolean {
  return typeof fn === 'function' && (fn as unknown as Record<symbol, unknown>)[GUARD] === true;
}

const isApi = (req: FastifyRequest) => (req.routeOptions.url ?? req.url).startsWith('/dashboard/api/');

/** Where a person goes to log in, coming back to this page afterwards (GET pages only). */
export function loginLocation(req: FastifyRequest): string {
  const path = (req.url.split('?', 1)[0] ?? '/dashboard');
  return req.method === 'GET' && path.startsWith('/dashboard') && path !== '/dashboard' ? `/login?next=${encodeURIComponent(path)}` : '/login';
}

/**
 * A preHandler that lets through only a logged-in user of one of these roles. Nobody logged in: a
 * page goes to /login (303, RFC 9110 §15.4.4), a JSON endpoint answers 401; another role: 403, and
 * nothing runs.
 */
export function requireRole(...roles: Role[]): preHandlerAsyncHookHandler {
  const allowed = new Set<Role>(roles.length ? roles : ROLES);
  const guard = async function (req: FastifyRequest, reply: FastifyReply) {
    const { user } = requestState(req);
    if (!user) {
      if (isApi(req) || req.method !== 'GET') throw new TabadolError(Errors.PortalLoginRequired);
      return reply.status(303).headers({ location: loginLocation(req), 'cache-control': 'no-store' }).send();
    }
    if (!allowed.has(user.role)) throw new TabadolError(Errors.PortalForbidden, `the ${user.role} role may not use this page`);
    return undefined;
  };
  Object.defineProperty(guard, GUARD, { value: true });
  return guard;
}

/** The fields of a dashboard form (application/x-www-form-urlencoded), parsed by the plugin; the
 * last value wins when a name repeats. Empty when the request had no form. */
export function formFields(req: FastifyRequest): Record<string, string> {
  const b = req.body;
  return b !== null && typeof b === 'object' ? b as Record<string, string> : Object.create(null) as Record<string, string>;
}

function sameToken(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The synchronizer token (OWASP CSRF Prevention: the session's token in a hidden `_csrf` field,
 * compared in constant time). Every POST of the dashboard passes it: the plugin runs it on each one
 * whether a route names it or not; naming it on a route is harmless and documents the form.
 */
export const checkCsrf: preHandlerAsyncHookHandler = async (req) => {
  if (req.method !== 'POST') return;
  const { csrf } = requestState(req);
  const given = formFields(req)._csrf;
  if (csrf === null) throw new TabadolError(Errors.PortalLoginRequired);
  if (typeof given !== 'string' || !sameToken(given, csrf)) throw new TabadolError(Errors.PortalCsrfRefused);
};
