// Logging in and out of the dashboard:
//
//   GET  /login    the form (Persian first); a logged-in user goes on to /dashboard
//   POST /login    user name and password (urlencoded, 2 KB at most); 303 to the dashboard, or the
//                  form again with one notice for every failure
//   POST /logout   ends the session (its CSRF token required), 303 to /login
//
// Guessing costs: every attempt runs one scrypt (passwords.ts), an unknown user's against a decoy
// hash, so the answer and its timing are the same for an unknown user, a wrong password and a locked
// account. Five failures in a row lock an account for 15 minutes (users.ts); an address that fails
// LOGIN_FAILURES_PER_ADDRESS times in 15 minutes is refused (429) without a password being checked,
// so one address cannot lock every account nor guess across many. A success rotates the session:
// whatever session id the browser had is dropped and a new one issued (OWASP Session Management,
// "Renew the Session ID After Any Privilege Level Change"). Neither the password nor a session id
// is ever logged; a failure is logged with the user name only when that user exists.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { RateLimiterMemory } from 'rate-limiter-flexible';
import { Errors, TabadolError } from '../../errors/catalogue.ts';
import { sameOriginPost } from '../citizen-routes.ts';
import { addressKey } from '../address-key.ts';
import { formFields, requestState, type DashboardDeps } from '../dashboard/context.ts';
import { decoyHash, PASSWORD_MAX, verifyPassword } from './passwords.ts';
import { loginPage } from './login-page.ts';
import type { Sessions } from './sessions.ts';
import type { Users } from './users.ts';
import type { SessionCookie } from './session-cookie.ts';

export const LOGIN_FAILURES_PER_ADDRESS = 30;
const ADDRESS_WINDOW_SECONDS = 15 * 60;
/** The login form: a user name, a password of at most 1024 characters, and `next`. */
export const MAX_LOGIN_BYTES = 2048 + 4 * PASSWORD_MAX;

/** Where a login goes on to: a dashboard page of this portal only (never another origin: no open
 * redirect, RFC 9700 §4.11 on why). */
export function safeNext(next: unknown): string {
  return typeof next === 'string' && /^\/dashboard(\/[A-Za-z0-9._~\-/]*)?$/.test(next) && !next.includes('//') && !next.includes('/.') ? next : '/dashboard';
}

export interface LoginRoutesOptions {
  deps: DashboardDeps;
  users: Users;
  sessions: Sessions;
  cookie: SessionCookie;
  /** Whether the citizen page runs on this portal (the login page links to it). */
  citizenPage: boolean;
}

const html = (reply: FastifyReply, status: number, body: string) =>
  reply.status(status).headers({ 'cache-control': 'no-store' }).type('text/html; charset=utf-8').send(body);

export function loginRoutes(o: LoginRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    const { log } = o.deps;
    const perAddress = new RateLimiterMemory({ points: LOGIN_FAILURES_PER_ADDRESS, duration: ADDRESS_WINDOW_SECONDS });
    const decoy = await decoyHash();

    app.get('/login', async (req, reply) => {
      const { lang, user } = requestState(req);
      const q = req.query as { next?: unknown; expired?: unknown; out?: unknown };
      if (user) return reply.status(303).headers({ location: safeNext(q.next), 'cache-control': 'no-store' }).send();
      const notice = q.expired === '1' ? 'expired' : q.out === '1' ? 'loggedOut' : null;
      return html(reply, 200, loginPage({ lang, notice, next: safeNext(q.next) === '/dashboard' ? '' : safeNext(q.next), citizenPage: o.citizenPage }));
    });

    app.post('/login', { bodyLimit: MAX_LOGIN_BYTES }, async (req: FastifyRequest, reply) => {
      const { lang } = requestState(req);
      const f = formFields(req);
      const typed = typeof f.username === 'string' ? f.username.slice(0, 64) : '';
      const password = typeof f.password === 'string' ? f.password : '';
      const next = safeNext(f.next);
      const address = addressKey(req.socket.remoteAddress);
      const seen = await perAddress.get(address);
      if (seen !== null && seen.consumedPoints >= LOGIN_FAILURES_PER_ADDRESS) {
        log.warn({ route: '/login' }, 'dashboard login refused: too many failures from one address');
        reply.header('retry-after', String(Math.max(1, Math.ceil(seen.msBeforeNext / 1000))));
        return html(reply, Errors.PortalLoginThrottled.status, loginPage({ lang, notice: 'throttled', username: typed, next: next === '/dashboard' ? '' : next, citizenPage: o.citizenPage }));
      }
      const user = typed === '' ? undefined : await o.users.find(typed);
      // One scrypt whatever happens, against the decoy when there is no such user.
      const matches = await verifyPassword(password, user?.passwordHash ?? decoy);
      if (!user || !matches || o.users.isLocked(user)) {
        if (user) await o.users.recordFailure(user.username);
        await perAddress.penalty(address, 1);
        log.info({ route: '/login', user: user ? user.username : null, locked: user ? o.users.isLocked(user) : null }, 'dashboard login failed');
        return html(reply, Errors.PortalLoginFailed.status, loginPage({ lang, notice: 'failed', username: typed, next: next === '/dashboard' ? '' : next, citizenPage: o.citizenPage }));
      }
      await o.users.recordSuccess(user.username);
      const old = o.cookie.read(req);
      if (old !== undefined) o.sessions.destroy(old);
      const { id } = o.sessions.create({ username: user.username, role: user.role });
      o.cookie.set(reply, id);
      log.info({ route: '/login', user: user.username, role: user.role }, 'dashboard login');
      return reply.status(303).headers({ location: next, 'cache-control': 'no-store' }).send();
    });

    app.post('/logout', async (req, reply) => {
      const { user } = requestState(req);
      const id = o.cookie.read(req);
      if (id !== undefined) o.sessions.destroy(id);
      o.cookie.clear(reply);
      if (user) log.info({ route: '/logout', user: user.username }, 'dashboard logout');
      return reply.status(303).headers({ location: '/login?out=1', 'cache-control': 'no-store' }).send();
    });
  };
}

/** The cross-site check of every dashboard POST, before its body is read (citizen-routes.ts says why
 * Sec-Fetch-Site and Origin are read, and in which order). */
export function refuseCrossSite(req: FastifyRequest): void {
  if (req.method === 'POST' && !sameOriginPost(req)) throw new TabadolError(Errors.PortalCrossSite);
}
