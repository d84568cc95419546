// The node's public portal port: read-only pages and files for anyone, no account and no cookie.
// Today it serves the open data (open-data-routes.ts) and, when the node runs the development stand-in
// for the national login, the citizen's "who looked me up" page (citizen-routes.ts); the dashboard
// registers its own plugin beside them and inherits what every answer here gets: security headers,
// the method and length checks, a rate limit per remote address and coded refusals.
//
// Who reaches it: whoever can reach the address it is bound to (`--portal-host`, 127.0.0.1 unless the
// operator opts in to exposing it). What abusing it costs the node: every answer is a lookup in memory
// (no database read, no computation per request), but for the citizen page's post, which is one
// inquiry through the exchange's own door; a URL is refused past 2 KB (its query past 512
// bytes), a request body is never read but the citizen page's one form (POST /citizen/usage, 1 KB
// at most, urlencoded only), headers must arrive within the node's header timeout; each
// remote address (an IPv6 caller by its /64) gets `--portal-rate` requests a minute (600), counted in
// memory for that minute only (a few dozen bytes per address seen).
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import Fastify, { type FastifyPluginAsync, type FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { Errors, fail, isTabadolError, TabadolError } from '../errors/catalogue.ts';
import type { NodeConfig } from '../node/config.ts';
import { openStatsSource } from '../oversight/stats-source.ts';
import type { Registry } from '../registry/registry.ts';
import { OpenData } from './open-data.ts';
import { CITIZEN_POST_PATH } from './citizen-html.ts';
import { citizenRoutes } from './citizen-routes.ts';
import { checkCitizenStandIn } from './citizen-stand-in.ts';
import { CitizenTrackerClient } from './citizen-tracker-client.ts';
import { openDataRoutes } from './open-data-routes.ts';

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

/** The rate-limit key of a remote address: an IPv6 caller usually holds a whole /64. */
export function addressKey(ip: string | undefined): string {
  if (!ip) return 'unknown';
  const bare = ip.split('%', 1)[0]!; // an interface zone is not part of the address
  if (!bare.includes(':')) return bare;
  if (/^::ffff:\d+\.\d+\.\d+\.\d+$/i.test(bare)) return bare.slice(7);
  const [head = '', tail = ''] = bare.split('::');
  const h = head === '' ? [] : head.split(':');
  const t = tail === '' ? [] : tail.split(':');
  const groups = bare.includes('::') ? [...h, ...new Array<string>(Math.max(0, 8 - h.length - t.length)).fill('0'), ...t] : h;
  return `${groups.slice(0, 4).map((g) => parseInt(g, 16).toString(16)).join(':')}::/64`;
}

export interface PortalAppOptions {
  log: Logger;
  plugins: FastifyPluginAsync[];
  /** The exact paths (no query) that also take POST: a plugin's form; its own parser bounds the body. */
  formRoutes?: string[];
  /** Requests per remote address and window; none: no limit. */
  rate?: { points: number; durationSeconds: number };
  requestTimeoutMs?: number;
  headersTimeoutMs?: number;
}

export async function createPortalApp(o: PortalAppOptions) {
  const app = Fastify({
    logger: false,
    // No route takes a body but the citizen form (its parser has its own limit); a GET that carries
    // one is refused before anything reads it.
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
    const form = o.formRoutes?.includes(q >= 0 ? url.slice(0, q) : url) === true;
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

/**
 * Starts the portal port of a node, or nothing when it is turned off (`--no-portal`).
 * `dataHttpPort`: the node's plain-HTTP data port, through which the citizen stand-in asks the tracker.
 */
export async function startPortal(config: NodeConfig, registry: Registry, log: Logger, dataHttpPort: number | null = null): Promise<RunningPortal | null> {
  if (config.portalPort === null) return null;
  checkCitizenStandIn(config);
  const standIn = config.citizenStandIn;
  if (standIn !== null && dataHttpPort === null) fail(Errors.InvalidInput, 'the citizen stand-in needs the node\'s plain-HTTP data port, and none was given to the portal');
  const tracker = standIn === null ? null : new CitizenTrackerClient({
    exchangeBaseUrl: `http://127.0.0.1:${dataHttpPort}`, instance: config.instance, client: standIn.client, log,
    ...(standIn.pageSize !== undefined ? { pageSize: standIn.pageSize } : {}),
  });
  // A read connection of its own, beside the writer thread (WAL), like the admin API's statistics.
  const stats = openStatsSource(config.dataDir);
  const openData = new OpenData({ reader: stats.reader, db: stats.db, registry, instance: config.instance, nodeId: config.nodeId, now: config.now, log });
  // Open data that cannot be computed must not keep the exchange from starting: it is retried. Years
  // of history take seconds to compute, so the first run goes on in the background: the catalogue
  // lists the months as they are ready.
  const refresh = () => openData.refresh().catch((err: unknown) => log.error({ err }, 'open data could not be published; retrying later'));
  void refresh();
  const timer = setInterval(() => { void refresh(); }, REFRESH_MS);
  timer.unref();
  const app = await createPortalApp({
    log,
    plugins: [openDataRoutes(openData), ...(tracker ? [citizenRoutes({ tracker, now: config.now, log })] : [])],
    ...(tracker ? { formRoutes: [CITIZEN_POST_PATH] } : {}),
    requestTimeoutMs: config.requestTimeoutMs, headersTimeoutMs: config.headersTimeoutMs,
    ...(config.portalRatePerMinute > 0 ? { rate: { points: config.portalRatePerMinute, durationSeconds: 60 } } : {}),
  });
  try {
    await app.listen({ port: config.portalPort, host: config.portalHost });
  } catch (e) {
    clearInterval(timer);
    await openData.stop();
    await tracker?.close();
    stats.close();
    throw e;
  }
  return {
    port: (app.server.address() as AddressInfo).port,
    openData,
    async close() {
      clearInterval(timer);
      await app.close();
      await tracker?.close();
      // A refresh in progress finishes before its database closes.
      await openData.stop();
      stats.close();
    },
  };
}
