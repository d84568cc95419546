// The portal port of a running node: read-only (other methods 405 with Allow), coded JSON refusals
// for unknown paths and overlong addresses, security headers on every answer (refusals included), no
// cookie, and a rate limit per remote address; a month is published only once it is over.
import os from 'node:os';
import path from 'node:path';
import { mkdtemp, rm } from 'node:fs/promises';
import { pino } from 'pino';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOfJalaliDay } from '../src/dates/jalali.ts';
import { RollupWriter } from '../src/oversight/rollup-writer.ts';
import { openStatsSource } from '../src/oversight/stats-source.ts';
import { OpenData, PUBLISH_GRACE_MS } from '../src/portal/open-data.ts';
import { openDataRoutes } from '../src/portal/open-data-routes.ts';
import { addressKey, createPortalApp, SECURITY_HEADERS } from '../src/portal/server.ts';
import { openRegistryAt } from '../src/registry/open-registry.ts';
import { toRow } from '../src/records/record.ts';
import { startTestNode, type TestNode } from './harness.ts';
import { tabadolInProcess } from './tabadol-in-process.ts';

let t: TestNode;
beforeAll(async () => { t = await startTestNode({ portalPort: 0 }); });
afterAll(async () => { await t?.close(); });

const portal = (p: string, method = 'GET') => request(`http://127.0.0.1:${t.node.ports.portal}${p}`, { method: method as 'GET' });

function expectSecurityHeaders(headers: Record<string, string | string[] | undefined>) {
  for (const [name, value] of Object.entries(SECURITY_HEADERS)) expect(headers[name], name).toBe(value);
  expect(String(headers['content-security-policy'])).toContain("default-src 'self'");
  expect(headers['set-cookie']).toBeUndefined();
}

describe('the portal port', () => {
  it('answers the catalogue with security headers and no cookie, readable from any site', async () => {
    const res = await portal('/open-data/catalog.json');
    expect(res.statusCode).toBe(200);
    expect((await res.body.json() as { 'dcat:dataset': unknown[] })['dcat:dataset']).toEqual([]);
    expectSecurityHeaders(res.headers);
    expect(res.headers['access-control-allow-origin']).toBe('*');
  });

  it('takes GET and HEAD only: any other method is 405 with Allow, on known and unknown paths', async () => {
    for (const method of ['POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      for (const p of ['/open-data/catalog.json', '/nowhere']) {
        const res = await portal(p, method);
        expect(res.statusCode, `${method} ${p}`).toBe(405);
        expect(res.headers.allow).toBe('GET, HEAD');
        expect((await res.body.json() as { type: string }).type).toBe('Portal.MethodNotAllowed');
        expectSecurityHeaders(res.headers);
      }
    }
  });

  it('answers an unknown path with a coded 404 that does not echo the path', async () => {
    const root = await portal('/');
    expect(root.statusCode).toBe(303); // the portal's front page is the dashboard (its login when signed out)
    expect(root.headers.location).toBe('/dashboard');
    await root.body.dump();
    for (const p of ['/open-data/', '/open-data/1399/07/people.csv', '/open-data/../keys/admin-token', '/admin?nationalCode=0012345679']) {
      const res = await portal(p);
      expect(res.statusCode, p).toBe(404);
      const text = await res.body.text();
      expect(JSON.parse(text)).toMatchObject({ type: 'Portal.NotFound', detail: expect.any(String) });
      expect(text).not.toContain('0012345679');
      expectSecurityHeaders(res.headers);
      expect(res.headers['cache-control']).toBe('no-store');
    }
  });

  it('refuses an overlong address or query string with 414', async () => {
    for (const p of [`/open-data/catalog.json?q=${'a'.repeat(600)}`, `/${'a'.repeat(3000)}`]) {
      const res = await portal(p);
      expect(res.statusCode).toBe(414);
      expect((await res.body.json() as { type: string }).type).toBe('Portal.UriTooLong');
    }
    // A short query string is harmless and ignored.
    expect((await portal('/open-data/catalog.json?lang=fa')).statusCode).toBe(200);
  });

  it('is off with --no-portal (portalPort null) and on a free port with 0', async () => {
    expect(t.node.ports.portal).toBeGreaterThan(0);
    const off = await startTestNode({ portalPort: null, tlsPort: null });
    try {
      expect(off.node.ports.portal).toBeNull();
    } finally {
      await off.close();
    }
  });

  it('refuses a --portal-port that is not a port number before anything starts', async () => {
    for (const port of ['http', '-1', '70000', '80.5']) {
      const r = await tabadolInProcess(['--data', t.dataDir, 'start', '--portal-port', port]);
      expect(r.code, port).toBe(2);
      expect(r.stderr).toContain('Admin.InvalidInput');
      expect(r.stderr).toContain('--portal-port');
    }
  });
});

