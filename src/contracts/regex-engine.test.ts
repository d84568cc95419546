// Which engine runs a contract pattern: V8's for the bounded class (no groups, alternation or
// unbounded quantifiers), RE2 for everything else; both must answer alike where V8 is used.
import { describe, expect, it } from 'vitest';
import { RE2 } from 're2-wasm';
import { isBoundedPattern, re2RegExp } from './regex-engine.ts';

const BOUNDED = ['^[0-9]{10}$', '^IR[0-9]{24}$', '^[0-9]{4}/[0-9]{2}/[0-9]{2}$', '^09[0-9]{9}$', '^[۰-۹0-9]{10}$', '^[^/]{1,10}$', '^\\d{1,4}-?\\d{2}$'];
const UNBOUNDED = [
  '^(a+)+$', '^a+$', '^[a-z]*$', '^\\d{3,}$', '^a{0,300}a{0,300}$', '^\\1$', '^(?=a)', 'a|b', '^\\p{L}{1,5}$', '^x{2}?$', '^(ab){2}$',
  '^\\d{1,9}\\d{1,9}\\d{1,9}$',
  // Unanchored: retried at every position of the input, so not bounded by the pattern alone.
  '[a-f]{2}', '[0-9]?[0-9]?[0-9]?[0-9]?[0-9]?[0-9]?[0-9]?[0-9]?[0-9]{1000}',
];

describe('contract patterns', () => {
  it('run on V8 only when they are bounded', () => {
    for (const p of BOUNDED) {
      expect(isBoundedPattern(p), p).toBe(true);
      expect(re2RegExp(p, 'u'), p).toBeInstanceOf(RegExp);
    }
    for (const p of UNBOUNDED) {
      expect(isBoundedPattern(p), p).toBe(false);
      if (p !== '^\\1$' && p !== '^(?=a)') expect(re2RegExp(p, 'u'), p).toBeInstanceOf(RE2);
    }
  });

  it('answer as RE2 would on the bounded class', () => {
    const alphabet = ['0', '5', '9', 'a', 'f', 'I', 'R', '/', '-', '۱', 'x', ''];
    let seed = 7;
    const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (const p of BOUNDED) {
      const v8 = new RegExp(p, 'u');
      const re2 = new RE2(p, 'u');
      for (let n = 0; n < 400; n++) {
        const s = Array.from({ length: Math.floor(next() * 28) }, () => alphabet[Math.floor(next() * alphabet.length)]).join('');
        expect(v8.test(s), `${p} on ${s}`).toBe(re2.test(s));
      }
      // and on strings that do match
      expect(v8.test('0'.repeat(10))).toBe(re2.test('0'.repeat(10)));
    }
  });

  it('keep the unanchored pattern a review found slow on V8 off V8, and answer it at once', () => {
    const engine = re2RegExp('[0-9]?[0-9]?[0-9]?[0-9]?[0-9]?[0-9]?[0-9]?[0-9]?[0-9]{1000}', 'u');
    expect(engine).toBeInstanceOf(RE2);
    expect(engine.test(('1'.repeat(999) + '-').repeat(30))).toBe(false);
  });

  it('still answer a catastrophic pattern at once, on RE2', () => {
    const engine = re2RegExp('^(a+)+$', 'u');
    expect(engine.test('a'.repeat(5000) + 'b')).toBe(false);
  });
});
