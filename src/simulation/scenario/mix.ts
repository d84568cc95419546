// The traffic mix of the national exchange's 1399 report, and a sampler that reproduces it.
//
// The report gives two marginals: the share of transactions by provider (civil registration 57 %,
// the regulatory authority's Shahkar 20 %, the post 6 %, the rest spread over the other agencies)
// and the share of requests by consumer (judiciary 46 %, police 27 %, the rest others). Traffic may
// only go where an access right allows, so the joint distribution consumer × provider is built on
// the allowed pairs only: iterative proportional fitting (IPF) from a matrix of ones on those pairs
// scales rows and columns in turn until both marginals hold. The result is the joint distribution
// closest to independence among those with the report's marginals and no forbidden pair (IPF's
// limit minimises the Kullback–Leibler divergence to the start). Within a (consumer, provider) cell
// the traffic goes to the provider's services the consumer is granted, in proportion to each
// service's weight (scenario.ts).
//
// Sampling is deterministic and low-discrepancy: draw i takes u_i = frac(offset + i·φ), φ the golden
// ratio's fractional part and the offset taken from the seed, and maps it through the cumulative
// distribution of the cells, ordered consumer by consumer. Each consumer's cells are one interval,
// so its realised share is within a few draws of its target for any N (the additive sequence's
// discrepancy grows like log N); each provider's share is a union of a few intervals, as close. A
// pseudo-random sampler would miss 57 % by ±1 point one time in twenty at N = 10 000.
import { hash32 } from '../agencies/random.ts';
import type { Scenario, ScenarioService } from './scenario.ts';

/** Shares of the 1399 report. Providers by member code; consumers by subsystem (`CLASS/MEMBER/SUBSYSTEM`). */
export interface TrafficShares {
  /** Named providers' shares; the rest is spread over the other providers by size (see providerShares). */
  readonly providers: Readonly<Record<string, number>>;
  readonly consumers: Readonly<Record<string, number>>;
}

export const REPORT_1399: TrafficShares = {
  providers: { NOCR: 0.57, CRA: 0.2, POST: 0.06 },
  consumers: {
    'GOV/JUDICIARY/case-management': 0.46,
    'GOV/POLICE/licensing': 0.27,
    // The report gives no split of the remaining 27 %; banks lead it, as they do in practice.
    'COM/SAMAN/kyc': 0.06,
    'COM/PASARGAD/kyc': 0.05,
    'GOV/INTA/audit': 0.05,
    'COM/IRAN-INSURANCE/underwriting': 0.04,
    'GOV/SSO/benefits': 0.04,
    'GOV/UT/admissions': 0.03,
  },
};

export interface MixCell {
  readonly consumer: string;
  readonly provider: string;
  readonly service: ScenarioService;
  readonly probability: number;
}

export interface Mix {
  readonly cells: readonly MixCell[];
  /** Target share per provider member code. */
  readonly providerShares: ReadonlyMap<string, number>;
  /** Target share per consumer subsystem. */
  readonly consumerShares: ReadonlyMap<string, number>;
}

/**
 * Every provider's target share: the named ones as given, the rest in proportion to the number of
 * services each offers, the reference agencies' counting thrice (their inquiries are the ones the
 * exchange is known to carry).
 */
export function providerShares(scenario: Scenario, shares: TrafficShares = REPORT_1399): Map<string, number> {
  const named = Object.values(shares.providers).reduce((a, b) => a + b, 0);
  const size = new Map<string, number>();
  for (const s of scenario.services) {
    if (s.provider in shares.providers) continue;
    size.set(s.provider, (size.get(s.provider) ?? 0) + (s.reference ? 3 : 1));
  }
  const total = [...size.values()].reduce((a, b) => a + b, 0);
  const out = new Map(Object.entries(shares.providers));
  for (const [p, n] of size) out.set(p, ((1 - named) * n) / total);
  return out;
}

/**
 * Iterative proportional fitting: the matrix with zeros where `allowed` is false, whose row sums are
 * `rows` and column sums `cols`. Throws when the allowed pairs cannot carry the marginals.
 */
