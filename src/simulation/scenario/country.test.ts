import { describe, expect, it } from 'vitest';
import { runCli } from '../../cli/program.ts';
import { PROVINCES } from '../../divisions/provinces.ts';
import { PROVIDERS } from './catalogue.ts';
import { CENSUS_1395, COUNTRY_DEFAULTS, percent, simulateCountry, type CountryAnswer, type CountryOptions, type Flows } from './country.ts';
import { buildMix } from './mix.ts';
import { buildScenario } from './scenario.ts';

const scenario = buildScenario();
const mix = buildMix(scenario);
const simulate = (o: Partial<CountryOptions> = {}): CountryAnswer => simulateCountry(scenario, { ...COUNTRY_DEFAULTS, ...o }, mix);

async function cli(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(['scenario', 'country', ...args], { out: (s) => { out += s; }, err: (s) => { err += s; }, env: {} });
  return { code, out, err };
}

const flowKeys: readonly (keyof Flows)[] = ['centre', 'withinProvince', 'acrossProvinces'];

function expectWhole(a: CountryAnswer): void {
  for (const flows of [a.withoutProvincialNodes, a.withProvincialNodes]) {
    expect(flowKeys.reduce((n, k) => n + flows[k].inquiries, 0)).toBe(a.assumptions.inquiries);
    expect(flowKeys.reduce((n, k) => n + flows[k].share, 0)).toBeCloseTo(1, 12);
  }
}

const everyCategory = [...new Set(PROVIDERS.map((p) => p.category))];
const everyConsumer = scenario.consumers.map((c) => c.memberCode);

