// The registry remembers accepted contract shapes: a contract differing from an accepted one only
// in annotation texts is accepted without the full check, and nothing else rides on that memory.
import { describe, expect, it, vi } from 'vitest';
import { isTabadolError } from '../errors/catalogue.ts';
import { ContractVerdicts, contractShape } from './contract-verdicts.ts';

const { full } = vi.hoisted(() => ({ full: { calls: 0 } }));
vi.mock('../contracts/check-contract.ts', async (importOriginal) => {
  const real = await importOriginal<typeof import('../contracts/check-contract.ts')>();
  return { checkContract: async (c: unknown) => { full.calls++; return real.checkContract(c); } };
});

const contract = (title: string, extra: Record<string, unknown> = {}) => ({
  openapi: '3.1.0',
  info: { title, version: '1', description: `${title}, described` },
  paths: { '/persons/{id}': { get: {
    summary: `${title} by id`,
    parameters: [{ name: 'id', in: 'path', required: true, description: 'the id', schema: { type: 'string', title: 'Id' } }],
    responses: { '200': { description: `${title} found`, content: { 'application/json': { schema: {
      type: 'object', properties: { name: { type: 'string', description: 'the name' }, ...extra },
    } } } } },
  } } },
});

const invalid = (e: unknown) => isTabadolError(e) && e.type === 'Admin.InvalidContract';

describe('contract verdicts', () => {
  it('check a shape once and accept its look-alikes from memory', async () => {
    const verdicts = new ContractVerdicts();
    full.calls = 0;
    await verdicts.check(contract('Person'));
    await verdicts.check(contract('شخص'));
    await verdicts.check(contract('Vehicle'));
    expect(full.calls).toBe(1);
    expect(verdicts.size).toBe(1);
  });

  it('still refuse a contract that differs in anything but annotation texts', async () => {
    const verdicts = new ContractVerdicts();
    await verdicts.check(contract('Person'));
    // An annotation-named key where a schema belongs: a string there is refused, whatever it says.
    await expect(verdicts.check(contract('Person', { description: 'not a schema' }))).rejects.toSatisfy(invalid);
    await expect(verdicts.check(contract('Person', { title: 'not a schema' }))).rejects.toSatisfy(invalid);
    // A refusal is not remembered as a shape: the valid one still passes, the invalid one still fails.
    await expect(verdicts.check(contract('Person', { title: 'again' }))).rejects.toSatisfy(invalid);
    await verdicts.check(contract('Other'));
  });

  it('keep data, references and extensions in the shape', () => {
    const withData = (v: string) => ({ openapi: '3.1.0', components: { schemas: { A: {
      type: 'string', enum: [v], default: v, examples: [{ title: v }], 'x-note': { description: v },
      discriminator: { propertyName: 'kind', mapping: { title: `#/components/schemas/${v}` } },
    } } } });
    expect(contractShape(withData('a'))).not.toBe(contractShape(withData('b')));
    const withProto = JSON.parse('{"openapi":"3.1.0","paths":{"__proto__":{"title":"x"}}}') as unknown;
    expect(contractShape(withProto)).toContain('__proto__');
    expect(contractShape(contract('a'))).toBe(contractShape(contract('b')));
  });
});
