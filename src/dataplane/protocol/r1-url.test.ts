// The request line of X-Road's message protocol for REST: the target parsed into a service (or a
// metaservice) and the service path put in its one normal form (RFC 3986 §6.2.2), so that no
// encoding of a path can be matched as one endpoint and run by the provider as another.
import { describe, expect, it } from 'vitest';
import { TabadolError } from '../../errors/catalogue.ts';
import { normalizePath, parseRequestTarget } from './r1-url.ts';

/** The coded type and message a call refused with. */
function refusalOf(run: () => unknown): { type: string; message: string } | undefined {
  try {
    run();
  } catch (e) {
    if (e instanceof TabadolError) return { type: e.type, message: e.message };
    return { type: `uncoded: ${String(e)}`, message: '' };
  }
  return undefined;
}

describe('normalizePath', () => {
  it('leaves a path without escapes, dots or backslashes as it is', () => {
    for (const p of ['', '/', '/persons/0012345679', '/a//b/', '/a-b_c~d']) expect(normalizePath(p)).toBe(p);
  });

  it('decodes escapes of unreserved characters (§6.2.2.2) and upper-cases the others (§6.2.2.1)', () => {
    expect(normalizePath('/persons/%30%30%31%32345679')).toBe('/persons/0012345679');
    expect(normalizePath('/%61dmin-export')).toBe('/admin-export');
    expect(normalizePath('/%7e%2D%5f%2E')).toBe('/~-_.');
    expect(normalizePath('/%d8%b9%25%3f%23%20')).toBe('/%D8%B9%25%3F%23%20');
  });

  it('decodes once only: an escaped percent sign stays escaped', () => {
    expect(normalizePath('/%2541')).toBe('/%2541');
    expect(normalizePath('/%252F')).toBe('/%252F');
  });

  it('gives every encoding of one path the same form, and is idempotent', () => {
    const forms = ['/persons/admin-export', '/persons/%61dmin-export', '/pers%6Fns/admin%2dexport', '/%70%65%72%73%6f%6e%73/admin-export'];
    expect(new Set(forms.map(normalizePath))).toEqual(new Set(['/persons/admin-export']));
    for (const p of ['/%d8%b9', '/a%2e', '/%7E']) expect(normalizePath(normalizePath(p))).toBe(normalizePath(p));
  });

  it('refuses an encoded / or \\, which would hide a segment boundary, and a raw backslash', () => {
    for (const p of ['/persons%2F0012345679', '/persons%2f..', '/a%5Cb', '/a%5cb', '/a\\b', '/a\\..\\b']) {
      expect(refusalOf(() => normalizePath(p))?.message, p).toMatch(/climbs out of the service/);
    }
  });

  it('refuses . and .. segments in any encoding, which would climb out of the service at the provider', () => {
    for (const p of ['/..', '/.', '/a/../b', '/a/./b', '/a/..', '/%2e%2e/admin', '/%2E./x', '/.%2e', '/a/%2e']) {
      expect(refusalOf(() => normalizePath(p)), p).toMatchObject({ type: 'Client.BadRequest', message: expect.stringMatching(/climbs out/) as string });
    }
    // Dots inside a segment are only dots.
    expect(normalizePath('/a..b/...')).toBe('/a..b/...');
    expect(normalizePath('/v1.2/%2e%2e%2e')).toBe('/v1.2/...');
  });

  it('refuses malformed escapes with Client.BadRequest', () => {
    for (const p of ['/%', '/a%4', '/%G1', '/%%41', '/a%2']) expect(refusalOf(() => normalizePath(p))?.type, p).toBe('Client.BadRequest');
  });
});

