// The dashboard's pages over HTTP on a running node's portal port (no browser): each role reads the
// pages it should and only operators see and use the registry's forms; the overview's figures are
// GET /v1/stats's for the same period; a grant made through the form turns a refused inquiry into an
// answered one and a revoke refuses it again; an overseer's post changes nothing; a bad contract is
// answered with sentences a person understands; registry names are escaped; the mobile-government
// list is public.
import { request } from 'undici';
import { beforeAll, describe, expect, it } from 'vitest';
import { Users } from '../src/portal/accounts/users.ts';
import { JUDICIARY, POLICE, SERVICE, useSeededNode, waitFor } from './harness.ts';

const ctx = useSeededNode({ node: { portalPort: 0 } });
const PASSWORD = 'a long enough password 1';

interface Answer { status: number; headers: Record<string, string | string[] | undefined>; text: string }

async function portal(path: string, o: { cookie?: string; form?: Record<string, string>; method?: string } = {}): Promise<Answer> {
  const res = await request(`http://127.0.0.1:${ctx.t.node.ports.portal}${path}`, {
    method: (o.method ?? (o.form ? 'POST' : 'GET')) as 'GET',
    headers: { ...(o.cookie ? { cookie: o.cookie } : {}), ...(o.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
    ...(o.form ? { body: new URLSearchParams(o.form).toString() } : {}),
  });
  return { status: res.statusCode, headers: res.headers as Answer['headers'], text: await res.body.text() };
}

async function login(username: string): Promise<string> {
  const res = await portal('/login', { form: { username, password: PASSWORD } });
  expect(res.status, `login of ${username}`).toBe(303);
  const set = ([] as string[]).concat(res.headers['set-cookie'] ?? []);
  const session = set.map((c) => c.split(';', 1)[0]!).find((c) => c.startsWith('tabadol_session='));
  expect(session).toBeDefined();
  return session!;
}

/** The CSRF token of the session, from a page's forms. */
async function csrfOf(cookie: string): Promise<string> {
  const page = await portal('/dashboard/registry/access', { cookie });
  const m = /name="_csrf" value="([^"]+)"/.exec(page.text);
  expect(m).not.toBeNull();
  return m![1]!;
}

const sessions: Record<'operator' | 'overseer' | 'inspector', string> = { operator: '', overseer: '', inspector: '' };

beforeAll(async () => {
  const users = new Users(ctx.t.node.registry.db);
  for (const role of ['operator', 'overseer', 'inspector'] as const) await users.add(`${role}1`, role, PASSWORD);
  for (const role of ['operator', 'overseer', 'inspector'] as const) sessions[role] = await login(`${role}1`);
});

const PAGES = [
  '/dashboard', '/dashboard/registry/members', '/dashboard/registry/services', `/dashboard/registry/service?id=${encodeURIComponent(SERVICE)}`,
  '/dashboard/registry/access', '/dashboard/registry/certificates', '/dashboard/oversight/sla', '/dashboard/oversight/mandates',
  '/dashboard/oversight/violations', '/dashboard/oversight/survey', '/dashboard/oversight/open-data', '/dashboard/oversight/report',
];

const inquiry = (client: string) => ctx.t.http(`/r1/${SERVICE}/persons/0012345679`, { headers: { 'X-Road-Client': client } });

