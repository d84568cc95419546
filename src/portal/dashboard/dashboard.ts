// The operators' dashboard on the portal port: the login (src/portal/accounts/), the static assets,
// the language switch and the pages (pages/index.ts), in one encapsulated Fastify plugin so that its
// cookies, form parser and guards apply to its routes only; the open data and the citizen pages
// beside it stay without cookies or sessions.
//
// For every request of the plugin, before any route runs: a POST from another site is refused before
// its body is read (Sec-Fetch-Site, else Origin); the session cookie is looked up (sessions.ts) and
// the language read (`lang` cookie, `?lang=` overrides). For every POST, the session's CSRF token is
// checked (context.ts checkCsrf) but on /login (no session yet; the cross-site check and SameSite
// stand in) and /lang. Every /dashboard route that names no role guard gets one: any logged-in user
// for GET, operators only for POST (deny by default). A form body is application/x-www-form-urlencoded
// only, 16 KB unless a route sets its own bodyLimit (a contract upload may).
import { randomUUID } from 'node:crypto';
import fastifyCookie from '@fastify/cookie';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import { Errors, isTabadolError, TabadolError } from '../../errors/catalogue.ts';
import { escapeHtml as esc } from '../../html/escape.ts';
import { loginRoutes, refuseCrossSite } from '../accounts/login-routes.ts';
import { RECHECK_MS, type Sessions } from '../accounts/sessions.ts';
import { sessionCookie } from '../accounts/session-cookie.ts';
import type { Users } from '../accounts/users.ts';
import { assetRoutes, type Asset } from './assets.ts';
import { checkCsrf, isRoleGuard, requestState, requireRole, setRequestState, type DashboardDeps, type Lang } from './context.ts';
import { dashboardPage } from './layout.ts';
import { pageRoutes } from './pages/index.ts';

/** The default limit of a dashboard form. */
export const DASHBOARD_FORM_BYTES = 16 * 1024;
const LANG_COOKIE = 'tabadol_lang';
const YEAR_SECONDS = 365 * 24 * 3600;

/** Whether the portal's method check lets POST through to this path: the dashboard's forms. */
export function isDashboardFormPath(path: string): boolean {
  return path === '/login' || path === '/logout' || path === '/lang' || path.startsWith('/dashboard/');
}

export interface DashboardOptions {
  deps: DashboardDeps;
  users: Users;
  sessions: Sessions;
  assets: Map<string, Asset>;
  /** `portalSecureCookies`: the portal is reached over TLS (a reverse proxy's). */
  secureCookies: boolean;
  citizenPage: boolean;
  /** The pages; pages/index.ts unless given (a test gives routes of its own). */
  pages?: FastifyPluginAsync;
}

const TEXT = {
  fa: {
    refused: 'درخواست انجام نشد', forbidden: 'نقش شما اجازهٔ این کار یا دیدن این صفحه را ندارد. اگر لازم است، از گردانندهٔ تبادل بخواهید.',
    csrf: 'این فرم کهنه است یا از صفحهٔ خود درگاه فرستاده نشده است. صفحه را دوباره بارگذاری کنید و فرم را دوباره بفرستید. چیزی تغییر نکرد.',
    crossSite: 'این فرم از وبگاه دیگری فرستاده شده است. صفحهٔ خود درگاه را باز کنید و از آن‌جا بفرستید. چیزی تغییر نکرد.',
    tooLarge: 'فرم بزرگ‌تر از اندازهٔ پذیرفتنی است.', mediaType: 'فرم باید به شکل معمول فرم‌های وب فرستاده شود.',
    badForm: 'فرم درست نیست.', failed: 'درگاه با خطای پیش‌بینی‌نشده روبه‌رو شد. چند دقیقهٔ دیگر دوباره بکوشید؛ اگر تکرار شد، این کد را به پشتیبانی بدهید:',
    login: 'برای ادامه وارد شوید.', code: 'کد', back: 'بازگشت به نمای کلی',
  },
  en: {
    refused: 'The request was not carried out', forbidden: 'Your role may not see this page or make this change. Ask an operator of the exchange if you need to.',
    csrf: 'This form is stale or was not sent from the portal\'s own page. Reload the page and send the form again. Nothing was changed.',
    crossSite: 'This form was sent from another site. Open the portal\'s own page and send it from there. Nothing was changed.',
    tooLarge: 'The form is larger than the portal accepts.', mediaType: 'The form must be sent as an ordinary web form.',
    badForm: 'The form is not valid.', failed: 'The portal failed unexpectedly. Try again in a few minutes; if it happens again, give support this code:',
    login: 'Log in to continue.', code: 'Code', back: 'Back to the overview',
  },
} as const;

