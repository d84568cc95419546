// The node's portal port: the open data (open-data-routes.ts) and, when the node runs the development
// stand-in for the national login, the citizen's "who looked me up" page (citizen-routes.ts), for
// anyone without an account or cookie; and the operators' dashboard (dashboard/dashboard.ts), behind
// accounts and sessions of its own (accounts/). Every answer here gets the security headers, the
// method and length checks, a rate limit per remote address and coded refusals.
//
// Who reaches it: whoever can reach the address it is bound to (`--portal-host`, 127.0.0.1 unless the
// operator opts in to exposing it). What abusing it costs the node: the open data is a lookup in
// memory; the citizen page's post is one inquiry through the exchange's own door; a login is one
// scrypt (bounded per address and per account); a dashboard page reads the registry and the
// rollups. A URL is refused past 2 KB (its query past 512 bytes); a request body is read only by the
// forms: POST /citizen/usage (1 KB, urlencoded) and the dashboard's /login, /logout, /lang and
// /dashboard/... (urlencoded, 16 KB unless a route sets its own limit); headers must arrive within
// the node's header timeout; each remote address (an IPv6 caller by its /64) gets `--portal-rate`
// requests a minute (600), counted in memory for that minute only (a few dozen bytes per address seen).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyPluginAsync, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { Errors, fail, isTabadolError, TabadolError } from '../errors/catalogue.ts';
import type { NodeConfig } from '../node/config.ts';
import type { Registry } from '../registry/registry.ts';
import { OpenData } from './open-data.ts';
import { CITIZEN_POST_PATH } from './citizen-html.ts';
import { citizenRoutes } from './citizen-routes.ts';
import { checkCitizenStandIn } from './citizen-stand-in.ts';
import { CitizenTrackerClient } from './citizen-tracker-client.ts';
import { openDataRoutes } from './open-data-routes.ts';
import { addressKey } from './address-key.ts';
import type { Compliance } from '../compliance/compliance.ts';
import type { SnapshotHolder } from '../dataplane/snapshot-holder.ts';
import { dashboardPlugin, isDashboardFormPath } from './dashboard/dashboard.ts';
import { loadDashboardAssets } from './dashboard/assets.ts';
import type { DashboardDeps } from './dashboard/context.ts';
import { Sessions } from './accounts/sessions.ts';
import { Users } from './accounts/users.ts';

export { addressKey } from './address-key.ts';

export const MAX_URL_BYTES = 2048;
export const MAX_QUERY_BYTES = 512;
/** How often the node looks for a month that has closed. */
const REFRESH_MS = 5 * 60_000;

/**
 * Sent with every answer, refusals included. CSP (W3C CSP Level 3): only the portal's own resources,
 * nothing inline, no framing, no plugins; nosniff (Fetch §X-Content-Type-Options) so a CSV is never
 * run as a script; no Referer leaves a portal page (W3C Referrer Policy).
 */
export const SECURITY_HEADERS = {
  'content-security-policy': "default-src 'self'; base-uri 'none'; object-src 'none'; form-action 'self'; frame-ancestors 'none'",
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'x-frame-options': 'DENY',
  'cross-origin-opener-policy': 'same-origin',
} as const;

/** The methods every path takes; a plugin's form adds POST on its own path only (`formRoutes`). */
const READ_METHODS = ['GET', 'HEAD'];

export interface PortalAppOptions {
  log: Logger;
  plugins: FastifyPluginAsync[];
  /** The exact paths (no query) that also take POST: a plugin's form; its own parser bounds the body. */
  formRoutes?: string[];
  /** Paths that also take POST by a rule of their plugin (the dashboard's forms under /dashboard/);
   * the plugin's own parser bounds the body and its own guards check who posts. */
  formPaths?: (path: string) => boolean;
  /** Requests per remote address and window; none: no limit. */
  rate?: { points: number; durationSeconds: number };
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
}