describe('the country, simulated', () => {
  it('keeps a census table for every province of the register, adding up to the 1395 count', () => {
    expect(Object.keys(CENSUS_1395).sort()).toEqual(PROVINCES.map((p) => p.code).sort());
    // 31 figures rounded to thousands stay within 15,500 of the census's 79,926,270.
    expect(Math.abs(Object.values(CENSUS_1395).reduce((a, b) => a + b, 0) - 79_926_270)).toBeLessThanOrEqual(15_500);
  });

  it('splits the year into shares that add up to 100 %, under any assumptions', () => {
    const cases: Partial<CountryOptions>[] = [
      {}, { localShare: 0 }, { localShare: 1 }, { spread: 'equal' }, { inquiries: 7 }, { provincial: [] },
      { provincial: [...everyCategory, ...everyConsumer], national: [] },
    ];
    for (const o of cases) {
      const a = simulate({ ...o, top: 31 });
      expectWhole(a);
      // Per province: what stays in a province is the country's within-province traffic, to rounding;
      // a cross-province exchange counts on both its nodes.
      const sum = (k: 'withinProvince' | 'acrossProvinces') => a.provinces.reduce((n, p) => n + p[k], 0);
      expect(Math.abs(sum('withinProvince') - a.withProvincialNodes.withinProvince.inquiries)).toBeLessThanOrEqual(31);
      expect(Math.abs(sum('acrossProvinces') - 2 * a.withProvincialNodes.acrossProvinces.inquiries)).toBeLessThanOrEqual(31);
      for (const p of a.provinces) expect(p.inquiries).toBe(p.withinProvince + p.withCentre + p.acrossProvinces);
    }
  });

  it('carries everything at the centre without provincial nodes', () => {
    const a = simulate();
    expect(a.withoutProvincialNodes.centre).toEqual({ inquiries: 1_300_000_000, share: 1 });
    expect(a.withoutProvincialNodes.withinProvince.inquiries).toBe(0);
    expect(a.withProvincialNodes.centre.share).toBeLessThan(1);
    expect(a.withProvincialNodes.withinProvince.share).toBeGreaterThan(0);
  });

  it('keeps nothing in a province with --local-share 0, and sends nothing across with 1', async () => {
    const none = simulate({ localShare: 0, top: 31 });
    expect(none.withProvincialNodes.withinProvince.inquiries).toBe(0);
    for (const p of none.provinces) expect(p.withinProvince, p.code).toBe(0);
    expect(none.withProvincialNodes.acrossProvinces.inquiries).toBeGreaterThan(0);
    const all = simulate({ localShare: 1, top: 31 });
    expect(all.withProvincialNodes.acrossProvinces.inquiries).toBe(0);
    for (const p of all.provinces) expect(p.acrossProvinces, p.code).toBe(0);
    // The centre's share does not depend on where provincial traffic goes.
    expect(none.withProvincialNodes.centre).toEqual(all.withProvincialNodes.centre);
    const r = await cli('--local-share', '0', '--json');
    expect(r.code).toBe(0);
    expect((JSON.parse(r.out) as CountryAnswer).withProvincialNodes.withinProvince.inquiries).toBe(0);
  });

  it('leaves everything to the centre when every agency is national', async () => {
    for (const o of [{ provincial: [] }, { national: [...everyCategory, ...everyConsumer] }]) {
      const a = simulate(o);
      expect(a.withProvincialNodes.centre).toEqual({ inquiries: 1_300_000_000, share: 1 });
      expect(a.assumptions.provincialAgencies).toEqual({ providers: [], consumers: [] });
      for (const p of a.provinces) expect(p.withinProvince + p.acrossProvinces).toBe(0);
    }
    const r = await cli('--provincial', 'none', '--json');
    expect((JSON.parse(r.out) as CountryAnswer).withProvincialNodes.centre.share).toBe(1);
  });

  it('with every agency provincial, splits exactly by the local share, and the centre carries nothing', () => {
    const a = simulate({ provincial: [...everyCategory, ...everyConsumer], national: [], localShare: 0.25 });
    expect(a.withProvincialNodes.centre.inquiries).toBe(0);
    expect(a.withProvincialNodes.withinProvince.inquiries).toBe(325_000_000);
    expect(a.withProvincialNodes.acrossProvinces.inquiries).toBe(975_000_000);
  });

  it('sends the traffic that leaves a province to the others in proportion to their population', () => {
    const a = simulate({ provincial: [...everyCategory, ...everyConsumer], national: [], localShare: 0, top: 31 });
    const total = Object.values(CENSUS_1395).reduce((x, y) => x + y, 0);
    const w = (code: string) => CENSUS_1395[code]! / total;
    // Tehran's node carries what leaves Tehran (its share of the inquiries) and what arrives from each
    // other province p, which sends w_p of the traffic and Tehran's share of the rest of the country.
    const arriving = PROVINCES.filter((p) => p.code !== '23').reduce((n, p) => n + (w(p.code) * w('23')) / (1 - w(p.code)), 0);
    const tehran = a.provinces.find((p) => p.code === '23')!;
    expect(Math.abs(tehran.acrossProvinces - 1_300_000_000 * (w('23') + arriving))).toBeLessThanOrEqual(1);
    expect(tehran.withCentre).toBe(0);
  });

  it('spreads by population or equally, the busiest province first', () => {
    const byPopulation = simulate({ top: 31 });
    expect(byPopulation.provinces[0]!.code).toBe('23');
    expect(byPopulation.provinces[0]!.spreadShare).toBeCloseTo(13_268_000 / Object.values(CENSUS_1395).reduce((a, b) => a + b, 0), 12);
    const equal = simulate({ spread: 'equal', top: 31 });
    for (const p of equal.provinces) expect(p.spreadShare).toBeCloseTo(1 / 31, 12);
    expect(equal.withProvincialNodes.centre).toEqual(byPopulation.withProvincialNodes.centre);
    expect(simulate({ top: 3 }).provinces.map((p) => p.code)).toEqual(byPopulation.provinces.slice(0, 3).map((p) => p.code));
  });

  it('prints the stated assumptions with the defaults, and they are the module\'s defaults', async () => {
    const text = await cli();
    expect(text.code).toBe(0);
    for (const s of [
      '--inquiries 1300000000', '1,300,000,000 inquiries', 'NOCR 57.0 %', 'JUDICIARY 46.0 %',
      '--spread population', 'Statistical Centre of Iran, 1395 census',
      '--provincial judicial,vehicle,address,property,utilities', 'POST, POLICE, JUDICIARY, SSAA',
      'GOV/JUDICIARY/case-management, GOV/POLICE/licensing', '--national TEHRAN-MUNICIPALITY',
      '--local-share 0.6', 'without provincial nodes', 'with provincial nodes',
    ]) expect(text.out).toContain(s);
    expect(text.out).toMatch(/providers NOCR, CRA, MSRT, MOE, CBI/);
    const json = await cli('--json');
    expect(JSON.parse(json.out)).toEqual(JSON.parse(JSON.stringify(simulate())));
  });

  it('prints in the table what it answers in JSON', async () => {
    const args = ['--local-share', '0.7', '--spread', 'equal', '--top', '4'];
    const text = (await cli(...args)).out;
    const a = JSON.parse((await cli(...args, '--json')).out) as CountryAnswer;
    const lines = text.split('\n');
    const row = (label: string) => lines.find((l) => l.includes(label)) ?? '';
    const cells = (line: string) => line.split('│').map((c) => c.trim()).filter((c) => c !== '');
    const fmt = (n: number) => n.toLocaleString('en-US');
    const labels: Record<keyof Flows, string> = { centre: 'carried by the centre', withinProvince: 'stay within one province', acrossProvinces: 'cross provinces directly' };
    for (const k of flowKeys) {
      const x = a.withoutProvincialNodes[k];
      const y = a.withProvincialNodes[k];
      expect(cells(row(labels[k]))).toEqual([labels[k], fmt(x.inquiries), percent(x.share), fmt(y.inquiries), percent(y.share)]);
    }
    expect(a.provinces).toHaveLength(4);
    for (const p of a.provinces) {
      expect(cells(row(`${p.code} ${p.nameEn}`))).toEqual([
        `${p.code} ${p.nameEn}`, percent(p.spreadShare), fmt(p.inquiries), percent(p.share), fmt(p.withinProvince), fmt(p.withCentre), fmt(p.acrossProvinces),
      ]);
    }
    expect(text).toContain('--local-share 0.7');
    expect(text).toContain('--spread equal: inquiries arise in the provinces in equal shares');
  });

  it('is the same answer every time (no randomness)', () => {
    expect(simulate()).toEqual(simulate());
  });

  it('refuses bad assumptions with a coded error and prints no answer', async () => {
    for (const args of [
      ['--local-share', '1.5'], ['--local-share', 'most'], ['--local-share', ''], ['--spread', 'area'],
      ['--provincial', 'judicial,courts'], ['--national', 'NOWHERE'], ['--inquiries', '0'], ['--top', '-1'],
    ]) {
      const r = await cli(...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.err, args.join(' ')).toMatch(/^error Admin\.InvalidInput: /);
      expect(r.out, args.join(' ')).toBe('');
    }
  });

  it('names agencies by category or member code, case aside, a member code over its category', () => {
    const a = simulate({ provincial: ['Judicial', 'post'], national: ['JUDICIARY'] });
    expect(a.assumptions.provincial).toEqual(['judicial', 'POST']);
    expect(a.assumptions.provincialAgencies.providers).toEqual(['POST']);
    expect(a.assumptions.provincialAgencies.consumers).toEqual([]);
    expect(a.withProvincialNodes.centre.share).toBe(1);
  });
});
