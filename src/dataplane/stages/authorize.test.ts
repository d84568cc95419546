// The two authorization stages: deny by default. authorize-service refuses a caller without a right
// to the service valid now, before the contract is read; authorize-endpoint then requires a right
// naming the whole service or this endpoint (method and path template), and records which.
import { describe, expect, it } from 'vitest';
import type { Exchange } from '../exchange.ts';
import {
  BANK, CITIZEN, exchange, JUDICIARY, NOW, POLICE, refusal, refusalOf, runAll, runtimeSnapshot, SERVICE, TAX,
} from '../test-kit.ts';
import { authorizeEndpoint, authorizeService } from './authorize.ts';
import { identifyCaller } from './identify-caller.ts';
import { resolveEndpoint } from './resolve-endpoint.ts';
import { resolveService } from './resolve-service.ts';

const at = (t: number) => () => t;

/** The exchange as it stands when authorize-service runs: caller and service known. */
function identified(o: Partial<Exchange>): Promise<Exchange> {
  return runAll(exchange(o), [identifyCaller(), resolveService()]);
}

/** As it stands when authorize-endpoint runs: the endpoint resolved too. */
async function resolved(o: Partial<Exchange>): Promise<Exchange> {
  return runAll(await identified(o), [resolveEndpoint()]);
}

const verify = { method: 'POST', servicePath: '/verify' };

describe('authorize-service stage', () => {
  it('lets through a caller with a right to the whole service or to one of its endpoints', async () => {
    expect(await refusal(async () => authorizeService(at(NOW)).run(await identified({ clientHeader: JUDICIARY })))).toBeUndefined();
    // The police's right names POST /verify only, yet it is a right to the service: the endpoint is checked later.
    expect(await refusal(async () => authorizeService(at(NOW)).run(await identified({ clientHeader: POLICE })))).toBeUndefined();
  });

  it('expands groups: a member of a group holding a right is let through', async () => {
    expect(await refusal(async () => authorizeService(at(NOW)).run(await identified({ clientHeader: TAX })))).toBeUndefined();
  });

  it('refuses with Server.ServerProxy.AccessDenied a caller with no right, whatever the path', async () => {
    const ex = await identified({ clientHeader: JUDICIARY });
    const denied = runtimeSnapshot((d) => { d.accessRights = d.accessRights.filter((r) => r.subjectId !== JUDICIARY); });
    ex.snapshot = denied;
    // A path no endpoint matches is refused the same way as a known one: nothing of the contract leaks.
    for (const servicePath of [`/persons/${CITIZEN}`, '/no/such/path']) {
      const r = await refusalOf(() => authorizeService(at(NOW)).run({ ...ex, servicePath }));
      expect(r?.type).toBe('Server.ServerProxy.AccessDenied');
      expect(r?.message).not.toContain(CITIZEN);
    }
  });

  it('refuses a right outside its validity: not yet valid, or expired (the end is exclusive)', async () => {
    const from = Date.parse('2025-04-01T00:00:00.000Z');
    const until = Date.parse('2025-05-01T00:00:00.000Z');
    const timed = runtimeSnapshot((d) => {
      const r = d.accessRights.find((x) => x.subjectId === JUDICIARY && x.serviceId === SERVICE)!;
      r.validFrom = new Date(from).toISOString();
      r.validUntil = new Date(until).toISOString();
    });
    const ex = await identified({ snapshot: timed, clientHeader: JUDICIARY });
    expect(await refusal(() => authorizeService(at(from - 1)).run(ex))).toBe('Server.ServerProxy.AccessDenied');
    expect(await refusal(() => authorizeService(at(from)).run(ex))).toBeUndefined();
    expect(await refusal(() => authorizeService(at(until - 1)).run(ex))).toBeUndefined();
    expect(await refusal(() => authorizeService(at(until)).run(ex))).toBe('Server.ServerProxy.AccessDenied');
    // The banks' right expired a second ago.
    expect(await refusal(async () => authorizeService(at(NOW)).run(await identified({ clientHeader: BANK })))).toBe('Server.ServerProxy.AccessDenied');
  });

  it('reads the clock on every exchange: one stage instance refuses once the right has expired', async () => {
    let t = NOW;
    const stage = authorizeService(() => t);
    const timed = runtimeSnapshot((d) => { d.accessRights.find((x) => x.subjectId === JUDICIARY)!.validUntil = new Date(NOW + 1000).toISOString(); });
    const ex = await identified({ snapshot: timed, clientHeader: JUDICIARY });
    expect(await refusal(() => stage.run(ex))).toBeUndefined();
    t = NOW + 1000;
    expect(await refusal(() => stage.run(ex))).toBe('Server.ServerProxy.AccessDenied');
  });

  it('does not let one caller\'s right serve another, nor one service\'s right another service', async () => {
    const ex = await identified({ clientHeader: JUDICIARY });
    expect(await refusal(() => authorizeService(at(NOW)).run({ ...ex, client: 'IR/GOV/NOCR/identity' }))).toBe('Server.ServerProxy.AccessDenied');
    const other = runtimeSnapshot((d) => { d.accessRights = d.accessRights.filter((r) => r.serviceId !== SERVICE); });
    expect(await refusal(() => authorizeService(at(NOW)).run({ ...ex, snapshot: other }))).toBe('Server.ServerProxy.AccessDenied');
  });
});

