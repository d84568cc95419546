import { describe, expect, it } from 'vitest';
import { checkContract } from '../../contracts/check-contract.ts';
import { contractShape } from './load.ts';
import { isValidPart } from '../../identifiers/xroad-id.ts';
import { PROVIDERS, QUESTIONS } from './catalogue.ts';
import { grantsOf } from './mix.ts';
import { buildScenario, GENERATED_SUBSYSTEM } from './scenario.ts';

const scenario = buildScenario();

describe('the 1399 scenario', () => {
  it('has the report\'s 56 provider agencies and 961 services', () => {
    expect(new Set(scenario.services.map((s) => s.provider)).size).toBe(56);
    expect(PROVIDERS).toHaveLength(56);
    expect(scenario.services).toHaveLength(961);
    expect(PROVIDERS.reduce((n, p) => n + p.services, 0)).toBe(961);
    expect(new Set(scenario.services.map((s) => s.id)).size).toBe(961);
    for (const p of PROVIDERS) expect(scenario.services.filter((s) => s.provider === p.memberCode), p.memberCode).toHaveLength(p.services);
  });

  it('keeps the reference inquiries and generates the rest, within each agency\'s topics', () => {
    const reference = scenario.services.filter((s) => s.reference);
    expect(reference.map((s) => s.id)).toEqual(expect.arrayContaining([
      'GOV/NOCR/identity/person', 'GOV/NOCR/identity/marital', 'GOV/POST/address/address', 'GOV/CRA/shahkar/shahkar',
      'GOV/POLICE/traffic/vehicle', 'GOV/JUDICIARY/inheritance/heirs', 'GOV/SCI/divisions/provinces',
    ]));
    expect(reference).toHaveLength(17);
    for (const p of PROVIDERS) {
      const generated = scenario.services.filter((s) => s.provider === p.memberCode && !s.reference).length;
      expect(generated, p.memberCode).toBeLessThanOrEqual(p.topics.length * QUESTIONS.length);
    }
    const nocr = scenario.services.filter((s) => s.provider === 'NOCR' && !s.reference)[0]!;
    expect(nocr.id).toBe(`GOV/NOCR/${GENERATED_SUBSYSTEM}/birth-certificate-status`);
    expect(nocr.service).toMatchObject({ titleEn: 'Birth certificate status inquiry', titleFa: 'استعلام وضعیت شناسنامه' });
  });

  it('offers only valid identifiers and contracts the registry accepts, each marked simulated', async () => {
    // Contracts differ only in their texts: each shape is checked once, as `scenario load` does.
    const checked = new Set<string>();
    for (const s of scenario.services) {
      for (const part of s.id.split('/')) expect(isValidPart(part), s.id).toBe(true);
      const shape = contractShape(s.service.contract);
      if (!checked.has(shape)) {
        checked.add(shape);
        await expect(checkContract(s.service.contract), s.id).resolves.toBeUndefined();
      }
      expect(s.service.contract.info['x-tabadol-simulated']).toBe(true);
      expect(s.service.sample, s.id).toBeDefined();
    }
  });

  it('grants every provider to some consumer, the judiciary and the police most, and never the post to the police', () => {
    const grants = grantsOf(scenario);
    const granted = new Set([...grants.values()].flatMap((g) => [...g]));
    for (const p of PROVIDERS) expect(scenario.services.some((s) => s.provider === p.memberCode && granted.has(s.id)), p.memberCode).toBe(true);
    const police = grants.get('GOV/POLICE/licensing')!;
    expect([...police].filter((id) => id.startsWith('GOV/POST/'))).toEqual([]);
    expect(police.has('GOV/NOCR/identity/person')).toBe(true);
    const judiciary = grants.get('GOV/JUDICIARY/case-management')!;
    expect(judiciary.size).toBeGreaterThan(police.size);
    // Everyone may read the provinces.
    for (const g of grants.values()) expect(g.has('GOV/SCI/divisions/provinces')).toBe(true);
    for (const r of scenario.rights) expect(r.legalBasis.length).toBeGreaterThan(10);
  });
});
