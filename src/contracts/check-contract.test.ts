// What registration refuses, and what it now accepts.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, expect, it } from 'vitest';
import { checkContract } from './check-contract.ts';
import { compileValidator } from './validators.ts';
import { demoContracts } from '../simulation/agencies/demo.ts';

const ok = { '200': { description: 'ok' } };
const contract = (paths: Record<string, unknown>, components?: Record<string, unknown>) => ({
  openapi: '3.1.0', info: { title: 't', version: '1' }, paths, ...(components ? { components } : {}),
});
const refusal = async (c: unknown) => {
  try {
    await checkContract(c);
  } catch (err) {
    return err as { type: string; message: string };
  }
  throw new Error('accepted');
};
const pathParam = (name: string) => ({ name, in: 'path', required: true, schema: { type: 'string' } });

describe('registering a contract', () => {
  it('accepts every contract of the demo agencies', async () => {
    for (const c of demoContracts()) await checkContract(c.contract);
  }, 60_000);

  it('refuses templates of one method that match the same path with no winner, naming both', async () => {
    const err = await refusal(contract({
      '/a/{x}/c': { get: { parameters: [pathParam('x')], responses: ok } },
      '/a/b/{y}': { get: { parameters: [pathParam('y')], responses: ok } },
    }));
    expect(err.type).toBe('Admin.InvalidContract');
    expect(err.message).toContain('GET /a/{x}/c and GET /a/b/{y}');
    // A literal and a template: the literal wins, so this is fine; so is another method.
    await checkContract(contract({
      '/records/{id}': { get: { parameters: [pathParam('id')], responses: ok } },
      '/records/admin-export': { get: { responses: ok } },
      '/a/{x}/c': { get: { parameters: [pathParam('x')], responses: ok } },
      '/a/b/{y}': { post: { parameters: [pathParam('y')], responses: ok } },
    }));
  });

  it('refuses patterns RE2 cannot run: lookarounds and backreferences, with their location', async () => {
    const withPattern = (pattern: string) => contract({ '/p': { get: { parameters: [{ name: 'q', in: 'query', schema: { type: 'string', pattern } }], responses: ok } } });
    const look = await refusal(withPattern('^(?=a)a$'));
    expect(look.message).toContain('/paths/~1p/get/parameters/0/schema/pattern');
    expect((await refusal(withPattern('^(a)\\1$'))).type).toBe('Admin.InvalidContract');
    const pp = await refusal(contract({ '/p': { get: { responses: { '200': { description: 'x', content: { 'application/json': { schema: { type: 'object', patternProperties: { '(?!x)': {} } } } } } } } } }));
    expect(pp.message).toContain('patternProperties');
    await checkContract(withPattern('^(a+)+$')); // legal, and linear on RE2
  });

  it('refuses references outside the document before any parser sees it', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => { hits++; res.end('{}'); });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/person.json`;
    try {
      for (const ref of [url, 'file:///etc/passwd', './person.json', '#Person']) {
        const err = await refusal(contract({ '/p': { get: { responses: { '200': { description: 'x', content: { 'application/json': { schema: { $ref: ref } } } } } } } }));
        expect(err.message).toContain('is not a local #/… pointer');
        expect(err.message).toContain('/paths/~1p/get/responses/200/content/application~1json/schema/$ref');
      }
      expect(hits).toBe(0);
    } finally {
      server.close();
    }
  });

  it('refuses a document that is not valid OpenAPI 3.1, with the JSON pointer of the fault', async () => {
    const err = await refusal(contract({ '/p': { get: { parameters: 'nope', responses: ok } } }));
    expect(err.message).toContain('/paths/~1p/get/parameters must be array');
    expect((await refusal(contract({ '/p': { get: { responses: { '200': { $ref: '#/components/responses/Missing' } } } } }))).type).toBe('Admin.InvalidContract');
  });

  it('accepts parameters, bodies, answers and recursive schemas by $ref', async () => {
    await checkContract(contract({
      '/persons/{nationalCode}': {
        post: {
          parameters: [{ $ref: '#/components/parameters/NationalCode' }],
          requestBody: { $ref: '#/components/requestBodies/Query' },
          responses: { '200': { $ref: '#/components/responses/Tree' } },
        },
      },
    }, {
      parameters: { NationalCode: { name: 'nationalCode', in: 'path', required: true, schema: { $ref: '#/components/schemas/NationalCode' } } },
      requestBodies: { Query: { required: true, content: { 'application/json': { schema: { $ref: '#/components/schemas/Query' } } } } },
      responses: { Tree: { description: 'family', content: { 'application/json': { schema: { $ref: '#/components/schemas/Person' } } } } },
      schemas: {
        NationalCode: { type: 'string', pattern: '^[0-9]{10}$' },
        Query: { type: 'object', properties: { purpose: { type: 'string' } } },
        Person: { type: 'object', properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Person' } } } },
      },
    }));
  });
});

describe('contract patterns', () => {
  it('run on a linear-time engine: ^(a+)+$ on a long non-matching value answers at once', () => {
    // On a backtracking engine this takes longer than the universe; the test's timeout is generous.
    const validate = compileValidator('params', { type: 'object', properties: { q: { type: 'string', pattern: '^(a+)+$' } } });
    expect(validate({ q: 'a'.repeat(5000) + '!' })).toBe(false);
    expect(validate({ q: 'a'.repeat(5000) })).toBe(true);
    const keys = compileValidator('body', { type: 'object', patternProperties: { '^(a+)+$': { type: 'integer' } } });
    expect(keys({ ['a'.repeat(5000) + '!']: 'not checked', ['a'.repeat(40)]: 1 })).toBe(true);
    expect(keys({ ['a'.repeat(40)]: 'x' })).toBe(false);
  }, 30_000);
});