export async function createPortalApp(o: PortalAppOptions) {
  const app = Fastify({
    logger: false,
    // No route takes a body but the forms (the citizen page's, with its parser's own limit; the
    // dashboard's, with a route limit each); a GET that carries one is refused before anything reads it.
    bodyLimit: 1024,
    routerOptions: { maxParamLength: 100 },
    requestTimeout: o.requestTimeoutMs ?? 30_000,
    keepAliveTimeout: 5_000,
    return503OnClosing: true,
  });
  app.server.headersTimeout = o.headersTimeoutMs ?? 10_000;
  app.removeAllContentTypeParsers();
  const limiter = o.rate && new RateLimiterMemory({ points: o.rate.points, duration: o.rate.durationSeconds });

  const refuse = (reply: FastifyReply, err: unknown, headers: Record<string, string> = {}) => {
    const e = portalRefusal(err);
    const detail = randomUUID();
    // The route template, never the raw URL: a path or query is the caller's text.
    const route = reply.request.routeOptions.url ?? 'unmatched';
    if (e.status >= 500) o.log.error({ err, detail, route }, 'portal failed');
    else o.log.debug({ type: e.type, status: e.status, detail, route }, 'portal refused a request');
    return reply.status(e.status).headers({ ...headers, 'cache-control': 'no-store' }).type('application/json; charset=utf-8')
      .send({ type: e.type, message: e.message, detail });
  };

  app.addHook('onRequest', async (req, reply) => {
    const url = req.raw.url ?? '';
    const q = url.indexOf('?');
    if (Buffer.byteLength(url) > MAX_URL_BYTES || (q >= 0 && Buffer.byteLength(url) - q - 1 > MAX_QUERY_BYTES)) {
      return refuse(reply, new TabadolError(Errors.PortalUriTooLong, `${MAX_URL_BYTES} bytes at most, ${MAX_QUERY_BYTES} of them after "?"`));
    }
    const path = q >= 0 ? url.slice(0, q) : url;
    const form = o.formRoutes?.includes(path) === true || o.formPaths?.(path) === true;
    if (!READ_METHODS.includes(req.method) && !(form && req.method === 'POST')) {
      return refuse(reply, new TabadolError(Errors.PortalMethodNotAllowed), { allow: [...READ_METHODS, ...(form ? ['POST'] : [])].join(', ') });
    }
    try {
      await limiter?.consume(addressKey(req.socket.remoteAddress));
    } catch (e) {
      if (!(e instanceof RateLimiterRes)) throw e;
      return refuse(reply, new TabadolError(Errors.PortalRateLimited), { 'retry-after': String(Math.max(1, Math.ceil(e.msBeforeNext / 1000))) });
    }
    return undefined;
  });
  app.addHook('onSend', async (_req, reply) => { reply.headers(SECURITY_HEADERS); });
  app.setErrorHandler((err, _req, reply) => refuse(reply, err));
  app.setNotFoundHandler((_req, reply) => refuse(reply, new TabadolError(Errors.PortalNotFound)));
  for (const plugin of o.plugins) await app.register(plugin);
  return app;
}

/** The catalogue error a failure is answered with; Fastify's own codes and wording never leave. */
function portalRefusal(err: unknown): TabadolError {
  if (isTabadolError(err)) return err;
  const status = (err as { statusCode?: unknown }).statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) return new TabadolError(Errors.PortalBadRequest);
  return new TabadolError(Errors.PortalInternalError, undefined, { cause: err });
}

export interface RunningPortal {
  port: number;
  openData: OpenData;
  close(): Promise<void>;
}

export interface PortalStart {
  config: NodeConfig;
  registry: Registry;
  /** Service levels, breaches, mandates, violations and the survey, for the dashboard. */
  compliance: Compliance;
  log: Logger;
  /** The node's plain-HTTP data port, through which the citizen stand-in asks the tracker. */
  dataHttpPort?: number | null;
  /** The snapshot this process's data plane runs on (none on a cluster's primary). */
  snapshots?: SnapshotHolder;
  /** Makes the data plane see a registry change made on the dashboard at once. */
  afterChange: () => Promise<void>;
  /** This process's record writer and disk, for the overview. */
  nodeHealth?: DashboardDeps['nodeHealth'];
}

