import { describe, expect, it } from 'vitest';
import { normaliseName, normaliseOptionalName } from './names.ts';

describe('names', () => {
  it('fold Arabic yeh and kaf to Persian and compose to NFC, so one name is stored one way', () => {
    expect(normaliseName('  شهرداري كرج ', 'name')).toBe('شهرداری کرج');
    expect(normaliseName('سازمان ثبت\u200Cاحوال', 'name')).toBe('سازمان ثبت\u200Cاحوال'); // ZWNJ kept
    expect(normaliseName('Cafe\u0301', 'name')).toBe('Café');
    expect(normaliseName('Cafe\u0301', 'name')).toBe(normaliseName('Caf\u00E9', 'name'));
  });

  it('refuse empty, overlong, control and bidirectional-override text', () => {
    expect(() => normaliseName('  ', 'name')).toThrow(/name is required/);
    expect(normaliseName('ا'.repeat(200), 'name')).toHaveLength(200);
    expect(() => normaliseName('ا'.repeat(201), 'name')).toThrow(/longer than 200/);
    expect(() => normaliseName('a\u0000b', 'name')).toThrow(/control/);
    expect(() => normaliseName('a\nb', 'name')).toThrow(/control/);
    expect(() => normaliseName('police\u202Eecilop', 'name')).toThrow(/bidirectional/);
    expect(() => normaliseName('x\u2066y', 'name')).toThrow(/bidirectional/);
    expect(normaliseOptionalName(undefined, 'name')).toBeNull();
    expect(normaliseOptionalName(' ', 'name')).toBeNull();
  });
});
