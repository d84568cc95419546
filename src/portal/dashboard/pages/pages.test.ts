// The pure parts of the dashboard's pages: the contract viewer (escaping, local references, cycles),
// the registry's refusals as sentences beside their field, and the empty states.
import { describe, expect, it } from 'vitest';
import { Errors, TabadolError } from '../../../errors/catalogue.ts';
import { openApiView } from '../openapi-view.ts';
import { chartOption, esc, pct } from './format.ts';
import { mandatesHtml, openDataHtml, slaHtml } from './oversight-html.ts';
import { explain } from './registry-errors.ts';
import {
  accessHtml, certificatesHtml, MAX_RIGHTS_SHOWN, membersHtml, searchRights, servicesHtml, type AccessRow, type CertificateRow, type RegistryView, type Subsystem,
} from './registry-html.ts';

describe('the contract viewer', () => {
  const contract = {
    openapi: '3.1.0',
    info: { title: '<script>alert(1)</script>', version: '1', description: 'a "quoted" & <b>bold</b> text' },
    components: {
      schemas: {
        Person: { type: 'object', required: ['name'], properties: { name: { type: 'string', description: '<img src=x>' }, parent: { $ref: '#/components/schemas/Person' } } },
      },
    },
    paths: {
      '/persons/{code}': {
        get: {
          summary: 'A person',
          parameters: [{ name: 'code', in: 'path', required: true, 'x-tabadol-subject': true, schema: { type: 'string', pattern: '^[0-9]{10}$' } }],
          responses: { 200: { description: 'found', content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } } } },
        },
      },
    },
  };

  it('shows endpoints, parameters and response fields, following local references without looping on a cycle', () => {
    const html = openApiView(contract, 'en');
    expect(html).toContain('<span class="method method-get" dir="ltr">GET</span> <code dir="ltr">/persons/{code}</code>');
    expect(html).toContain('<code dir="ltr">code</code>');
    expect(html).toContain('string, pattern ^[0-9]{10}$');
    expect(html).toContain('the citizen&#39;s identifier');
    expect(html).toContain('<code dir="ltr">name</code>');
    expect(html).toContain('<code dir="ltr">parent</code>');
  });

  it('escapes every text of the contract', () => {
    const html = openApiView(contract, 'fa');
    expect(html).not.toMatch(/<script>|<img|<b>/);
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).toContain('a &quot;quoted&quot; &amp; &lt;b&gt;bold&lt;/b&gt; text');
  });

  it('renders anything that is not a contract as a contract without endpoints', () => {
    for (const c of [null, 'text', 42, [], { paths: 'x' }]) expect(openApiView(c, 'en')).toContain('no endpoints');
  });
});

describe('the registry\'s refusals', () => {
  it('name the field and say what to do, with the code and detail for support', () => {
    const e = explain('en', new TabadolError(Errors.InvalidInput, "memberCode may contain only ASCII letters: \"a b\""));
    expect(e).toMatchObject({ field: 'memberCode', type: 'Admin.InvalidInput', status: 400 });
    expect(e.text).toContain('The member code may contain only Latin letters');
    expect(e.detail).toBe('memberCode may contain only ASCII letters: "a b"');
    expect(explain('fa', new TabadolError(Errors.InvalidContract, 'paths./p.get: responses are required'))).toMatchObject({ field: 'contract', type: 'Admin.InvalidContract' });
    expect(explain('en', new TabadolError(Errors.InvalidInput, 'the contract of IR/GOV/A/b/c has no endpoint GET /x')).field).toBe('path');
    expect(explain('fa', new TabadolError(Errors.AlreadyExists, 'IR/GOV/NOCR')).text).toContain('پیش‌تر ثبت شده است');
  });

  it('never show an unexpected failure\'s message', () => {
    const e = explain('en', new Error('SQLITE_CORRUPT at /data/registry.db'));
    expect(e.status).toBe(500);
    expect(JSON.stringify(e)).not.toContain('SQLITE');
  });
});

describe('the oversight pages\' empty states', () => {
  it('say what to do when there is nothing to show', () => {
    expect(slaHtml('en', '1403/07', [], new Map())).toContain('tabadol sla set');
    expect(mandatesHtml('fa', [])).toContain('tabadol mandate add');
    expect(openDataHtml('en', [], 0)).toContain('look again in a few minutes');
  });
});

describe('formatting', () => {
  it('writes Persian digits and escapes', () => {
    expect(pct('fa', 0.5734)).toBe('۵۷٫۳٪');
    expect(pct('en', null)).toBe('–');
    expect(esc('<a href="x">')).toBe('&lt;a href=&quot;x&quot;&gt;');
    expect(chartOption({ id: 'c', kind: 'pie', title: 't', labels: ['a', 'b'], series: [{ name: 'n', values: [1, 2] }] }))
      .toMatchObject({ series: [{ type: 'pie', data: [{ name: 'a', value: 1 }, { name: 'b', value: 2 }] }] });
  });
});