export function fitJoint(allowed: readonly (readonly boolean[])[], rows: readonly number[], cols: readonly number[], tolerance = 1e-12): number[][] {
  const m: number[][] = allowed.map((r) => r.map((a) => (a ? 1 : 0)));
  for (let iteration = 0; iteration < 20_000; iteration++) {
    m.forEach((r, i) => {
      const sum = r.reduce((a, b) => a + b, 0);
      if (sum > 0) r.forEach((_, j) => { r[j] = (r[j] as number) * (rows[i] as number) / sum; });
    });
    for (let j = 0; j < cols.length; j++) {
      const sum = m.reduce((a, r) => a + (r[j] as number), 0);
      if (sum > 0) m.forEach((r) => { r[j] = (r[j] as number) * (cols[j] as number) / sum; });
    }
    const rowError = Math.max(...m.map((r, i) => Math.abs(r.reduce((a, b) => a + b, 0) - (rows[i] as number))));
    const colError = Math.max(...cols.map((c, j) => Math.abs(m.reduce((a, r) => a + (r[j] as number), 0) - c)));
    if (rowError < tolerance && colError < tolerance) return m;
  }
  throw new Error('the traffic shares cannot be met with these access rights: some share has no allowed pair to go to');
}

/** The services each consumer may call: its own rights and the services open to every subsystem. */
export function grantsOf(scenario: Scenario): Map<string, Set<string>> {
  const open = scenario.open.map((o) => o.service);
  const grants = new Map(scenario.consumers.map((c) => [`${c.memberClass}/${c.memberCode}/${c.subsystemCode}`, new Set(open)]));
  for (const r of scenario.rights) grants.get(r.consumer)?.add(r.service);
  return grants;
}

export function buildMix(scenario: Scenario, shares: TrafficShares = REPORT_1399): Mix {
  const consumers = Object.keys(shares.consumers);
  const consumerTotal = Object.values(shares.consumers).reduce((a, b) => a + b, 0);
  if (Math.abs(consumerTotal - 1) > 1e-9) throw new Error(`consumer shares add up to ${consumerTotal}, not 1`);
  const pShares = providerShares(scenario, shares);
  const providers = [...pShares.keys()];
  const grants = grantsOf(scenario);
  const servicesOf = new Map<string, ScenarioService[]>();
  for (const s of scenario.services) servicesOf.set(s.provider, [...(servicesOf.get(s.provider) ?? []), s]);

  const granted = (c: string, p: string): ScenarioService[] => (servicesOf.get(p) ?? []).filter((s) => grants.get(c)?.has(s.id));
  const allowed = consumers.map((c) => providers.map((p) => granted(c, p).length > 0));
  const joint = fitJoint(allowed, consumers.map((c) => shares.consumers[c] as number), providers.map((p) => pShares.get(p) as number));

  const cells: MixCell[] = [];
  consumers.forEach((consumer, i) => {
    providers.forEach((provider, j) => {
      const mass = joint[i]?.[j] ?? 0;
      if (mass <= 0) return;
      const services = granted(consumer, provider);
      const weight = services.reduce((a, s) => a + s.weight, 0);
      for (const service of services) cells.push({ consumer, provider, service, probability: (mass * service.weight) / weight });
    });
  });
  return { cells, providerShares: pShares, consumerShares: new Map(Object.entries(shares.consumers)) };
}

const PHI = (Math.sqrt(5) - 1) / 2;

/** Draws cells of a mix deterministically (see the header): draw(i) is the same for the same seed. */
export class MixSampler {
  private readonly cumulative: Float64Array;
  private readonly offset: number;

  constructor(private readonly mix: Mix, seed: string | number) {
    this.cumulative = new Float64Array(mix.cells.length);
    let sum = 0;
    mix.cells.forEach((c, i) => {
      sum += c.probability;
      this.cumulative[i] = sum;
    });
    this.offset = hash32(`mix\u0000${seed}`) / 2 ** 32;
  }

  draw(i: number): MixCell {
    const x = (this.offset + (i + 1) * PHI) % 1;
    const u = x * (this.cumulative[this.cumulative.length - 1] as number);
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((this.cumulative[mid] as number) <= u) lo = mid + 1;
      else hi = mid;
    }
    return this.mix.cells[lo] as MixCell;
  }
}
