import { describe, expect, it } from 'vitest';
import { isValidPart, parseClientHeader, parseSubsystemId, subsystemKey } from './xroad-id.ts';

describe('X-Road identifier codes (PR-REST §4.8)', () => {
  it("allow ASCII letters, digits and '()+,-.=?", () => {
    for (const ok of ['NOCR', 'case-management', "A(1)'b", 'x+y,z=w?v', '10103', 'v1.2']) expect(isValidPart(ok), ok).toBe(true);
  });

  it('refuse separators, escapes, control characters, path steps and other scripts', () => {
    const bad = ['A/B', 'A\\B', 'A;B', 'A%20B', 'A:B', 'A_B', 'A B', 'A\u0000B', 'A\tB', 'a..b', '..', '.', '',
      'N\u041ECR', // a Cyrillic О posing as a Latin O
      'NOCR\u200B', 'شهرداری', 'x'.repeat(256)];
    for (const b of bad) expect(isValidPart(b), JSON.stringify(b)).toBe(false);
    expect(() => parseSubsystemId('IR/GOV/N\u041ECR/identity')).toThrow(/Client.InvalidClientIdentifier|X-Road-Client/);
  });
});

describe('the X-Road-Client header', () => {
  it('is split on raw slashes, then each part percent-decoded (PR-REST §4.3)', () => {
    expect(subsystemKey(parseClientHeader('IR/GOV/JUDICIARY/case-management'))).toBe('IR/GOV/JUDICIARY/case-management');
    expect(subsystemKey(parseClientHeader('IR/GOV/A%281%29/x%27y'))).toBe("IR/GOV/A(1)/x'y");
    expect(subsystemKey(parseClientHeader('IR/GOV/JUDICIARY/case%2Dmanagement'))).toBe('IR/GOV/JUDICIARY/case-management');
  });

  it.each([
    'IR/GOV/JUDICIARY%2Fx/case-management', // an encoded slash stays in its part
    'IR/GOV/N%D0%9ECR/identity', // Cyrillic О, percent-encoded
    'IR/GOV/NOCR/%2E%2E',
    'IR/GOV/NOCR/a%00b',
    'IR/GOV/NOCR/%E0%A4', // broken UTF-8
    'IR/GOV/NOCR/%zz',
    'IR/GOV/NOCR',
    'IR/GOV/NOCR/identity/extra',
  ])('refuses %s with Client.InvalidClientIdentifier', (header) => {
    expect(() => parseClientHeader(header)).toThrow(expect.objectContaining({ type: 'Client.InvalidClientIdentifier' }));
  });
});
