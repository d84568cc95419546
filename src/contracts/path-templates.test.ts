import { describe, expect, it } from 'vitest';
import { ambiguous, compareTemplates, parseTemplate } from './path-templates.ts';

const order = (...templates: string[]) =>
  templates.map((t) => ({ t, s: parseTemplate(t) })).sort((a, b) => compareTemplates(a.s, b.s)).map((x) => x.t);
const amb = (a: string, b: string) => ambiguous(parseTemplate(a), parseTemplate(b));

describe('path templates', () => {
  it('put the more literal template first, whatever the contract order', () => {
    expect(order('/records/{id}', '/records/admin-export')).toEqual(['/records/admin-export', '/records/{id}']);
    expect(order('/files/{name}', '/files/{name}.json')).toEqual(['/files/{name}.json', '/files/{name}']);
    expect(order('/{a}/x', '/p/{b}')).toEqual(['/p/{b}', '/{a}/x']);
  });

  it('find the ambiguous pairs', () => {
    expect(amb('/a/{x}/c', '/a/b/{y}')).toBe(true);
    expect(amb('/a/{x}', '/a/{y}')).toBe(true);
    expect(amb('/f/{a}.json', '/f/x{b}')).toBe(true);
    expect(amb('/records/{id}', '/records/admin-export')).toBe(false);
    expect(amb('/a/{x}/c', '/a/b/c')).toBe(false);
    expect(amb('/a/{x}/c', '/a/b/d')).toBe(false); // never both
    expect(amb('/a/{x}', '/a/{x}/b')).toBe(false);
    expect(amb('/f/{a}.json', '/f/{b}.xml')).toBe(false);
  });
});
