import { describe, expect, it } from 'vitest';
import { compileValidator } from './validators.ts';

describe('contract validators', () => {
  it('compile two different schemas that use the same $id (two versions of one contract)', () => {
    const v1 = compileValidator('body', { $id: 'https://example.ir/person', type: 'object', properties: { a: { type: 'string' } }, required: ['a'] });
    const v2 = compileValidator('body', { $id: 'https://example.ir/person', type: 'object', properties: { b: { type: 'string' } }, required: ['b'] });
    expect(v1({ a: 'x' })).toBe(true);
    expect(v2({ a: 'x' })).toBe(false);
  });

  it('drop from answers every field the contract does not declare, inside objects declared without properties too', () => {
    const validate = compileValidator('response', {
      type: 'object',
      properties: { a: { type: 'string' }, nested: { type: 'object' }, list: { type: 'array', items: { type: 'object', properties: { x: { type: 'number' } } } } },
    });
    const answer = { a: 'kept', secret: 1, nested: { secret: 2 }, list: [{ x: 1, secret: 3 }] };
    expect(validate(answer)).toBe(true);
    expect(answer).toEqual({ a: 'kept', nested: {}, list: [{ x: 1 }] });
  });

  it('keep enum and const values as the contract wrote them', () => {
    const validate = compileValidator('response', { type: 'object', properties: { s: { enum: [{ type: 'object' }] } } });
    expect(validate({ s: { type: 'object' } })).toBe(true);
  });
});
