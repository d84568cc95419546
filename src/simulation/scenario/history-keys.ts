// What the history counts: its rollup keys (consumer, service, endpoint, status, error type), each
// with its share of the 1399 traffic, and which services have traffic in which year.
//
// The key set is kept modest: each service with the consumers the mix sends it (mix.ts: the fitted
// consumer × provider shares spread over the services each consumer is granted), not every pair;
// besides, one key of provider failures per service (an answered 503, from the service's main
// consumer) and, for the reference services, one of refused requests (Client.InvalidRequest).
// The Statistical Centre's census services, which no consumer of the scenario is granted, carry a
// trickle of refused requests (Server.ServerProxy.AccessDenied), as does the police's asking the
// post (the demo's refusal). Failures and refusals are taken out of the main consumer's own traffic,
// so every consumer's share stays the report's.
//
// ASSUMPTIONS: latencies are log-normal per provider (NOCR 12 ms, CRA 35 ms, the post 45 ms median,
// others 20–170 ms by a hash of their code, 95th percentile three times the median); providers fail
// 0.1–0.8 % of inquiries; 0.3 % of a reference service's requests break its contract.
import { bucketLowerUs, BUCKETS } from '../../oversight/latency-buckets.ts';
import { hash32 } from '../agencies/random.ts';
import { buildMix, REPORT_1399 } from './mix.ts';
import { HISTORY_YEARS } from './history-plan.ts';
import type { Scenario, ScenarioService } from './scenario.ts';

export interface HistoryKey {
  readonly client: string;
  readonly service: string;
  readonly endpoint: string;
  readonly status: number;
  readonly errorType: string;
  /** Index of the service in HistoryCatalogue.services. */
  readonly serviceIndex: number;
  /** Share of the traffic when every service has traffic (1399). */
  readonly weight: number;
}

export interface HistoryService {
  /** With the instance: `IR/GOV/NOCR/identity/person`. */
  readonly id: string;
  readonly provider: string;
  readonly endpoint: string;
  /** The endpoint names a citizen by national code: its records carry a subject hash. */
  readonly subject: boolean;
  readonly requestBytes: number;
  readonly responseBytes: number;
  /** Probability of each latency bucket. */
  readonly buckets: Float64Array;
  /** Indexes of its keys; the first is its main consumer's answered key. */
  readonly keys: number[];
}

export interface HistoryCatalogue {
  readonly keys: readonly HistoryKey[];
  readonly services: readonly HistoryService[];
  /** Per year of HISTORY_YEARS: which services have traffic (each year's set holds the year before's). */
  readonly active: readonly Set<number>[];
}

const REFUSAL_RATE = 0.003;
const CENSUS_REFUSAL_WEIGHT = 1e-5;
const POLICE_POST_REFUSAL_WEIGHT = 2e-4;
const MEDIAN_MS: Readonly<Record<string, number>> = { NOCR: 12, CRA: 35, POST: 45 };
const SIGMA = Math.log(3) / 1.6449; // p95 = 3 × median

const failureRate = (provider: string) => 0.001 + (hash32(`history-failures\u0000${provider}`) % 8) / 1000;
const medianMs = (provider: string) => MEDIAN_MS[provider] ?? 20 + (hash32(`history-latency\u0000${provider}`) % 151);

