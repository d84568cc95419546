// Minimisation filters against the schema that matched, on the shapes real contracts use.
import { describe, expect, it } from 'vitest';
import { compileValidator } from './validators.ts';

const answer = (schema: Record<string, unknown>, data: unknown, document?: Record<string, unknown>) => {
  const validate = compileValidator('response', schema, document);
  const ok = validate(data);
  return { ok, data };
};

const alive = { type: 'object', required: ['alive'], properties: { alive: { const: true }, name: { type: 'string' } } };
const dead = { type: 'object', required: ['alive', 'diedOn'], properties: { alive: { const: false }, diedOn: { type: 'string' } } };

describe('minimising answers', () => {
  it('keeps the fields of the oneOf branch that matched (not only those of the first branch tried)', () => {
    const schema = { type: 'object', properties: { person: { oneOf: [alive, dead] } } };
    expect(answer(schema, { person: { alive: false, diedOn: '1400/01/01', secret: 1 } }).data).toEqual({ person: { alive: false, diedOn: '1400/01/01' } });
    expect(answer(schema, { person: { alive: true, name: 'x', diedOn: 'dropped' } }).data).toEqual({ person: { alive: true, name: 'x' } });
  });

  it('with a discriminator', () => {
    const schema = {
      oneOf: [
        { type: 'object', required: ['kind'], properties: { kind: { const: 'natural' }, nationalCode: { type: 'string' } } },
        { type: 'object', required: ['kind'], properties: { kind: { const: 'legal' }, nationalId: { type: 'string' } } },
      ],
      discriminator: { propertyName: 'kind' },
    };
    expect(answer(schema, { kind: 'legal', nationalId: '1', nationalCode: '2' }).data).toEqual({ kind: 'legal', nationalId: '1' });
  });

  it('keeps the union of allOf members and of every anyOf member that matches', () => {
    const schema = {
      allOf: [{ type: 'object', properties: { a: { type: 'string' } } }, { properties: { b: { type: 'number' } } }],
      anyOf: [{ properties: { c: { type: 'string' } } }, { required: ['zz'], properties: { zz: {}, d: {} } }],
    };
    expect(answer(schema, { a: 'x', b: 1, c: 'y', d: 'not matched', e: 'undeclared' }).data).toEqual({ a: 'x', b: 1, c: 'y' });
  });

  it('follows if/then/else', () => {
    const schema = {
      type: 'object', properties: { t: { type: 'string' } },
      if: { properties: { t: { const: 'a' } } }, then: { properties: { forA: {} } }, else: { properties: { forOther: {} } },
    };
    expect(answer(schema, { t: 'a', forA: 1, forOther: 2 }).data).toEqual({ t: 'a', forA: 1 });
    expect(answer(schema, { t: 'b', forA: 1, forOther: 2 }).data).toEqual({ t: 'b', forOther: 2 });
  });

  it('handles nullable fields and arrays of objects', () => {
    const schema = {
      type: 'object',
      properties: {
        spouse: { type: ['object', 'null'], properties: { name: { type: 'string' } } },
        children: { type: 'array', items: { type: 'object', properties: { name: { type: 'string' } } } },
        pair: { type: 'array', prefixItems: [{ type: 'object', properties: { x: {} } }], items: { type: 'object', properties: { y: {} } } },
      },
    };
    expect(answer(schema, { spouse: null, children: [{ name: 'a', code: 1 }, { name: 'b' }], pair: [{ x: 1, y: 1 }, { x: 2, y: 2 }] }).data)
      .toEqual({ spouse: null, children: [{ name: 'a' }, { name: 'b' }], pair: [{ x: 1 }, { y: 2 }] });
    expect(answer(schema, { spouse: { name: 'c', secret: 1 } }).data).toEqual({ spouse: { name: 'c' } });
  });

  it('keeps declared maps (additionalProperties with a schema), minimised inside', () => {
    const schema = {
      type: 'object',
      properties: { byProvince: { type: 'object', additionalProperties: { type: 'object', properties: { count: { type: 'integer' } } } } },
    };
    expect(answer(schema, { byProvince: { '07': { count: 3, secret: 1 }, '23': { count: 1 } } }).data)
      .toEqual({ byProvince: { '07': { count: 3 }, '23': { count: 1 } } });
  });

  it('keeps a value whole where the contract says `true`, and drops members of objects that declare none', () => {
    const schema = { type: 'object', properties: { free: true, closed: { type: 'object' }, any: {} } };
    expect(answer(schema, { free: { a: { b: 1 } }, closed: { a: 1 }, any: { a: 1 } }).data).toEqual({ free: { a: { b: 1 } }, closed: {}, any: {} });
  });

  it('follows $ref into components, recursion included', () => {
    const document = {
      openapi: '3.1.0',
      components: {
        schemas: {
          Person: {
            type: 'object', required: ['name'],
            properties: { name: { type: 'string' }, children: { type: 'array', items: { $ref: '#/components/schemas/Person' } }, status: { $ref: '#/components/schemas/Status' } },
          },
          Status: { oneOf: [alive, dead] },
        },
      },
    };
    const schema = { $ref: '#/components/schemas/Person' };
    const data = {
      name: 'a', secret: 1, status: { alive: false, diedOn: '1400/01/01', x: 1 },
      children: [{ name: 'b', secret: 2, children: [{ name: 'c', secret: 3, children: [] }] }],
    };
    const r = answer(schema, data, document);
    expect(r.ok).toBe(true);
    expect(r.data).toEqual({ name: 'a', status: { alive: false, diedOn: '1400/01/01' }, children: [{ name: 'b', children: [{ name: 'c', children: [] }] }] });
    expect(answer(schema, { name: 'a', children: [{ nameMissing: true }] }, document).ok).toBe(false);
  });

  it('validates before it removes: an answer that breaks the contract is refused, not trimmed into shape', () => {
    const schema = { type: 'object', additionalProperties: false, properties: { a: { type: 'string' } } };
    expect(answer(schema, { a: 'x', b: 1 }).ok).toBe(false);
  });
});