describe('the dashboard pages', () => {
  it('send a visitor without a session to the login page', async () => {
    for (const p of ['/dashboard', '/dashboard/registry/access', '/dashboard/oversight/sla']) {
      const res = await portal(p);
      expect(res.status, p).toBe(303);
      expect(String(res.headers.location)).toMatch(/^\/login/);
    }
    expect((await portal('/dashboard/api/live')).status).toBe(401);
  });

  it('render every page for every role, in Persian by default and in English on the switch; only operators see the registry forms', async () => {
    for (const role of ['operator', 'overseer', 'inspector'] as const) {
      for (const p of PAGES) {
        const res = await portal(p, { cookie: sessions[role] });
        expect(res.status, `${role} ${p}`).toBe(200);
        expect(res.text, `${role} ${p}`).toContain('<html lang="fa" dir="rtl">');
        expect(res.text).not.toMatch(/\bat [\w.]+ \(|TabadolError|undefined|NaN/);
      }
      const access = await portal('/dashboard/registry/access', { cookie: sessions[role] });
      expect(access.text.includes('action="/dashboard/registry/access/grant"'), role).toBe(role === 'operator');
      const en = await portal('/dashboard?lang=en', { cookie: sessions[role] });
      expect(en.text).toContain('<html lang="en" dir="ltr">');
      expect(en.text).toContain('Exchange overview');
    }
  });

  it('show the contract of a service readably: its endpoints, parameters and response fields', async () => {
    const res = await portal(`/dashboard/registry/service?id=${encodeURIComponent(SERVICE)}`, { cookie: sessions.inspector });
    expect(res.text).toContain('<code dir="ltr">/persons/{nationalCode}</code>');
    expect(res.text).toContain('<code dir="ltr">nationalCode</code>');
    expect(res.text).toContain('<code dir="ltr">firstName</code>');
    expect(res.text).toContain('Judiciary act, art. 1');
    expect((await portal('/dashboard/registry/service?id=IR%2FGOV%2FX%2Fy%2Fz', { cookie: sessions.inspector })).status).toBe(404);
  });

  it('give the overview the numbers GET /v1/stats gives for the same period, and the live endpoint today\'s', async () => {
    const answered = await inquiry(JUDICIARY);
    expect(answered.status, answered.text).toBe(200);
    expect((await inquiry(POLICE)).status).toBe(500); // the police may only POST /verify
    const stats = await request(`http://127.0.0.1:${ctx.t.node.ports.admin}/v1/stats`, { headers: { authorization: `Bearer ${ctx.t.node.keys.adminToken}` } });
    const answer = await stats.body.json() as { from: string; to: string; total: { count: number } };
    expect(answer.total.count).toBeGreaterThanOrEqual(2);
    const page = await portal(`/dashboard?lang=en&from=${answer.from}&to=${answer.to}`, { cookie: sessions.overseer });
    const shown = /data-figure="inquiries">([\d,]+)</.exec(page.text)?.[1];
    expect(Number(shown?.replace(/,/g, ''))).toBe(answer.total.count);
    // This node's health: its record writer and disk are read from the running data plane.
    const health = page.text.slice(page.text.indexOf('id="nodes-h"'));
    expect(health).toContain('healthy');
    expect(health.slice(0, 2000)).not.toContain('unknown');
    const fa = await portal('/dashboard?lang=fa', { cookie: sessions.overseer });
    expect(/data-figure="inquiries">([۰-۹٬]+)</.exec(fa.text)).not.toBeNull();
    // The live figures are read at most every few seconds, whoever asks: wait for a reading after the inquiries.
    const live = await waitFor('a live reading with the inquiries', async () => {
      const res = await portal('/dashboard/api/live', { cookie: sessions.inspector });
      expect(res.status).toBe(200);
      const body = JSON.parse(res.text) as { count: number; option: object; text: Record<string, string> };
      return body.count === answer.total.count && body;
    });
    expect(live.text['live-count']).toBe(String(answer.total.count).replace(/\d/g, (c) => String.fromCharCode(0x06f0 + Number(c))));
    expect(live.option).toMatchObject({ series: [{ type: 'line' }] });
  });

  it('refuse a bad period on the overview with a sentence, and show the default period', async () => {
    const res = await portal('/dashboard?lang=en&from=1403/13/40', { cookie: sessions.inspector });
    expect(res.status).toBe(400);
    expect(res.text).toContain('Write the dates as Jalali year/month/day');
  });

  it('grant through the form makes a refused inquiry answered, and revoke refuses it again', async () => {
    const cookie = sessions.operator;
    const csrf = await csrfOf(cookie);
    expect((await inquiry(POLICE)).status).toBe(500);
    const granted = await portal('/dashboard/registry/access/grant', { cookie, form: { _csrf: csrf, subject: POLICE, serviceId: SERVICE, legalBasis: 'Traffic act, art. 9' } });
    expect(granted.status).toBe(303);
    expect(granted.headers.location).toBe('/dashboard/registry/access?done=grant');
    // The page it leads to says so once (not again inside the grant form), and names itself once
    // visibly: the h1; the table's caption is for screen readers only.
    const done = await portal('/dashboard/registry/access?done=grant', { cookie });
    expect(done.text.split('مجوز دسترسی اعطا شد').length - 1).toBe(1);
    expect(done.text.match(/<h2[^>]*>مجوزهای دسترسی<\/h2>/)).toBeNull();
    expect(done.text).toContain('<caption class="visually-hidden">مجوزهای دسترسی</caption>');
    const answered = await inquiry(POLICE);
    expect(answered.status, answered.text).toBe(200);
    const right = (await ctx.t.node.registry.listAccessRights()).find((r) => r.subject_id === POLICE && r.method === null)!;
    expect(right.legal_basis).toBe('Traffic act, art. 9');
    expect((await ctx.t.node.registry.listChanges(1))[0]!.actor).toBe('portal:operator1');
    const revoked = await portal('/dashboard/registry/access/revoke', { cookie, form: { _csrf: csrf, id: String(right.id) } });
    expect(revoked.status).toBe(303);
    expect((await inquiry(POLICE)).status).toBe(500);
  });

  it('refuse a registry change from an overseer and from a form without the session\'s token, changing nothing', async () => {
    const before = await ctx.t.node.registry.listAccessRights();
    const csrf = await csrfOf(sessions.overseer);
    const res = await portal('/dashboard/registry/access/grant', { cookie: sessions.overseer, form: { _csrf: csrf, subject: POLICE, serviceId: SERVICE, legalBasis: 'none' } });
    expect(res.status).toBe(403);
    expect(res.text).toContain('Portal.Dashboard.Forbidden');
    const member = await portal('/dashboard/registry/members/add', { cookie: sessions.inspector, form: { _csrf: await csrfOf(sessions.inspector), memberClass: 'GOV', memberCode: 'X1', name: 'x' } });
    expect(member.status).toBe(403);
    const stale = await portal('/dashboard/registry/access/grant', { cookie: sessions.operator, form: { _csrf: 'wrong', subject: POLICE, serviceId: SERVICE, legalBasis: 'none' } });
    expect(stale.status).toBe(403);
    expect(await ctx.t.node.registry.listAccessRights()).toEqual(before);
    expect((await ctx.t.node.registry.listMembers()).some((m) => m.id === 'IR/GOV/X1')).toBe(false);
  });

  it('answer a bad contract and a bad field with sentences beside the field, keeping what was typed and adding nothing', async () => {
    const cookie = sessions.operator;
    const csrf = await csrfOf(cookie);
    const base = { _csrf: csrf, serviceId: 'IR/GOV/NOCR/identity/other', title: 'Other', baseUrl: 'https://provider.example/v1' };
    const notJson = await portal('/dashboard/registry/services/add', { cookie, form: { ...base, contract: '{ "openapi": ' } });
    expect(notJson.status).toBe(400);
    expect(notJson.text).toContain('قرارداد باید یک سند JSON معتبر OpenAPI 3.1 باشد');
    expect(notJson.text).toContain('aria-describedby="service-contract-hint service-contract-error" aria-invalid="true"');
    expect(notJson.text).toContain('{ &quot;openapi&quot;: </textarea>');
    const notOpenApi = await portal('/dashboard/registry/services/add?lang=en', { cookie, form: { ...base, contract: JSON.stringify({ swagger: '2.0', info: { title: 't', version: '1' }, paths: {} }) } });
    expect(notOpenApi.status).toBe(400);
    expect(notOpenApi.text).toContain('The service contract was not accepted');
    expect(notOpenApi.text).toContain('Admin.InvalidContract');
    expect(notOpenApi.text).not.toMatch(/\bat [\w.]+ \(/);
    const badCode = await portal('/dashboard/registry/members/add?lang=en', { cookie, form: { _csrf: csrf, memberClass: 'GOV', memberCode: 'NOCR/x', name: 'Some agency' } });
    expect(badCode.status).toBe(400);
    expect(badCode.text).toContain('The member code may contain only Latin letters');
    // What was typed is kept, and the field is marked and described by the message beside it.
    expect(badCode.text).toMatch(/<input id="member-memberCode" name="memberCode" required aria-describedby="member-memberCode-hint member-memberCode-error" aria-invalid="true" type="text" value="NOCR\/x"/);
    expect((await ctx.t.node.registry.listServices()).map((s) => s.id)).not.toContain('IR/GOV/NOCR/identity/other');
  });

  it('create a member through the form, and escape registry names that carry markup', async () => {
    const cookie = sessions.operator;
    const res = await portal('/dashboard/registry/members/add', {
      cookie, form: { _csrf: await csrfOf(cookie), memberClass: 'COM', memberCode: 'EVIL', name: '<script>alert(1)</script>', nameFa: '<img src=x onerror=alert(1)>' },
    });
    expect(res.status).toBe(303);
    expect((await ctx.t.node.registry.listMembers()).find((m) => m.id === 'IR/COM/EVIL')?.name).toBe('<script>alert(1)</script>');
    for (const lang of ['fa', 'en']) {
      const page = await portal(`/dashboard/registry/members?lang=${lang}`, { cookie: sessions.inspector });
      expect(page.text).not.toContain('<script>alert(1)</script>');
      expect(page.text).not.toContain('<img src=x');
      expect(page.text).toContain(lang === 'fa' ? '&lt;img src=x onerror=alert(1)&gt;' : '&lt;script&gt;alert(1)&lt;/script&gt;');
    }
  });

  it('serve the mobile-government list to anyone, each agency with its most used services', async () => {
    await waitFor('an answered inquiry', async () => (await inquiry(JUDICIARY)).status === 200);
    const res = await portal('/citizen/services');
    expect(res.status).toBe(200);
    expect(res.text).toContain('<html lang="fa" dir="rtl">');
    expect(res.text).toContain('Person by national code');
    expect(res.text).toContain('National Organization for Civil Registration');
    expect(res.text).not.toContain('0012345679');
  });

  it('print the violations and the yearly report as documents to download', async () => {
    const v = await portal('/dashboard/oversight/violations/document', { cookie: sessions.inspector });
    expect(v.status).toBe(200);
    expect(String(v.headers['content-disposition'])).toMatch(/^attachment; filename="violations-\d{4}-\d{2}\.html"$/);
    expect(v.text).toContain('<html lang="fa" dir="rtl">');
    const r = await portal('/dashboard/oversight/report/document', { cookie: sessions.inspector });
    expect(r.status).toBe(200);
    expect(r.text).toContain('گزارش عملکرد مرکز تبادل اطلاعات');
    const bad = await portal('/dashboard/oversight/report?year=99&lang=en', { cookie: sessions.inspector });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Write the year as four Jalali digits');
  });
});