/** Standard normal CDF (Abramowitz & Stegun 7.1.26, error under 1.5e-7). */
function normalCdf(x: number): number {
  const z = Math.abs(x) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * z);
  const erf = 1 - ((((1.061405429 * t - 1.453152027) * t + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-z * z);
  return x >= 0 ? (1 + erf) / 2 : (1 - erf) / 2;
}

/** The share of a log-normal latency (median m ms) in each of the rollups' buckets. */
export function bucketShares(median: number): Float64Array {
  const mu = Math.log(median * 1000);
  const out = new Float64Array(BUCKETS);
  let below = 0;
  for (let i = 0; i < BUCKETS; i++) {
    const upper = i === BUCKETS - 1 ? 1 : normalCdf((Math.log(bucketLowerUs(i + 1)) - mu) / SIGMA);
    out[i] = Math.max(0, upper - below);
    below = upper;
  }
  return out;
}

/** The first operation of the contract, as the records name an endpoint: `GET /persons/{nationalCode}`. */
function endpointOf(s: ScenarioService): string {
  for (const [path, item] of Object.entries(s.service.contract.paths)) {
    const method = Object.keys(item)[0];
    if (method) return `${method.toUpperCase()} ${path}`;
  }
  throw new Error(`scenario service ${s.id} has no operation`);
}

/** Providers in the order they join the exchange: the report's three largest, then the catalogue's order. */
function providerOrder(scenario: Scenario): string[] {
  const named = Object.keys(REPORT_1399.providers);
  return [...named, ...scenario.providers.map((p) => p.memberCode).filter((c) => !named.includes(c))];
}

export function historyCatalogue(scenario: Scenario, instance: string): HistoryCatalogue {
  const mix = buildMix(scenario);
  const consumers = Object.keys(REPORT_1399.consumers);
  const providers = providerOrder(scenario);
  const cellsOf = new Map<string, Map<string, number>>(); // service → consumer → probability
  for (const c of mix.cells) {
    const m = cellsOf.get(c.service.id) ?? new Map<string, number>();
    m.set(c.consumer, (m.get(c.consumer) ?? 0) + c.probability);
    cellsOf.set(c.service.id, m);
  }

  // Services in joining order: by provider, then the provider's busiest first; services no consumer
  // is granted come last.
  const ordered = [...scenario.services].sort((a, b) =>
    providers.indexOf(a.provider) - providers.indexOf(b.provider)
    || Number(cellsOf.has(b.id)) - Number(cellsOf.has(a.id))
    || Number(b.reference) - Number(a.reference) || b.weight - a.weight);
  const services: HistoryService[] = ordered.map((s) => {
    const endpoint = endpointOf(s);
    return {
      id: `${instance}/${s.id}`, provider: s.provider, endpoint, subject: endpoint.includes('{nationalCode}'),
      requestBytes: endpoint.startsWith('GET ') ? 0 : 160,
      responseBytes: (s.reference ? 420 : 300) + (hash32(`history-size\u0000${s.id}`) % 300),
      buckets: bucketShares(medianMs(s.provider)), keys: [],
    };
  });

  interface Draft extends HistoryKey { order: number }
  const drafts: Draft[] = [];
  const add = (consumer: string, si: number, status: number, errorType: string, weight: number) => {
    const s = services[si]!;
    const ci = consumers.indexOf(consumer);
    drafts.push({
      client: `${instance}/${consumer}`, service: s.id, endpoint: s.endpoint, status, errorType, serviceIndex: si, weight,
      // Keys of one consumer together, then by provider and service: shares hold to the unit (history-rounding.ts).
      order: (ci < 0 ? consumers.length : ci) * services.length + si,
    });
  };
  ordered.forEach((s, si) => {
    const cells = cellsOf.get(s.id);
    if (!cells) {
      add('GOV/UT/admissions', si, 500, 'Server.ServerProxy.AccessDenied', CENSUS_REFUSAL_WEIGHT);
      return;
    }
    const total = [...cells.values()].reduce((a, b) => a + b, 0);
    const [main] = [...cells].sort((a, b) => b[1] - a[1])[0]!;
    const failed = total * failureRate(s.provider);
    const refused = s.reference ? total * REFUSAL_RATE : 0;
    add(main, si, 200, '', cells.get(main)! - failed - refused);
    for (const [consumer, p] of cells) if (consumer !== main) add(consumer, si, 200, '', p);
    add(main, si, 503, '', failed);
    if (refused > 0) add(main, si, 400, 'Client.InvalidRequest', refused);
    if (s.id === 'GOV/POST/address/address') add('GOV/POLICE/licensing', si, 500, 'Server.ServerProxy.AccessDenied', POLICE_POST_REFUSAL_WEIGHT);
  });
  const keys = drafts.map((d, i) => ({ d, i })).sort((a, b) => a.d.order - b.d.order || a.i - b.i).map(({ d }) => {
    const { order: _order, ...key } = d;
    return key;
  });
  keys.forEach((k, i) => services[k.serviceIndex]!.keys.push(i));
  for (const s of services) {
    // The main consumer's answered key (the largest) first: the history tops up a service from it.
    s.keys.sort((a, b) => keys[b]!.weight - keys[a]!.weight);
  }
  return { keys, services, active: activeServices(services, providers) };
}

/**
 * The services with traffic each year: every provider joining brings its first service; the rest
 * join by rank within their provider (a provider's first third before anyone's last third), until
 * the year's count. Each year keeps the year before's.
 */
function activeServices(services: readonly HistoryService[], providers: readonly string[]): Set<number>[] {
  const byProvider = new Map<string, number[]>();
  services.forEach((s, i) => byProvider.set(s.provider, [...(byProvider.get(s.provider) ?? []), i]));
  const rank = new Map<number, number>();
  for (const list of byProvider.values()) list.forEach((si, r) => rank.set(si, (r + 1) / list.length));
  const out: Set<number>[] = [];
  let current = new Set<number>();
  for (const y of HISTORY_YEARS) {
    const next = new Set(current);
    const joined = providers.slice(0, y.providers);
    for (const p of joined) next.add(byProvider.get(p)![0]!);
    const candidates = joined.flatMap((p) => byProvider.get(p)!).filter((si) => !next.has(si))
      .sort((a, b) => rank.get(a)! - rank.get(b)! || a - b);
    for (const si of candidates) {
      if (next.size >= y.services) break;
      next.add(si);
    }
    if (next.size !== y.services || joined.length !== y.providers) {
      throw new Error(`history plan: ${y.year} cannot have ${y.providers} providers with ${y.services} services`);
    }
    out.push(next);
    current = next;
  }
  return out;
}