describe('parseRequestTarget', () => {
  it('splits /r1/{instance}/{class}/{member}/{subsystem}/{service}, the normal path and the raw query', () => {
    expect(parseRequestTarget('/r1/IR/GOV/NOCR/identity/person/persons/%30012345679?birthDate=1370%2F06%2F15&x=?')).toEqual({
      kind: 'service', serviceId: 'IR/GOV/NOCR/identity/person', servicePath: '/persons/0012345679', query: 'birthDate=1370%2F06%2F15&x=?',
    });
  });

  it('takes nothing after the service code as the empty path, and a trailing slash as /', () => {
    expect(parseRequestTarget('/r1/IR/GOV/NOCR/identity/person')).toMatchObject({ serviceId: 'IR/GOV/NOCR/identity/person', servicePath: '', query: '' });
    expect(parseRequestTarget('/r1/IR/GOV/NOCR/identity/person?x=1')).toMatchObject({ servicePath: '', query: 'x=1' });
    expect(parseRequestTarget('/r1/IR/GOV/NOCR/identity/person/')).toMatchObject({ servicePath: '/' });
  });

  it('decodes each identifier part on its own, and the same way from the cache', () => {
    for (let i = 0; i < 2; i++) {
      expect(parseRequestTarget('/r1/IR/GOV/NOCR/identity%2Dv2/per%73on/x', 'POST')).toMatchObject({ serviceId: 'IR/GOV/NOCR/identity-v2/person', servicePath: '/x' });
    }
  });

  it('refuses an identifier part that is empty, missing, badly escaped or not an X-Road code with Client.InvalidServiceIdentifier', () => {
    for (const url of ['/r1/IR/GOV/NOCR/identity', '/r1/IR/GOV//identity/person', '/r1/IR/GOV/NOCR/identity/', '/r1/IR/GOV/NOCR/identity/per%2Fson',
      '/r1/IR/GOV/NOCR/identity/%E0', '/r1/IR/GOV/NOCR/identity/%2e%2e', '/r1/IR/GOV/NOCR/identity/per%20son', '/r1/IR/GOV/N%C3%96CR/identity/person']) {
      expect(refusalOf(() => parseRequestTarget(url))?.type, url).toBe('Client.InvalidServiceIdentifier');
    }
    // Refused again, not served from the cache.
    expect(refusalOf(() => parseRequestTarget('/r1/IR/GOV/NOCR/identity/per%2Fson'))?.type).toBe('Client.InvalidServiceIdentifier');
  });

  it('refuses another protocol version, and anything else outside /r1, with Client.BadRequest', () => {
    expect(refusalOf(() => parseRequestTarget('/r2/IR/GOV/NOCR/identity/person'))).toMatchObject({ type: 'Client.BadRequest', message: expect.stringMatching(/r1/) as string });
    for (const url of ['/', '/R1/IR/GOV/NOCR/identity/person', '/v1/IR/GOV/NOCR/identity/person', '/api', '//r1/IR/GOV/NOCR/identity/person', '*']) {
      expect(refusalOf(() => parseRequestTarget(url))?.type, url).toBe('Client.BadRequest');
    }
  });

  it('puts the service path in its normal form and refuses one that climbs out', () => {
    expect(parseRequestTarget('/r1/IR/GOV/NOCR/identity/person/persons/%61dmin-export')).toMatchObject({ servicePath: '/persons/admin-export' });
    expect(refusalOf(() => parseRequestTarget('/r1/IR/GOV/NOCR/identity/person/../other'))?.type).toBe('Client.BadRequest');
    expect(refusalOf(() => parseRequestTarget('/r1/IR/GOV/NOCR/identity/person/%2e%2e/other'))?.type).toBe('Client.BadRequest');
  });

  it('reads metaservices on GET only; any other method names an ordinary service of that code', () => {
    expect(parseRequestTarget('/listClients?xRoadInstance=IR')).toEqual({ kind: 'listClients', query: 'xRoadInstance=IR' });
    expect(refusalOf(() => parseRequestTarget('/listClients', 'POST'))?.type).toBe('Client.BadRequest');
    for (const kind of ['listMethods', 'allowedMethods', 'getOpenAPI'] as const) {
      expect(parseRequestTarget(`/r1/IR/GOV/NOCR/identity%2Dv2/${kind}?serviceCode=person`)).toEqual({ kind, providerId: 'IR/GOV/NOCR/identity-v2', query: 'serviceCode=person' });
      expect(parseRequestTarget(`/r1/IR/GOV/NOCR/identity/${kind}`, 'POST')).toMatchObject({ kind: 'service', serviceId: `IR/GOV/NOCR/identity/${kind}` });
      // With a path after it, it is a service of that code too.
      expect(parseRequestTarget(`/r1/IR/GOV/NOCR/identity/${kind}/x`)).toMatchObject({ kind: 'service', servicePath: '/x' });
    }
    expect(refusalOf(() => parseRequestTarget('/r1/IR/GOV/NO%2FCR/identity/listMethods'))?.type).toBe('Client.InvalidServiceIdentifier');
  });
});