/** How often expired dashboard sessions are forgotten. */
const SESSION_SWEEP_MS = 60_000;

/**
 * Starts the portal port of a node, or nothing when it is turned off (`--no-portal`): the open data,
 * the citizen stand-in when asked for, and the operators' dashboard (src/portal/dashboard/).
 */
export async function startPortal(o: PortalStart): Promise<RunningPortal | null> {
  const { config, registry, log } = o;
  const dataHttpPort = o.dataHttpPort ?? null;
  if (config.portalPort === null) return null;
  checkCitizenStandIn(config);
  const standIn = config.citizenStandIn;
  if (standIn !== null && dataHttpPort === null) fail(Errors.InvalidInput, 'the citizen stand-in needs the node\'s plain-HTTP data port, and none was given to the portal');
  const assets = await loadDashboardAssets();
  const tracker = standIn === null ? null : new CitizenTrackerClient({
    exchangeBaseUrl: `http://127.0.0.1:${dataHttpPort}`, instance: config.instance, client: standIn.client, log,
    ...(standIn.pageSize !== undefined ? { pageSize: standIn.pageSize } : {}),
  });
  // The rollups are read through the control plane's reader thread (src/oversight/rollup-host.ts),
  // never on this event loop, which a node with --workers 1 shares with its exchanges.
  const stats = o.compliance.stats;
  const openData = new OpenData({ reader: stats, registry, instance: config.instance, nodeId: config.nodeId, now: config.now, log });
  // Open data that cannot be computed must not keep the exchange from starting: it is retried. Years
  // of history take seconds to compute, so the first run goes on in the background: the catalogue
  // lists the months as they are ready.
  const refresh = () => openData.refresh().catch((err: unknown) => log.error({ err }, 'open data could not be published; retrying later'));
  void refresh();
  const timer = setInterval(() => { void refresh(); }, REFRESH_MS);
  timer.unref();
  // The dashboard's sessions live in this process's memory (sessions.ts); accounts in the registry store.
  const sessions = new Sessions(config.now);
  const sweeper = setInterval(() => sessions.sweep(), SESSION_SWEEP_MS);
  sweeper.unref();
  const dashboard = dashboardPlugin({
    deps: {
      registry, stats, compliance: o.compliance, openData, log, now: config.now, afterChange: o.afterChange,
      instance: config.instance, ...(o.snapshots ? { snapshots: o.snapshots } : {}), ...(o.nodeHealth ? { nodeHealth: o.nodeHealth } : {}),
      rollupPulls: { intervalMs: config.rollupPullIntervalMs },
    },
    users: new Users(registry.db, config.now), sessions, assets, secureCookies: config.portalSecureCookies, citizenPage: tracker !== null,
  });
  const stopAll = async () => {
    clearInterval(timer);
    clearInterval(sweeper);
    await tracker?.close();
    // A refresh in progress finishes before its database closes.
    await openData.stop();
  };
  let app: Awaited<ReturnType<typeof createPortalApp>> | undefined;
  try {
    app = await createPortalApp({
      log,
      plugins: [openDataRoutes(openData), ...(tracker ? [citizenRoutes({ tracker, now: config.now, log })] : []), dashboard],
      ...(tracker ? { formRoutes: [CITIZEN_POST_PATH] } : {}),
      formPaths: isDashboardFormPath,
      requestTimeoutMs: config.requestTimeoutMs, headersTimeoutMs: config.headersTimeoutMs,
      ...(config.portalRatePerMinute > 0 ? { rate: { points: config.portalRatePerMinute, durationSeconds: 60 } } : {}),
    });
    await app.listen({ port: config.portalPort, host: config.portalHost });
  } catch (e) {
    await app?.close();
    await stopAll();
    throw e;
  }
  const running = app;
  return {
    port: (running.server.address() as AddressInfo).port,
    openData,
    async close() {
      await running.close();
      await stopAll();
    },
  };
}
