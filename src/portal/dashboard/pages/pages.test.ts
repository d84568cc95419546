// The pure parts of the dashboard's pages: the contract viewer (escaping, local references, cycles),
// the registry's refusals as sentences beside their field, and the empty states.
import { describe, expect, it } from 'vitest';
import { Errors, TabadolError } from '../../../errors/catalogue.ts';
import { openApiView } from '../openapi-view.ts';
import { chartOption, esc, pct } from './format.ts';
import { mandatesHtml, openDataHtml, slaHtml } from './oversight-html.ts';
import { explain } from './registry-errors.ts';

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