describe('the registry pages', () => {
  const view = (o: Partial<RegistryView> = {}): RegistryView => ({ lang: 'en', canChange: true, csrf: 'token', state: {}, ...o });
  const right = (id: number, subject: string, basis = 'Act, art. 1'): AccessRow => ({
    id, subject_id: subject, subject_type: 'subsystem', service_id: 'IR/GOV/NOCR/identity/person', method: null, path: null, legal_basis: basis, valid_from: '2025-03-21T00:00:00Z', valid_until: null,
  });
  const subsystem = (id: string): Subsystem => ({ id, member_id: id.split('/').slice(0, 3).join('/'), subsystem_code: id.split('/')[3]!, name: null, province: null, home_node: null });
  const cert = (serial: string, subsystemId: string, notAfter: string, revoked: string | null = null): CertificateRow => ({
    serial, subsystem_id: subsystemId, not_before: '2025-01-01T00:00:00Z', not_after: notAfter, issued_at: '2025-01-01T00:00:00Z', revoked_at: revoked, revoked_reason: null,
  });
  const count = (html: string, text: string) => html.split(text).length - 1;

  it('say a change is done once, at the top, not again inside the form', () => {
    const done = (state: RegistryView['state']) => view({ state });
    expect(count(accessHtml(done({ done: 'grant' }), [right(1, 'IR/GOV/POLICE/licensing')], [], [], []), 'The access right is granted')).toBe(1);
    expect(count(accessHtml(done({ done: 'revoke' }), [], [], [], []), 'The access right is revoked')).toBe(1);
    expect(count(membersHtml(done({ done: 'member' }), [], []), 'The member is registered')).toBe(1);
    expect(count(servicesHtml(done({ done: 'service' }), [], []), 'The service is registered')).toBe(1);
    expect(count(certificatesHtml(done({ done: 'certificate' }), [], 0), 'The certificate is revoked')).toBe(1);
    // A refusal is said in its own form only.
    const refused = accessHtml(done({ form: 'grant', problem: { text: 'Write the legal basis.', field: 'legalBasis', type: 'Admin.InvalidInput', detail: '', status: 400 }, typed: {} }), [], [], [], []);
    expect(count(refused, 'The change was not made')).toBe(1);
    expect(count(refused, 'Write the legal basis.')).toBe(2); // the notice, and the message under the field
  });

  it('do not repeat the page\'s title as a heading; a caption that repeats a heading is for screen readers only', () => {
    const html = accessHtml(view(), [right(1, 'IR/GOV/POLICE/licensing')], [], [], []);
    expect(html).not.toMatch(/<h2[^>]*>Access rights<\/h2>/);
    expect(html).toContain('<caption class="visually-hidden">Access rights</caption>');
    expect(servicesHtml(view(), [], [])).not.toMatch(/<h2[^>]*>Services<\/h2>/);
  });

  it('list at most MAX_RIGHTS_SHOWN access rights, with a search that narrows them', () => {
    const many = Array.from({ length: MAX_RIGHTS_SHOWN + 50 }, (_, i) => right(i + 1, i % 2 ? 'IR/GOV/POLICE/licensing' : 'IR/GOV/JUDICIARY/case-management', `Act ${i}`));
    const all = accessHtml(view(), many, [], [], []);
    expect(count(all, 'name="id"')).toBe(MAX_RIGHTS_SHOWN);
    expect(all).toContain(`${MAX_RIGHTS_SHOWN} of ${MAX_RIGHTS_SHOWN + 50} access rights are shown`);
    expect(all).toContain('<form method="get" action="/dashboard/registry/access"');
    const police = accessHtml(view(), many, [], [], [], 'police');
    expect(count(police, 'name="id"')).toBe((MAX_RIGHTS_SHOWN + 50) / 2);
    expect(police).toContain('value="police"');
    expect(searchRights(many, 'ACT 7')).toHaveLength(searchRights(many, 'act 7').length);
    expect(accessHtml(view(), many, [], [], [], 'nothing like it')).toContain('No access right matches this search');
    // A short list needs no search.
    expect(accessHtml(view(), [right(1, 'IR/GOV/POLICE/licensing')], [], [], [])).not.toContain('name="q"');
  });

  it('explain that certificates are issued on the node, never through the page, and give the exact command', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    const subsystems = [subsystem('IR/GOV/POLICE/licensing'), subsystem('IR/GOV/NOCR/identity'), subsystem("IR/COM/O'NEIL/kyc")];
    const certs = [cert('0A', 'IR/GOV/POLICE/licensing', '2026-01-20T00:00:00Z'), cert('0B', 'IR/GOV/NOCR/identity', '2025-06-01T00:00:00Z')];
    const page = certificatesHtml(view(), certs, now, subsystems);
    expect(page).toContain('never pass through this page');
    expect(page).not.toMatch(/<form method="post"[^>]*(issue|renew|csr)/i);
    expect(page).not.toMatch(/<textarea|type="file"/);
    // A certificate near its end is flagged, with the way to renew it.
    expect(page).toContain('renew it');
    expect(page).toContain('href="/dashboard/registry/certificates?subsystem=IR%2FGOV%2FPOLICE%2Flicensing#issue-h"');
    // In force: renew (new key, new serial); none in force (expired): issue; a quote in an id is quoted for the shell.
    expect(certificatesHtml(view(), certs, now, subsystems, 'IR/GOV/POLICE/licensing')).toContain('<code dir="ltr">tabadol cert renew --subsystem IR/GOV/POLICE/licensing</code>');
    expect(certificatesHtml(view(), certs, now, subsystems, 'IR/GOV/NOCR/identity')).toContain('<code dir="ltr">tabadol cert issue IR/GOV/NOCR/identity</code>');
    expect(certificatesHtml(view(), certs, now, subsystems, "IR/COM/O'NEIL/kyc")).toContain('tabadol cert issue &#39;IR/COM/O&#39;\\&#39;&#39;NEIL/kyc&#39;');
    expect(certificatesHtml(view(), certs, now, subsystems, 'IR/GOV/X/y')).toContain('This subsystem is not in the registry');
    // The guidance is the same for a role that only reads.
    expect(certificatesHtml(view({ canChange: false }), certs, now, subsystems, 'IR/GOV/POLICE/licensing')).toContain('tabadol cert renew');
  });
});