describe('authorize-endpoint stage', () => {
  it('lets a right to the whole service through to every endpoint, and records the right on the exchange', async () => {
    for (const o of [{}, verify, { servicePath: '/persons/admin-export' }]) {
      const ex = await resolved({ clientHeader: JUDICIARY, ...o });
      expect(await refusal(() => authorizeEndpoint(at(NOW)).run(ex))).toBeUndefined();
      const right = ex.snapshot.doc.accessRights.find((r) => r.subjectId === JUDICIARY && r.serviceId === SERVICE)!;
      expect(ex.grant).toMatchObject({ rightId: right.id, legalBasis: right.legalBasis, method: null, path: null });
    }
  });

  it('lets a right naming one endpoint through to that endpoint only', async () => {
    const ex = await resolved({ clientHeader: POLICE, ...verify });
    expect(await refusal(() => authorizeEndpoint(at(NOW)).run(ex))).toBeUndefined();
    expect(ex.grant).toMatchObject({ method: 'POST', path: '/verify' });

    for (const o of [{}, { servicePath: '/persons/admin-export' }, { servicePath: '/' }]) {
      const other = await resolved({ clientHeader: POLICE, ...o });
      const r = await refusalOf(() => authorizeEndpoint(at(NOW)).run(other));
      expect(r?.type).toBe('Server.ServerProxy.AccessDenied');
      // The refusal names the template, never the path the caller sent (it names a citizen).
      expect(r?.message).not.toContain(CITIZEN);
      expect(other.grant).toBeUndefined();
    }
  });

  it('matches a right by template: the tax group may read any person but not the literal export beside the template', async () => {
    const person = await resolved({ clientHeader: TAX, servicePath: '/persons/1234567891' });
    expect(await refusal(() => authorizeEndpoint(at(NOW)).run(person))).toBeUndefined();
    expect(person.grant?.path).toBe('/persons/{nationalCode}');
    const exportAll = await resolved({ clientHeader: TAX, servicePath: '/persons/admin-export' });
    expect(exportAll.endpoint?.path).toBe('/persons/admin-export');
    expect(await refusal(() => authorizeEndpoint(at(NOW)).run(exportAll))).toBe('Server.ServerProxy.AccessDenied');
  });

  it('refuses an endpoint right that expired, though the service step saw another right valid', async () => {
    const s = runtimeSnapshot((d) => {
      d.accessRights.find((r) => r.subjectId === POLICE)!.validUntil = new Date(NOW).toISOString();
      // A right to another endpoint, still valid, lets the service step through.
      d.accessRights.push({ ...d.accessRights.find((r) => r.subjectId === POLICE)!, id: 99, path: '/notes', method: 'PUT', validUntil: null });
    });
    const ex = await resolved({ snapshot: s, clientHeader: POLICE, ...verify });
    expect(await refusal(() => authorizeService(at(NOW)).run(ex))).toBeUndefined();
    expect(await refusal(() => authorizeEndpoint(at(NOW)).run(ex))).toBe('Server.ServerProxy.AccessDenied');
  });
});
