// The 1399 scenario's oversight data, as `scenario load` writes it: savings for every service, SLA
// documents for some only (so SLA coverage is partial, as the report says), the report's mandates,
// baselines of some agencies, and the UN survey's 25 services with 20 online. Loading again keeps
// it, and puts the SLA rates back on the re-registered services.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ephemeralNodeKeys } from '../../keys/node-keys.ts';
import { Registry } from '../../registry/registry.ts';
import { latestSnapshot } from '../../snapshot/publish.ts';
import { openRegistryStore, type OpenedStore } from '../../store/database.ts';
import { loadScenario } from './load.ts';
import { MANDATES, SLAS, SURVEY } from './oversight-seed.ts';
import { buildScenario } from './scenario.ts';

const scenario = buildScenario();
const keys = ephemeralNodeKeys();
let store: OpenedStore;
let registry: Registry;

beforeAll(async () => {
  store = await openRegistryStore(':memory:');
  registry = new Registry(store.db, { instance: 'IR', nodeId: 'central', signingKey: keys.signingKey, validityMs: 3600_000, now: () => new Date() });
  await loadScenario(registry, scenario, 'http://127.0.0.1:9090');
});
afterAll(() => store.close());

describe('the 1399 scenario\'s oversight data', () => {
  it('has savings for every service, SLA documents for some only, and baselines for some agencies', async () => {
    const services = await registry.listServices();
    const savings = await registry.oversight.listSavings();
    expect(savings.map((s) => s.serviceId).sort()).toEqual(scenario.services.map((s) => `IR/${s.id}`).sort());
    expect(savings.every((s) => s.visits >= 0 && s.letters >= 0)).toBe(true);
    expect(savings.find((s) => s.serviceId === 'IR/GOV/MSRT/degrees/degree')).toMatchObject({ visits: 0.05, letters: 1 });

    const slas = await registry.oversight.listSlas();
    expect(slas).toHaveLength(Object.keys(SLAS).length);
    expect(slas.length).toBeGreaterThan(0);
    expect(slas.length).toBeLessThan(services.length); // the sla-coverage mandate comes out unmet
    expect(slas.every((s) => s.enforcedRatePerSecond === s.maxRatePerSecond)).toBe(true);

    const baselines = await registry.oversight.listBaselines();
    expect(baselines.length).toBeGreaterThan(0);
    expect(baselines.every((b) => b.year === 1396 && b.visits > 0)).toBe(true);
  });

  it('has the report\'s mandates, among them an SLA for every service and MSRT\'s degree verification by 1400/06/31', async () => {
    const mandates = await registry.oversight.listMandates();
    expect(mandates).toHaveLength(Object.keys(MANDATES).length);
    expect(mandates.map((m) => m.condition.kind)).toEqual(expect.arrayContaining(['sla-coverage', 'open-data-published', 'service-offered', 'min-monthly-usage', 'max-error-rate']));
    expect(mandates.find((m) => m.condition.kind === 'service-offered' && m.condition.service === 'IR/GOV/MSRT/degrees/degree'))
      .toMatchObject({ responsibleMember: 'IR/GOV/MSRT', deadline: '1400/06/31' });
    expect(mandates.find((m) => m.condition.kind === 'min-monthly-usage' && m.condition.service === 'IR/GOV/CII/third-party/policy'))
      .toMatchObject({ condition: { consumers: ['IR/COM/IRAN-INSURANCE'], per: 'consumer' } });
  });

  it('has the UN survey\'s 25 services, 20 of them online through the exchange', async () => {
    const survey = await registry.oversight.listSurvey();
    expect(survey).toHaveLength(25);
    expect(survey.filter((s) => s.services.length > 0)).toHaveLength(20);
    expect(SURVEY.filter((s) => s.services.length > 0)).toHaveLength(20);
    expect(survey.find((s) => s.code === 'birth-certificate')?.services).toContain('IR/GOV/NOCR/inquiries/birth-certificate-status');
  });

  it('loaded again, keeps what was declared and puts the SLA rates back on the re-registered services', async () => {
    await registry.changeOversight((o) => o.setSavings('IR/GOV/NOCR/identity/person', { visits: 2, letters: 3 }));
    await loadScenario(registry, scenario, 'http://127.0.0.1:9191');
    expect(await registry.oversight.getSavings('IR/GOV/NOCR/identity/person')).toMatchObject({ visits: 2, letters: 3 });
    expect(await registry.oversight.listSurvey()).toHaveLength(25);
    const slas = await registry.oversight.listSlas();
    expect(slas.every((s) => s.enforcedRatePerSecond === s.maxRatePerSecond)).toBe(true);
    const doc = JSON.parse((await latestSnapshot(store.db))!.document) as { services: { id: string; maxRatePerSecond: number | null }[] };
    expect(doc.services.find((s) => s.id === 'IR/GOV/NOCR/identity/person')?.maxRatePerSecond).toBe(SLAS['GOV/NOCR/identity/person']!.maxRatePerSecond);
  });
});
