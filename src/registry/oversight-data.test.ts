// The registry's oversight data: every change goes through Registry.batch with its change-log entry,
// a refused input changes nothing (no row, no log entry, no snapshot), and an SLA's maximum rate is
// the rate the snapshot gives the door.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ephemeralNodeKeys } from '../keys/node-keys.ts';
import { openRegistryStore, type OpenedStore } from '../store/database.ts';
import { latestSnapshot } from '../snapshot/publish.ts';
import { verifySnapshot } from '../snapshot/signature.ts';
import { isTabadolError } from '../errors/catalogue.ts';
import { Registry } from './registry.ts';
import { oversightOf, type MandateInput, type SlaInput } from './oversight-data.ts';

const keys = ephemeralNodeKeys();
const CONTRACT = {
  openapi: '3.1.0',
  info: { title: 'Person', version: '1' },
  paths: { '/persons/{id}': { get: {
    parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' } }],
    responses: { '200': { description: 'ok' } },
  } } },
};
const PERSON = 'IR/GOV/NOCR/identity/person';
const SLA: SlaInput = { availabilityPercent: 99.5, p95LatencyMs: 800, maxRatePerSecond: 50, supportHours: '24/7' };
const MANDATE: MandateInput = {
  titleFa: 'استعلام الکترونیکی مدرک', titleEn: 'Degree verification', resolution: 'session 3, resolution 2',
  responsibleMember: 'IR/GOV/NOCR', deadline: '1400/06/31', condition: { kind: 'service-offered', service: 'IR/GOV/MSRT/degrees/degree' },
};

let store: OpenedStore;
let registry: Registry;
const rejectsWith = (type: string) => (e: unknown) => isTabadolError(e) && e.type === type;

