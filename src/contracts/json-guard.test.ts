import { describe, expect, it } from 'vitest';
import { depthOf, scanJson } from './json-guard.ts';

const scan = (text: string) => scanJson(Buffer.from(text), { keys: true });

describe('reading JSON from outside', () => {
  it('finds duplicate keys, written plainly or with escapes', () => {
    expect(scan('{"nationalCode":"A","nationalCode":"B"}')).toEqual({ fault: 'duplicate', key: 'nationalCode' });
    expect(scan('{"ab":1,"a\\u0062":2}')).toEqual({ fault: 'duplicate', key: 'ab' });
    // Case-insensitive binders read these as one key, the last winning: the node validated the first.
    expect(scan('{"nationalCode":"A","NationalCode":"B"}')).toEqual({ fault: 'duplicate', key: 'NationalCode' });
    expect(scan('{"a":{"x":1},"b":{"x":2}}')).toBeUndefined(); // same key in two objects
    expect(scan('[{"x":1},{"x":2}]')).toBeUndefined();
    expect(scan('{"a":"\\"x\\":1,","x":1}')).toBeUndefined(); // quotes and commas inside strings
    expect(scan('{"a":"\\\\","a":1}')).toEqual({ fault: 'duplicate', key: 'a' });
  });

  it('finds __proto__ keys, which JSON.parse keeps as own properties', () => {
    expect(Object.keys(JSON.parse('{"__proto__":{"admin":true}}'))).toEqual(['__proto__']);
    expect(scan('{"a":{"__proto__":{"admin":true}}}')).toEqual({ fault: 'proto' });
    expect(scan('{"a":"__proto__"}')).toBeUndefined();
  });

  it('bounds nesting at 64', () => {
    expect(scan('['.repeat(64) + ']'.repeat(64))).toBeUndefined();
    expect(scan('['.repeat(65) + ']'.repeat(65))).toEqual({ fault: 'depth' });
    expect(scan('"' + '['.repeat(100) + '"')).toBeUndefined();
    expect(scanJson(Buffer.from('['.repeat(100_000) + ']'.repeat(100_000)), { keys: false })).toEqual({ fault: 'depth' });
    expect(depthOf({ a: [[{}]] }, 64)).toBe(4);
  });

  it('stays linear on many keys and long escaped strings', () => {
    const many = '{' + Array.from({ length: 50_000 }, (_, i) => `"k${i}":"${'\\\\'.repeat(5)}"`).join(',') + '}';
    expect(scan(many)).toBeUndefined();
  });
});