describe('the rate limit per remote address', () => {
  it('answers 429 with Retry-After once an address has spent its requests', async () => {
    const app = await createPortalApp({ log: pino({ level: 'silent' }), plugins: [], rate: { points: 3, durationSeconds: 60 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 4; i++) codes.push((await app.inject({ method: 'GET', url: '/open-data/catalog.json' })).statusCode);
      expect(codes).toEqual([404, 404, 404, 429]);
      const limited = await app.inject({ method: 'GET', url: '/' });
      expect(limited.statusCode).toBe(429);
      expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
      expect(limited.json()).toMatchObject({ type: 'Portal.RateLimited' });
      // Another address has its own bucket.
      expect((await app.inject({ method: 'GET', url: '/', remoteAddress: '10.0.0.9' })).statusCode).toBe(404);
    } finally {
      await app.close();
    }
  });

  it('keys IPv4 by address and IPv6 by its /64', () => {
    expect(addressKey('192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('::ffff:192.0.2.7')).toBe('192.0.2.7');
    expect(addressKey('2001:db8:1:2:aaaa::1')).toBe('2001:db8:1:2::/64');
    expect(addressKey('2001:db8:1:2:bbbb:cccc:dddd:eeee')).toBe('2001:db8:1:2::/64');
    expect(addressKey('::1')).toBe('0:0:0:0::/64');
    expect(addressKey('fe80::1%eth0')).toBe('fe80:0:0:0::/64');
  });
});

describe('when a month is published', () => {
  it('publishes a month only once it has ended and the grace for exchanges in flight has passed', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'tabadol-portal-month-'));
    const stats = openStatsSource(dataDir);
    const opened = await openRegistryAt(dataDir);
    try {
      // Twenty answered inquiries on 1403/12/29 (the last day of Esfand 1403), 23:00 Tehran.
      const row = (i: number) => toRow({
        xroadId: `x${i}`, requestId: `r${i}`, client: 'IR/GOV/JUDICIARY/case-management', service: 'IR/GOV/NOCR/identity/person', endpoint: 'GET /p',
        userId: null, issue: null, representedParty: null, subjectHash: null, timeIn: '2025-03-20T19:30:00.000Z', timeOut: '2025-03-20T19:30:00.010Z',
        durationUs: 10_000, providerUs: 5000, status: 200, errorType: null, requestSize: 0, responseSize: 1, requestHash: 'x', responseHash: 'y',
      });
      const writer = new RollupWriter(stats.db);
      stats.db.transaction(() => writer.add(Array.from({ length: 20 }, (_, i) => row(i))))();
      const newYear = startOfJalaliDay({ year: 1404, month: 1, day: 1 }).getTime();
      let now = newYear + PUBLISH_GRACE_MS - 1;
      const data = new OpenData({ reader: stats.reader, registry: opened.registry, instance: 'IR', nodeId: 'central', now: () => now, log: pino({ level: 'silent' }) });
      await data.refresh();
      expect(data.publishedMonths()).toEqual([]);
      now = newYear + PUBLISH_GRACE_MS;
      await data.refresh();
      expect(data.publishedMonths()).toEqual(['1403/12']);
      // Served from memory through the routes, with the figures of the month.
      const app = await createPortalApp({ log: pino({ level: 'silent' }), plugins: [openDataRoutes(data)] });
      try {
        const res = await app.inject({ method: 'GET', url: '/open-data/1403/12/consumers.json' });
        expect(res.statusCode).toBe(200);
        // The judiciary is not in this registry: counted, under "other", never named.
        expect(res.json().rows).toEqual([expect.objectContaining({ consumerSubsystem: 'other', inquiries: 20, answered: 20, refused: 0, failed: 0, suppressed: false })]);
      } finally {
        await app.close();
      }
    } finally {
      stats.close();
      await opened.close();
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