async function counts() {
  const n = async (t: 'changes' | 'snapshots' | 'service_levels' | 'service_savings' | 'visit_baselines' | 'mandates' | 'survey_services' | 'survey_service_links') =>
    Number((await store.db.selectFrom(t).select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);
  return Object.fromEntries(await Promise.all(
    (['changes', 'snapshots', 'service_levels', 'service_savings', 'visit_baselines', 'mandates', 'survey_services', 'survey_service_links'] as const)
      .map(async (t) => [t, await n(t)]),
  ));
}
const enforcedRate = async () => (await registry.getService(PERSON)).max_rate_per_second;

beforeEach(async () => {
  store = await openRegistryStore(':memory:');
  registry = new Registry(store.db, { instance: 'IR', nodeId: 'central', signingKey: keys.signingKey, validityMs: 3600_000, now: () => new Date() });
  await registry.addMember({ memberClass: 'GOV', memberCode: 'NOCR', name: 'Civil registration' });
  await registry.addSubsystem({ subsystemId: 'IR/GOV/NOCR/identity' });
  await registry.putService({ serviceId: PERSON, title: 'Person', baseUrl: 'http://10.0.0.5/nocr', contract: CONTRACT });
});
afterEach(() => store.close());

describe('service levels', () => {
  it('an SLA\'s maximum rate reaches the snapshot the door enforces, in the same change', async () => {
    const before = await counts();
    const sla = await registry.changeOversight((o) => o.setSla(PERSON, SLA));
    expect(sla).toMatchObject({ serviceId: PERSON, maxRatePerSecond: 50, enforcedRatePerSecond: 50, supportHours: '24/7' });
    const after = await counts();
    expect(after.changes - before.changes).toBe(1);
    expect(after.snapshots - before.snapshots).toBe(1);
    const doc = verifySnapshot((await latestSnapshot(store.db))!, keys.verifyKey);
    expect(doc.services.find((s) => s.id === PERSON)?.maxRatePerSecond).toBe(50);

    const hours = { days: 'sat-wed' as const, from: '08:00', to: '16:00' };
    await registry.changeOversight((o) => o.setSla(PERSON, { ...SLA, maxRatePerSecond: 20, supportHours: hours }));
    expect(await registry.oversight.getSla(PERSON)).toMatchObject({ maxRatePerSecond: 20, supportHours: hours });
    expect(await enforcedRate()).toBe(20);
  });

  it('refuses bad input with a coded error and changes nothing', async () => {
    await registry.changeOversight((o) => o.setSla(PERSON, SLA));
    const before = await counts();
    const bad: [string, unknown][] = [
      [PERSON, { ...SLA, availabilityPercent: 101 }],
      [PERSON, { ...SLA, availabilityPercent: 0 }],
      [PERSON, { ...SLA, maxRatePerSecond: 0 }],
      [PERSON, { ...SLA, maxRatePerSecond: 2.5 }],
      [PERSON, { ...SLA, p95LatencyMs: Number.NaN }],
      [PERSON, { ...SLA, supportHours: 'always' }],
      [PERSON, { ...SLA, supportHours: { days: 'sat-wed', from: '16:00', to: '08:00' } }],
      [PERSON, { ...SLA, supportHours: { days: 'sat-wed', from: '8:00', to: '16:00' } }],
      [PERSON, { ...SLA, availabilty: 99 }],
    ];
    for (const [id, input] of bad) {
      await expect(registry.changeOversight((o) => o.setSla(id, input as SlaInput)), JSON.stringify(input)).rejects.toSatisfy(rejectsWith('Admin.InvalidInput'));
    }
    await expect(registry.changeOversight((o) => o.setSla('IR/GOV/NOCR/identity/none', SLA))).rejects.toSatisfy(rejectsWith('Admin.NotFound'));
    expect(await counts()).toEqual(before);
    expect(await registry.oversight.getSla(PERSON)).toMatchObject({ availabilityPercent: 99.5, maxRatePerSecond: 50 });
    expect(await enforcedRate()).toBe(50);
  });

  it('removal keeps the enforced rate; a re-registered service keeps its SLA rate; the SLA goes with its service', async () => {
    await registry.changeOversight((o) => o.setSla(PERSON, SLA));
    // A bulk load re-registers the service without a rate: the SLA's rate stays, nothing to put back.
    await registry.batch(async (c) => {
      await c.putService({ serviceId: PERSON, title: 'Person', baseUrl: 'http://10.0.0.5/nocr', contract: CONTRACT }, true);
      expect(await oversightOf(c).reapplySlaRates()).toEqual([]);
    });
    expect(await enforcedRate()).toBe(50);

    await registry.changeOversight((o) => o.removeSla(PERSON));
    expect(await enforcedRate()).toBe(50);
    await expect(registry.oversight.getSla(PERSON)).rejects.toSatisfy(rejectsWith('Admin.NotFound'));
    await expect(registry.changeOversight((o) => o.removeSla(PERSON))).rejects.toSatisfy(rejectsWith('Admin.NotFound'));

    await registry.changeOversight(async (o) => {
      await o.setSla(PERSON, SLA);
      await o.setSavings(PERSON, { visits: 1, letters: 0.5 });
      await o.putSurveyService('birth-certificate', { titleFa: 'شناسنامه', titleEn: 'Birth certificate', services: [PERSON] });
    });
    await registry.removeService(PERSON);
    expect(await registry.oversight.listSlas()).toEqual([]);
    expect(await registry.oversight.listSavings()).toEqual([]);
    expect((await registry.oversight.getSurveyService('birth-certificate')).services).toEqual([]);
  });
});

describe('savings and baselines', () => {
  it('are set, replaced and read back; refusals change nothing', async () => {
    await registry.changeOversight((o) => o.setSavings(PERSON, { visits: 1, letters: 2 }));
    expect(await registry.oversight.getSavings(PERSON)).toMatchObject({ visits: 1, letters: 2 });
    await registry.changeOversight((o) => o.setSavings(PERSON, { visits: 0.25, letters: 0 }));
    expect(await registry.oversight.listSavings()).toEqual([expect.objectContaining({ serviceId: PERSON, visits: 0.25, letters: 0 })]);

    await registry.changeOversight((o) => o.setBaseline('IR/GOV/NOCR', 1396, { visits: 12_000_000, note: 'declared 1397' }));
    expect(await registry.oversight.getBaseline('IR/GOV/NOCR', 1396)).toMatchObject({ year: 1396, visits: 12_000_000, note: 'declared 1397' });

    const before = await counts();
    const refusals: [() => Promise<unknown>, string][] = [
      [() => registry.changeOversight((o) => o.setSavings(PERSON, { visits: -1, letters: 0 })), 'Admin.InvalidInput'],
      [() => registry.changeOversight((o) => o.setSavings(PERSON, { visits: 1 } as never)), 'Admin.InvalidInput'],
      [() => registry.changeOversight((o) => o.setSavings('IR/GOV/NOCR/identity/none', { visits: 1, letters: 1 })), 'Admin.NotFound'],
      [() => registry.changeOversight((o) => o.setBaseline('IR/GOV/NOCR', 96, { visits: 1 })), 'Admin.InvalidInput'],
      [() => registry.changeOversight((o) => o.setBaseline('IR/GOV/NOCR', 1396.5, { visits: 1 })), 'Admin.InvalidInput'],
      [() => registry.changeOversight((o) => o.setBaseline('IR/GOV/NOCR', 1396, { visits: -5 })), 'Admin.InvalidInput'],
      [() => registry.changeOversight((o) => o.setBaseline('IR/GOV/NOBODY', 1396, { visits: 5 })), 'Admin.NotFound'],
    ];
    for (const [attempt, type] of refusals) await expect(attempt()).rejects.toSatisfy(rejectsWith(type));
    expect(await counts()).toEqual(before);
  });
});

describe('mandates', () => {
  it('are added, replaced, listed by deadline and removed; the condition is stored in one form', async () => {
    const { created } = await registry.changeOversight((o) => o.putMandate('WG-1', MANDATE));
    expect(created).toBe(true);
    await registry.changeOversight((o) => o.putMandate('WG-2', {
      ...MANDATE, responsibleMember: null, deadline: '۱۳۹۹/۱۲/۲۹',
      condition: { atLeast: 10, per: 'consumer', consumers: ['IR/GOV/NOCR'], service: PERSON, kind: 'min-monthly-usage' },
    }));
    const list = await registry.oversight.listMandates();
    expect(list.map((m) => m.id)).toEqual(['WG-2', 'WG-1']);
    expect(list[0]).toMatchObject({ deadline: '1399/12/29', responsibleMember: null });
    expect(JSON.stringify(list[0]!.condition)).toBe(JSON.stringify({ kind: 'min-monthly-usage', service: PERSON, atLeast: 10, consumers: ['IR/GOV/NOCR'], per: 'consumer' }));
    expect((await registry.changeOversight((o) => o.putMandate('WG-1', { ...MANDATE, deadline: '1400/1/1' }))).created).toBe(false);
    expect((await registry.oversight.getMandate('WG-1')).deadline).toBe('1400/01/01');
    await registry.changeOversight((o) => o.removeMandate('WG-2'));
    expect((await registry.oversight.listMandates()).map((m) => m.id)).toEqual(['WG-1']);
    const actions = (await registry.listChanges()).map((c) => c.action);
    expect(actions.slice(0, 4)).toEqual(['mandate.remove', 'mandate.update', 'mandate.add', 'mandate.add']);
  });

  it('refuses an unknown kind, a malformed condition, a two-digit year or an impossible date, and unknown members, changing nothing', async () => {
    await registry.changeOversight((o) => o.putMandate('WG-1', MANDATE));
    const before = await counts();
    const bad: [string, unknown, string][] = [
      ['WG-1', { ...MANDATE, condition: { kind: 'everything-fine' } }, 'Admin.InvalidInput'],
      ['WG-1', { ...MANDATE, condition: { kind: 'sla-coverage', extra: 1 } }, 'Admin.InvalidInput'],
      ['WG-1', { ...MANDATE, condition: { kind: 'min-monthly-usage', service: PERSON } }, 'Admin.InvalidInput'],
      ['WG-1', { ...MANDATE, condition: { kind: 'min-monthly-usage', service: PERSON, atLeast: 0 } }, 'Admin.InvalidInput'],
      ['WG-1', { ...MANDATE, condition: { kind: 'max-error-rate', percent: 120 } }, 'Admin.InvalidInput'],
      ['WG-1', { ...MANDATE, condition: { kind: 'service-offered', service: 'IR/GOV/MSRT' } }, 'Admin.InvalidInput'],
      ['WG-1', { ...MANDATE, condition: { kind: 'service-offered', service: 'XX/GOV/MSRT/degrees/degree' } }, 'Admin.InvalidInput'],
      ['WG-1', { ...MANDATE, condition: { kind: 'min-monthly-usage', service: PERSON, atLeast: 1, consumers: ['IR/nobody'] } }, 'Admin.NotFound'],
      ['WG-1', { ...MANDATE, deadline: '00/06/31' }, 'Admin.InvalidInput'],
      ['WG-1', { ...MANDATE, deadline: '1400/12/31' }, 'Admin.InvalidInput'],
      ['WG-1', { ...MANDATE, responsibleMember: 'IR/GOV/NOBODY' }, 'Admin.NotFound'],
      ['WG 1', MANDATE, 'Admin.InvalidInput'],
      ['WG-1', { ...MANDATE, titleEn: 'x\u202Ey' }, 'Admin.InvalidInput'],
    ];
    for (const [id, input, type] of bad) {
      await expect(registry.changeOversight((o) => o.putMandate(id, input as MandateInput)), JSON.stringify(input)).rejects.toSatisfy(rejectsWith(type));
    }
    expect(await counts()).toEqual(before);
    expect(await registry.oversight.getMandate('WG-1')).toMatchObject({ deadline: '1400/06/31', condition: MANDATE.condition });
  });
});

describe('the UN e-government survey', () => {
  it('maps survey services to registered services; refuses unknown or repeated ones', async () => {
    const survey = await registry.changeOversight((o) => o.putSurveyService('personal-id', { titleFa: 'کارت ملی', titleEn: 'Personal ID card', services: [PERSON] }));
    expect(survey).toMatchObject({ created: true, survey: { code: 'personal-id', services: [PERSON] } });
    await registry.changeOversight((o) => o.putSurveyService('job-search', { titleFa: 'جستجوی شغل', titleEn: 'Job search', services: [] }));
    expect((await registry.oversight.listSurvey()).map((s) => [s.code, s.services.length])).toEqual([['job-search', 0], ['personal-id', 1]]);
    await registry.changeOversight((o) => o.mapSurveyService('personal-id', []));
    expect((await registry.oversight.getSurveyService('personal-id')).services).toEqual([]);

    const before = await counts();
    await expect(registry.changeOversight((o) => o.mapSurveyService('personal-id', ['IR/GOV/NOCR/identity/none']))).rejects.toSatisfy(rejectsWith('Admin.NotFound'));
    await expect(registry.changeOversight((o) => o.mapSurveyService('personal-id', [PERSON, PERSON]))).rejects.toSatisfy(rejectsWith('Admin.InvalidInput'));
    await expect(registry.changeOversight((o) => o.mapSurveyService('nothing', [PERSON]))).rejects.toSatisfy(rejectsWith('Admin.NotFound'));
    await expect(registry.changeOversight((o) => o.putSurveyService('a/b', { titleFa: 'x', titleEn: 'x', services: [] }))).rejects.toSatisfy(rejectsWith('Admin.InvalidInput'));
    expect(await counts()).toEqual(before);
  });
});
