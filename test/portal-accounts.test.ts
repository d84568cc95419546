// The dashboard's accounts and sessions: scrypt hashes, login and its failures, lock-out, the session
// cookie and its expiry, CSRF and cross-site refusals, what each role may do, the `user` commands, and
// that no password or session id reaches a log line.
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pino } from 'pino';
import type { FastifyPluginAsync } from 'fastify';
import { createPortalApp } from '../src/portal/server.ts';
import { dashboardPlugin, isDashboardFormPath } from '../src/portal/dashboard/dashboard.ts';
import { loadDashboardAssets } from '../src/portal/dashboard/assets.ts';
import { checkCsrf, formFields, pageContext, requireRole, type DashboardDeps } from '../src/portal/dashboard/context.ts';
import { hashPassword, verifyPassword } from '../src/portal/accounts/passwords.ts';
import { Users, LOCK_MS } from '../src/portal/accounts/users.ts';
import { ABSOLUTE_MS, IDLE_MS, Sessions } from '../src/portal/accounts/sessions.ts';
import { LOGIN_FAILURES_PER_ADDRESS } from '../src/portal/accounts/login-routes.ts';
import { openRegistryStore, type OpenedStore } from '../src/store/database.ts';
import { defaultConfig } from '../src/node/config.ts';
import { startNode, type RunningNode } from '../src/node/node.ts';
import { REGISTRY_PATHS } from '../src/portal/dashboard/pages/registry-html.ts';
import { runCli } from '../src/cli/program.ts';

const PASSWORDS = { op: 'operator-pass-1399', ov: 'overseer-pass-1399', in: 'inspector-pass-1399' };

/** Every log line of the test, to scan for secrets at the end. */
const lines: string[] = [];
const log = pino({ level: 'trace' }, new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } }));
const seenSecrets: string[] = [...Object.values(PASSWORDS)];

let clock = Date.parse('2025-01-01T08:00:00Z');
const now = () => clock;

// Sample routes standing for the pages, one per kind of right.
const changed: string[] = [];
const samplePages: FastifyPluginAsync = async (app) => {
  app.get('/dashboard', { preHandler: requireRole() }, async (req, reply) => reply.send({ user: pageContext(req).user }));
  app.get('/dashboard/api/figures', { preHandler: requireRole() }, async () => ({ n: 1 }));
  app.post('/dashboard/oversight/sla', { preHandler: [requireRole('operator', 'overseer'), checkCsrf] }, async (req) => {
    changed.push(`sla:${formFields(req).value}`);
    return { ok: true };
  });
  app.post('/dashboard/registry/members', { preHandler: [requireRole('operator'), checkCsrf] }, async (req) => {
    changed.push(`member:${formFields(req).value}`);
    return { ok: true };
  });
  // A route that names no guard: readable when logged in, changeable by operators only.
  app.get('/dashboard/unguarded', async () => ({ read: true }));
  app.post('/dashboard/unguarded', async () => {
    changed.push('unguarded');
    return { ok: true };
  });
};

type Answer = { status: number; headers: Headers; text: string };