function langOf(req: FastifyRequest): Lang {
  const q = (req.query as { lang?: unknown } | undefined)?.lang;
  if (q === 'en' || q === 'fa') return q;
  return req.cookies[LANG_COOKIE] === 'en' ? 'en' : 'fa';
}

/** The fields of an urlencoded form, on an object without a prototype (no `__proto__` games). */
function parseForm(text: string): Record<string, string> {
  const fields = Object.create(null) as Record<string, string>;
  for (const [k, v] of new URLSearchParams(text)) fields[k] = v;
  return fields;
}

function addPreHandler(route: RouteOptions, fn: NonNullable<RouteOptions['preHandler']>, first: boolean): void {
  const existing = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
  const added = Array.isArray(fn) ? fn : [fn];
  route.preHandler = first ? [...added, ...existing] : [...existing, ...added];
}

export function dashboardPlugin(o: DashboardOptions): FastifyPluginAsync {
  const { deps } = o;
  const cookie = sessionCookie(o.secureCookies);
  return async (app) => {
    await app.register(fastifyCookie, { hook: 'onRequest' });

    // Scoped to this plugin: the rest of the portal still takes no body at all. The limit is the
    // route's (set below to DASHBOARD_FORM_BYTES where a route names none).
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
      done(null, parseForm(typeof body === 'string' ? body : body.toString('utf8')));
    });

    app.addHook('onRoute', (route) => {
      route.bodyLimit ??= DASHBOARD_FORM_BYTES;
      const url = route.url ?? route.path;
      if (!url.startsWith('/dashboard')) return;
      const pre = route.preHandler === undefined ? [] : Array.isArray(route.preHandler) ? route.preHandler : [route.preHandler];
      if (pre.some(isRoleGuard)) return;
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      const changes = methods.some((m) => m !== 'GET' && m !== 'HEAD');
      addPreHandler(route, changes ? requireRole('operator') : requireRole(), true);
    });

    app.addHook('onRequest', async (req, reply) => {
      refuseCrossSite(req);
      const lang = langOf(req);
      const id = cookie.read(req);
      let session = id === undefined ? undefined : o.sessions.touch(id);
      if (session && id !== undefined && deps.now() - session.checkedAt >= RECHECK_MS) {
        // Once a minute a session's user is read again: removed (or re-added in another role)
        // elsewhere, by the CLI, takes effect here.
        const row = await o.users.find(session.user.username);
        if (!row) {
          o.sessions.destroy(id);
          session = undefined;
        } else {
          session.user = { username: row.username, role: row.role };
          session.checkedAt = deps.now();
        }
      }
      if (id !== undefined && !session) {
        cookie.clear(reply);
        // A page asked with an ended session says so on the login page.
        if (req.method === 'GET' && (req.url === '/dashboard' || req.url.startsWith('/dashboard/')) && !req.url.startsWith('/dashboard/api/')) {
          return reply.status(303).headers({ location: '/login?expired=1', 'cache-control': 'no-store' }).send();
        }
      }
      setRequestState(req, { lang, user: session ? session.user : null, csrf: session ? session.csrf : null, sessionId: session ? id! : null });
      return undefined;
    });

    app.addHook('preHandler', async (req, reply) => {
      const path = req.routeOptions.url ?? '';
      if (req.method !== 'POST' || path === '/login' || path === '/lang') return;
      if (path === '/logout' && requestState(req).user === null) return; // nothing to end
      await checkCsrf.call(app, req, reply);
    });

    // Nothing of the dashboard is kept by a shared cache or the back button of a shared computer
    // (RFC 9111 §5.2.2.5) unless a route says otherwise (the assets do).
    app.addHook('onSend', async (_req, reply) => {
      if (!reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    });

    app.setErrorHandler((err, req, reply) => refusal(req, reply, err));

    function refusal(req: FastifyRequest, reply: FastifyReply, err: unknown) {
      const code = (err as { code?: unknown }).code;
      const status = (err as { statusCode?: unknown }).statusCode;
      const e = isTabadolError(err) ? err
        : code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? new TabadolError(Errors.PortalPayloadTooLarge)
          : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? new TabadolError(Errors.PortalUnsupportedMediaType)
            : typeof status === 'number' && status >= 400 && status < 500 ? new TabadolError(Errors.PortalBadRequest)
              : new TabadolError(Errors.PortalInternalError, undefined, { cause: err });
      const detail = randomUUID();
      // The route template, never the raw URL.
      const route = req.routeOptions.url ?? 'unmatched';
      if (e.status >= 500) deps.log.error({ err, detail, route }, 'dashboard failed');
      else deps.log.info({ type: e.type, status: e.status, detail, route }, 'dashboard refused a request');
      const path = req.routeOptions.url ?? req.url;
      if (path.startsWith('/dashboard/api/') || path.startsWith('/assets/')) {
        return reply.status(e.status).headers({ 'cache-control': 'no-store' }).type('application/json; charset=utf-8')
          .send({ type: e.type, message: e.message, detail });
      }
      const { lang, user, csrf } = requestState(req);
      const t = TEXT[lang];
      if (e.spec === Errors.PortalLoginRequired && req.method === 'GET') {
        return reply.status(303).headers({ location: '/login', 'cache-control': 'no-store' }).send();
      }
      const text = e.spec === Errors.PortalForbidden ? t.forbidden
        : e.spec === Errors.PortalCsrfRefused ? t.csrf
          : e.spec === Errors.PortalCrossSite ? t.crossSite
            : e.spec === Errors.PortalLoginRequired ? t.login
              : e.spec === Errors.PortalPayloadTooLarge ? t.tooLarge
                : e.spec === Errors.PortalUnsupportedMediaType ? t.mediaType
                  : e.status >= 500 ? t.failed : t.badForm;
      const body = `<div class="notice notice-error" role="alert"><p>${esc(text)}</p><p class="error-code">${esc(t.code)}: <code dir="ltr">${esc(e.type)}</code> · <code dir="ltr">${esc(detail)}</code></p></div>`
        + (e.spec === Errors.PortalLoginRequired ? `<p><a href="/login">${esc(lang === 'fa' ? 'ورود' : 'Log in')}</a></p>` : user ? `<p><a href="/dashboard">${esc(t.back)}</a></p>` : '');
      return reply.status(e.status).headers({ 'cache-control': 'no-store' }).type('text/html; charset=utf-8')
        .send(dashboardPage({ lang, title: t.refused, user, active: '', body, csrf }));
    }

    // `/` is the dashboard (RFC 9110 §15.4.4: 303, see other).
    app.get('/', async (_req, reply) => reply.status(303).headers({ location: '/dashboard' }).send());

    // The language switch: a cookie of the choice (not a secret; SameSite=Lax so a link from elsewhere
    // keeps it), then back to the page it was chosen on (a path of this portal only).
    const switchLang = async (req: FastifyRequest, reply: FastifyReply) => {
      const q = { ...(req.query as Record<string, unknown>), ...(req.method === 'POST' ? req.body as Record<string, unknown> ?? {} : {}) };
      const to: Lang = q.to === 'en' ? 'en' : 'fa';
      const back = typeof q.back === 'string' && /^\/(dashboard|login|citizen)?(\/[A-Za-z0-9._~\-/]*)?$/.test(q.back) && !q.back.includes('//') ? q.back : '/dashboard';
      reply.setCookie(LANG_COOKIE, to, { path: '/', sameSite: 'lax', maxAge: YEAR_SECONDS, secure: o.secureCookies, httpOnly: true });
      return reply.status(303).headers({ location: back === '/citizen' && to === 'en' ? '/citizen?lang=en' : back }).send();
    };
    app.get('/lang', switchLang);
    app.post('/lang', switchLang);

    await app.register(assetRoutes(o.assets));
    await app.register(loginRoutes({ deps, users: o.users, sessions: o.sessions, cookie, citizenPage: o.citizenPage }));
    await app.register(o.pages ?? pageRoutes(deps));
  };
}
