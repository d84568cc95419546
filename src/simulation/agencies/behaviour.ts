// How each simulated agency behaves under load: a latency distribution and a failure rate, per
// agency (member code), so that a scenario can make the civil registry fast, a ministry slow and an
// old system flaky. Turned into the agency server's options by behaviourOptions().
//
// A latency is `{ medianMs, p95Ms }`: log-normal, as service times usually are, with that median and
// 95th percentile (p95 = median gives a fixed delay). The CLI reads the same shape from JSON:
//   { "*": { "latency": { "medianMs": 5, "p95Ms": 20 } }, "NOCR": { "failureRate": 0.001 } }
// where "*" applies to every agency not named.
import { Errors, fail } from '../../errors/catalogue.ts';
import type { Agency } from './agency.ts';
import type { AgencyServerOptions } from './server.ts';

export interface Latency {
  readonly medianMs: number;
  readonly p95Ms: number;
}

export interface AgencyBehaviour {
  readonly latency?: Latency;
  /** Share of calls answered 503, 0–1. */
  readonly failureRate?: number;
}

/** Behaviour by member code; "*" is the default for agencies not named. */
export type BehaviourTable = Readonly<Record<string, AgencyBehaviour>>;

const Z95 = 1.6448536269514722; // the standard normal's 95th percentile

/** A draw from the log-normal with this median and 95th percentile (Box–Muller for the normal). */
export function sampleLatency(l: Latency, random: () => number): number {
  if (l.p95Ms <= l.medianMs) return l.medianMs;
  const sigma = Math.log(l.p95Ms / l.medianMs) / Z95;
  const z = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return l.medianMs * Math.exp(sigma * z);
}

/** The agency server options that give each agency its behaviour. */
export function behaviourOptions(table: BehaviourTable, random: () => number = Math.random): Pick<AgencyServerOptions, 'latencyMs' | 'failureRate' | 'random'> {
  const of = (agency: Agency): AgencyBehaviour => table[agency.memberCode] ?? table['*'] ?? {};
  return {
    latencyMs: (_service, agency) => {
      const l = of(agency).latency;
      return l ? sampleLatency(l, random) : 0;
    },
    failureRate: (_service, agency) => of(agency).failureRate ?? 0,
    random,
  };
}

function nonNegative(v: unknown, what: string): number {
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(Errors.InvalidInput, `${what} must be a number ≥ 0`);
  return v;
}

/** Checks a behaviour table read from JSON; refuses it with Admin.InvalidInput naming the bad entry. */
export function parseBehaviourTable(json: unknown): BehaviourTable {
  if (typeof json !== 'object' || json === null || Array.isArray(json)) fail(Errors.InvalidInput, 'the behaviour table must be a JSON object keyed by member code');
  const table: Record<string, AgencyBehaviour> = {};
  for (const [member, b] of Object.entries(json)) {
    if (typeof b !== 'object' || b === null) fail(Errors.InvalidInput, `behaviour of ${member} must be an object`);
    const { latency, failureRate, ...rest } = b as Record<string, unknown>;
    if (Object.keys(rest).length > 0) fail(Errors.InvalidInput, `behaviour of ${member}: unknown field(s) ${Object.keys(rest).join(', ')}`);
    let l: Latency | undefined;
    if (latency !== undefined) {
      const { medianMs, p95Ms } = (latency ?? {}) as Record<string, unknown>;
      const median = nonNegative(medianMs, `${member}.latency.medianMs`);
      l = { medianMs: median, p95Ms: p95Ms === undefined ? median : nonNegative(p95Ms, `${member}.latency.p95Ms`) };
    }
    const rate = failureRate === undefined ? undefined : nonNegative(failureRate, `${member}.failureRate`);
    if (rate !== undefined && rate > 1) fail(Errors.InvalidInput, `${member}.failureRate must be at most 1`);
    table[member] = { ...(l ? { latency: l } : {}), ...(rate !== undefined ? { failureRate: rate } : {}) };
  }
  return table;
}