describe('dashboard accounts', () => {
  let store: OpenedStore;
  let users: Users;
  let base: string;
  let app: Awaited<ReturnType<typeof createPortalApp>>;

  const http = async (p: string, o: { method?: string; cookie?: string; form?: Record<string, string>; headers?: Record<string, string> } = {}): Promise<Answer> => {
    const headers: Record<string, string> = { ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}), ...o.headers };
    const res = await fetch(base + p, { method: o.method ?? (o.form ? 'POST' : 'GET'), headers, body: o.form ? new URLSearchParams(o.form).toString() : null, redirect: 'manual' });
    return { status: res.status, headers: res.headers, text: await res.text() };
  };
  const cookieOf = (a: Answer) => a.headers.get('set-cookie')?.split(';')[0] ?? '';
  const login = async (username: string, password: string) => http('/login', { form: { username, password } });
  /** Logs in and reads the CSRF token from a page's logout form. */
  const session = async (username: string, password: string) => {
    const a = await login(username, password);
    expect(a.status).toBe(303);
    const cookie = cookieOf(a);
    seenSecrets.push(cookie.split('=')[1]!);
    const page = await http('/login?next=/dashboard', { cookie }); // a logged-in user is sent on
    expect(page.status).toBe(303);
    const csrf = await csrfOf(cookie);
    seenSecrets.push(csrf);
    return { cookie, csrf };
  };
  // The layout's logout form carries the session's token; a refusal page (here: no token) is laid out too.
  const csrfOf = async (cookie: string) => {
    const page = await http('/dashboard/registry/members', { cookie, form: { value: 'x' }, headers: { 'sec-fetch-site': 'same-origin' } });
    expect(page.status).toBe(403);
    const m = /name="_csrf" value="([^"]+)"/.exec(page.text);
    expect(m, page.text).not.toBeNull();
    return m![1]!;
  };

  beforeAll(async () => {
    store = await openRegistryStore(':memory:');
    users = new Users(store.db, now);
    await users.add('op', 'operator', PASSWORDS.op);
    await users.add('ov', 'overseer', PASSWORDS.ov);
    await users.add('in', 'inspector', PASSWORDS.in);
    const deps = { log, now, afterChange: async () => {}, instance: 'IR' } as unknown as DashboardDeps;
    app = await createPortalApp({
      log,
      plugins: [dashboardPlugin({ deps, users, sessions: new Sessions(now), assets: await loadDashboardAssets(), secureCookies: false, citizenPage: false, pages: samplePages })],
      formPaths: isDashboardFormPath,
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await store.close();
  });

  it('hashes with scrypt, a salt of its own per hash, and verifies', async () => {
    const [a, b] = await Promise.all([hashPassword('the same password'), hashPassword('the same password')]);
    expect(a).toMatch(/^scrypt\$15\$8\$1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(a.split('$')[4]).not.toBe(b.split('$')[4]);
    expect(a).not.toBe(b);
    expect(await verifyPassword('the same password', a)).toBe(true);
    expect(await verifyPassword('the same passworD', a)).toBe(false);
    expect(await verifyPassword('short', a)).toBe(false);
    expect(await verifyPassword('the same password', 'not-a-hash')).toBe(false);
    await expect(hashPassword('too short')).rejects.toMatchObject({ type: 'Account.InvalidInput' });
  });

  it('logs in with a session cookie that is HttpOnly, SameSite=Strict, Path=/ and not Secure without TLS', async () => {
    const a = await login('op', PASSWORDS.op);
    expect(a.status).toBe(303);
    expect(a.headers.get('location')).toBe('/dashboard');
    const cookie = a.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^tabadol_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Strict$/);
    seenSecrets.push(cookieOf(a).split('=')[1]!);
    const page = await http('/dashboard', { cookie: cookieOf(a) });
    expect(JSON.parse(page.text)).toEqual({ user: { username: 'op', role: 'operator' } });
    expect(page.headers.get('cache-control')).toBe('no-store');
    // Typed in other case and with spaces, the name is the same account.
    expect((await login(' OP ', PASSWORDS.op)).status).toBe(303);
  });

  it('answers an unknown user and a wrong password the same way, and logs in nobody', async () => {
    const unknown = await login('nobody', 'some-password-1234');
    const wrong = await login('ov', 'some-password-1234');
    expect(unknown.status).toBe(403);
    expect(wrong.status).toBe(403);
    expect(unknown.headers.get('set-cookie')).toBeNull();
    const strip = (t: string) => t.replace(/value="(nobody|ov)"/, 'value=""');
    expect(strip(unknown.text)).toBe(strip(wrong.text));
    await users.unlock('ov');
  });

  it('locks an account after 5 failures for 15 minutes, even against the right password; time and `unlock` end it', async () => {
    for (let i = 0; i < 5; i++) expect((await login('in', `wrong-password-${i}xx`)).status).toBe(403);
    const locked = await login('in', PASSWORDS.in);
    expect(locked.status).toBe(403);
    expect(locked.headers.get('set-cookie')).toBeNull();
    expect((await users.find('in'))!.lockedUntil).not.toBeNull();
    clock += LOCK_MS + 1000;
    expect((await login('in', PASSWORDS.in)).status).toBe(303);
    // Locked again, then unlocked by the operator's command (the store's unlock).
    for (let i = 0; i < 5; i++) await login('in', `wrong-password-${i}xx`);
    expect((await login('in', PASSWORDS.in)).status).toBe(403);
    await users.unlock('in');
    expect((await login('in', PASSWORDS.in)).status).toBe(303);
  });

  it('rotates the session id at login and ends it at logout', async () => {
    const first = await session('op', PASSWORDS.op);
    const again = await http('/login', { form: { username: 'op', password: PASSWORDS.op }, cookie: first.cookie });
    const second = cookieOf(again);
    expect(second).not.toBe(first.cookie);
    seenSecrets.push(second.split('=')[1]!);
    expect((await http('/dashboard', { cookie: first.cookie })).status).toBe(303); // the old id is gone
    const csrf = await csrfOf(second);
    const out = await http('/logout', { cookie: second, form: { _csrf: csrf } });
    expect(out.status).toBe(303);
    expect(out.headers.get('set-cookie')).toMatch(/tabadol_session=;.*Expires=Thu, 01 Jan 1970/);
    expect((await http('/dashboard', { cookie: second })).headers.get('location')).toBe('/login?expired=1');
  });

  it('ends a session after 30 minutes idle and 12 hours after login, whichever is first', async () => {
    const s = await session('op', PASSWORDS.op);
    clock += IDLE_MS - 1000;
    expect((await http('/dashboard', { cookie: s.cookie })).status).toBe(200); // used: idle time starts again
    clock += IDLE_MS - 1000;
    expect((await http('/dashboard', { cookie: s.cookie })).status).toBe(200);
    clock += IDLE_MS;
    const idle = await http('/dashboard', { cookie: s.cookie });
    expect(idle.status).toBe(303);
    expect(idle.headers.get('location')).toBe('/login?expired=1');
    expect((await http('/dashboard/api/figures', { cookie: s.cookie })).status).toBe(401);

    const t = await session('op', PASSWORDS.op);
    const end = clock + ABSOLUTE_MS;
    while (clock + IDLE_MS / 2 < end) {
      clock += IDLE_MS / 2;
      expect((await http('/dashboard', { cookie: t.cookie })).status).toBe(200);
    }
    clock = end;
    expect((await http('/dashboard', { cookie: t.cookie })).status).toBe(303);
  });

  it('refuses a POST without the CSRF token, or with a wrong one, and changes nothing', async () => {
    const s = await session('op', PASSWORDS.op);
    const before = changed.length;
    const missing = await http('/dashboard/oversight/sla', { cookie: s.cookie, form: { value: '1' } });
    const wrong = await http('/dashboard/oversight/sla', { cookie: s.cookie, form: { value: '1', _csrf: s.csrf.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')) } });
    const other = await session('ov', PASSWORDS.ov);
    const someoneElses = await http('/dashboard/oversight/sla', { cookie: s.cookie, form: { value: '1', _csrf: other.csrf } });
    // A route that forgot checkCsrf is checked all the same.
    const unguarded = await http('/dashboard/unguarded', { cookie: s.cookie, form: { value: '1' } });
    for (const a of [missing, wrong, someoneElses, unguarded]) {
      expect(a.status).toBe(403);
      expect(a.text).toContain('Portal.Dashboard.CsrfRefused');
    }
    expect(changed.length).toBe(before);
    expect((await http('/dashboard/oversight/sla', { cookie: s.cookie, form: { value: '1', _csrf: s.csrf } })).status).toBe(200);
    expect(changed.at(-1)).toBe('sla:1');
  });

  it('refuses a cross-site POST before reading it, even with the right token', async () => {
    const s = await session('op', PASSWORDS.op);
    const before = changed.length;
    const site = await http('/dashboard/oversight/sla', { cookie: s.cookie, form: { value: '2', _csrf: s.csrf }, headers: { 'sec-fetch-site': 'cross-site' } });
    const origin = await http('/dashboard/oversight/sla', { cookie: s.cookie, form: { value: '2', _csrf: s.csrf }, headers: { origin: 'https://evil.example' } });
    const loginForm = await http('/login', { form: { username: 'op', password: PASSWORDS.op }, headers: { origin: 'https://evil.example' } });
    for (const a of [site, origin, loginForm]) {
      expect(a.status).toBe(403);
      expect(a.text).toContain('Portal.CrossSiteRefused');
    }
    expect(loginForm.headers.get('set-cookie')).toBeNull();
    expect(changed.length).toBe(before);
  });

  it('lets each role do what the matrix says and no more', async () => {
    const who = { op: await session('op', PASSWORDS.op), ov: await session('ov', PASSWORDS.ov), in: await session('in', PASSWORDS.in) };
    const expected: Record<string, Record<keyof typeof who, number>> = {
      'GET /dashboard': { op: 200, ov: 200, in: 200 },
      'GET /dashboard/api/figures': { op: 200, ov: 200, in: 200 },
      'GET /dashboard/unguarded': { op: 200, ov: 200, in: 200 },
      'POST /dashboard/oversight/sla': { op: 200, ov: 200, in: 403 },
      'POST /dashboard/registry/members': { op: 200, ov: 403, in: 403 },
      'POST /dashboard/unguarded': { op: 200, ov: 403, in: 403 },
    };
    for (const [route, byRole] of Object.entries(expected)) {
      const [method, p] = route.split(' ') as [string, string];
      for (const role of ['op', 'ov', 'in'] as const) {
        const before = changed.length;
        const a = method === 'GET' ? await http(p, { cookie: who[role].cookie }) : await http(p, { cookie: who[role].cookie, form: { value: role, _csrf: who[role].csrf } });
        expect(a.status, `${role} ${route}`).toBe(byRole[role]);
        if (a.status === 403) {
          expect(a.text).toContain('Portal.Dashboard.Forbidden');
          expect(changed.length).toBe(before);
        }
      }
    }
    // Nobody logged in: pages go to the login page, JSON and changes are refused.
    expect((await http('/dashboard')).headers.get('location')).toBe('/login');
    expect((await http('/dashboard/api/figures')).status).toBe(401);
    expect((await http('/dashboard/registry/members', { form: { value: 'x' } })).status).toBe(401);
  });

  it('limits failed logins per address', async () => {
    let last: Answer | undefined;
    for (let i = 0; i < LOGIN_FAILURES_PER_ADDRESS + 1; i++) last = await login(`nobody${i}`, 'some-password-1234');
    expect(last!.status).toBe(429);
    expect(last!.headers.get('retry-after')).toMatch(/^\d+$/);
    // Refused before any password is checked, the right one included.
    expect((await login('op', PASSWORDS.op)).status).toBe(429);
  }, 60_000);
});

describe('the dashboard on a running node', () => {
  let dataDir: string;
  let node: RunningNode;
  const portal = (p: string, o: RequestInit = {}) => fetch(`http://127.0.0.1:${node.ports.portal}${p}`, { redirect: 'manual', ...o });

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-accounts-'));
    node = await startNode(defaultConfig({ dataDir, adminPort: 0, tlsPort: null, httpPort: null, portalPort: 0, portalRatePerMinute: 0, portalSecureCookies: true, logLevel: 'trace' }), log);
    await new Users(node.registry.db).add('ov', 'overseer', PASSWORDS.ov);
  }, 60_000);
  afterAll(async () => {
    await node.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves the dashboard on the portal port, with a Secure __Host- cookie when the portal is behind TLS', async () => {
    expect((await portal('/')).headers.get('location')).toBe('/dashboard');
    const a = await portal('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'ov', password: PASSWORDS.ov }).toString() });
    expect(a.status).toBe(303);
    expect(a.headers.get('set-cookie')).toMatch(/^__Host-tabadol_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
  });

  it('refuses an overseer a registry change and leaves the registry as it was', async () => {
    const a = await portal('/login', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ username: 'ov', password: PASSWORDS.ov }).toString() });
    const cookie = a.headers.get('set-cookie')!.split(';')[0]!;
    seenSecrets.push(cookie.split('=')[1]!);
    const page = await (await portal('/dashboard/registry/members', { headers: { cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page)![1]!;
    seenSecrets.push(csrf);
    const members = await node.registry.listMembers();
    const refused = await portal(REGISTRY_PATHS.addMember, {
      method: 'POST', headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, memberClass: 'GOV', memberCode: 'NEW', name: 'New agency' }).toString(),
    });
    expect(refused.status).toBe(403);
    expect(await node.registry.listMembers()).toEqual(members);
    // The portal's other paths still take no POST.
    expect((await portal('/open-data/catalog.json', { method: 'POST' })).status).toBe(405);
  });
});

describe('tabadol user', () => {
  let dataDir: string;
  let pwFile: string;
  const cli = async (args: string[], env: Record<string, string> = {}) => {
    let out = '';
    let err = '';
    const code = await runCli(['--data', dataDir, ...args], { out: (s) => { out += s; }, err: (s) => { err += s; }, env });
    return { code, out, err };
  };

  beforeAll(async () => {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-users-'));
    pwFile = path.join(dataDir, 'pw.txt');
    await writeFile(pwFile, 'from-a-file-password\n');
  });
  afterAll(async () => { await rm(dataDir, { recursive: true, force: true }); });

  it('adds from a file or the environment, refuses a password on the command line and a second user of a name', async () => {
    expect((await cli(['user', 'add', 'alice', '--role', 'operator', '--password-file', pwFile])).code).toBe(0);
    expect((await cli(['user', 'add', 'bob', '--role', 'inspector'], { TABADOL_PASSWORD: 'from-the-environment' })).code).toBe(0);
    const onLine = await cli(['user', 'add', 'carol', '--role', 'overseer', '--password', 'on-the-command-line']);
    expect(onLine.code).toBe(2);
    expect(onLine.err).toContain('Account.PasswordOnCommandLine');
    expect(onLine.err).not.toContain('on-the-command-line');
    const twice = await cli(['user', 'add', 'alice', '--role', 'operator', '--password-file', pwFile]);
    expect(twice.code).toBe(2);
    expect(twice.err).toContain('Account.Exists');
    expect((await cli(['user', 'add', 'dave', '--role', 'admin', '--password-file', pwFile])).err).toContain('Account.InvalidInput');
    expect((await cli(['user', 'add', 'eve', '--role', 'operator'])).err).toContain('Account.InvalidInput');

    const store = await openRegistryStore(dataDir);
    try {
      const users = new Users(store.db);
      expect(await verifyPassword('from-a-file-password', (await users.find('alice'))!.passwordHash)).toBe(true);
      expect(await verifyPassword('from-the-environment', (await users.find('bob'))!.passwordHash)).toBe(true);
      expect(await users.find('carol')).toBeUndefined();
      for (let i = 0; i < 5; i++) await users.recordFailure('bob');
      expect(users.isLocked((await users.find('bob'))!)).toBe(true);
    } finally {
      await store.close();
    }
    const list = await cli(['user', 'list']);
    expect(list.out).not.toContain('scrypt');
    expect(JSON.parse(list.out).map((u: { username: string; role: string }) => [u.username, u.role])).toEqual([['alice', 'operator'], ['bob', 'inspector']]);
    expect((await cli(['user', 'unlock', 'bob'])).code).toBe(0);
    expect(JSON.parse((await cli(['user', 'list'])).out)[1].lockedUntil).toBeNull();
    expect((await cli(['user', 'remove', 'alice'])).code).toBe(0);
    expect((await cli(['user', 'remove', 'alice'])).err).toContain('Account.NotFound');
  });
});

describe('the log', () => {
  it('holds no password, session id or CSRF token', () => {
    const text = lines.join('');
    expect(text).toContain('dashboard login');
    for (const s of seenSecrets) expect(text.includes(s), `a secret in the log`).toBe(false);
  });
});
