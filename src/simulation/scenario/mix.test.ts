import { describe, expect, it } from 'vitest';
import { buildMix, fitJoint, grantsOf, MixSampler, REPORT_1399 } from './mix.ts';
import { buildScenario } from './scenario.ts';

const scenario = buildScenario();
const mix = buildMix(scenario);

function realised(draws: number, seed: string | number) {
  const sampler = new MixSampler(mix, seed);
  const byProvider = new Map<string, number>();
  const byConsumer = new Map<string, number>();
  const grants = grantsOf(scenario);
  let forbidden = 0;
  for (let i = 0; i < draws; i++) {
    const cell = sampler.draw(i);
    byProvider.set(cell.provider, (byProvider.get(cell.provider) ?? 0) + 1 / draws);
    byConsumer.set(cell.consumer, (byConsumer.get(cell.consumer) ?? 0) + 1 / draws);
    if (!grants.get(cell.consumer)?.has(cell.service.id)) forbidden++;
  }
  return { byProvider, byConsumer, forbidden };
}

describe('the 1399 traffic mix', () => {
  it('has the report\'s marginals exactly, and only granted pairs', () => {
    const byProvider = new Map<string, number>();
    const byConsumer = new Map<string, number>();
    for (const c of mix.cells) {
      byProvider.set(c.provider, (byProvider.get(c.provider) ?? 0) + c.probability);
      byConsumer.set(c.consumer, (byConsumer.get(c.consumer) ?? 0) + c.probability);
    }
    for (const [p, share] of mix.providerShares) expect(byProvider.get(p) ?? 0, p).toBeCloseTo(share, 9);
    for (const [c, share] of Object.entries(REPORT_1399.consumers)) expect(byConsumer.get(c) ?? 0, c).toBeCloseTo(share, 9);
    expect(mix.providerShares.get('NOCR')).toBe(0.57);
    expect([...mix.providerShares.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(mix.providerShares.size).toBe(56);
  });

  it('is reproduced within a percentage point by 20 000 draws, for any seed', () => {
    for (const seed of ['1399', 'another', 42]) {
      const r = realised(20_000, seed);
      expect(r.forbidden).toBe(0);
      for (const [p, share] of mix.providerShares) expect(Math.abs((r.byProvider.get(p) ?? 0) - share), `${seed} ${p}`).toBeLessThan(0.01);
      for (const [c, share] of mix.consumerShares) expect(Math.abs((r.byConsumer.get(c) ?? 0) - share), `${seed} ${c}`).toBeLessThan(0.01);
      // The report's headline figures, far tighter than a point.
      expect(Math.abs((r.byProvider.get('NOCR') ?? 0) - 0.57)).toBeLessThan(0.002);
      expect(Math.abs((r.byConsumer.get('GOV/JUDICIARY/case-management') ?? 0) - 0.46)).toBeLessThan(0.002);
    }
  });

  it('draws the same inquiries for the same seed and others for another', () => {
    const a = new MixSampler(mix, 's');
    const b = new MixSampler(mix, 's');
    const c = new MixSampler(mix, 't');
    const seq = (s: MixSampler) => Array.from({ length: 50 }, (_, i) => s.draw(i).service.id);
    expect(seq(a)).toEqual(seq(b));
    expect(seq(a)).not.toEqual(seq(c));
  });

  it('fits a joint distribution to both marginals on the allowed pairs only, or says it cannot', () => {
    const m = fitJoint([[true, true, false], [false, true, true]], [0.6, 0.4], [0.3, 0.5, 0.2]);
    expect(m[0]![2]).toBe(0);
    expect(m[1]![0]).toBe(0);
    expect(m[0]!.reduce((a, b) => a + b, 0)).toBeCloseTo(0.6, 10);
    expect(m[0]![1]! + m[1]![1]!).toBeCloseTo(0.5, 10);
    // Provider 0 only reachable from consumer 0, which sends 20 %: 30 % cannot go there.
    expect(() => fitJoint([[true, true], [false, true]], [0.2, 0.8], [0.3, 0.7])).toThrow(/cannot be met/);
  });
});
