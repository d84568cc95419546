// One service's compliance with its SLA document in one closed Jalali month, from the rollups.
//
// - Availability = answered / (answered + providerFailed), within the support hours only. Refusals
//   (Client.*, no access right) are the callers' doing and do not count; exchangeFailed (a stale
//   snapshot, a record that could not be written, a fault of the node) counts against the exchange,
//   not against the provider, so it is reported beside the figure and left out of it.
// - p95 latency from the merged histogram of the answered and provider-failed exchanges in the
//   support hours (refusals never reach the provider). The histogram's buckets are about 41 % wide,
//   so the figure is interpolated; the open last bucket (over about 52 s) gives a floor.
// - The maximum rate is enforced at the door (Client.RateLimitExceeded): reported, with how many
//   refusals the service's callers got, never a breach of the provider.
//
// Grain: round-the-clock documents read the month row; support hours need the hour rows, kept for
// the recent past only (retention), so a month is evaluated when it closes and the result kept
// (breach-store.ts). Once its hours are gone, the day rows of the support days are read instead
// (the basis says so): the support days are still told apart, the hours within them no longer.
import { percentileMs } from '../oversight/latency-buckets.ts';
import type { ServiceLevel, SupportHours } from '../registry/oversight-data.ts';
import { emptySlice, type RollupSlices, type Slice } from './rollup-slices.ts';
import { supportDay, supportHour } from './support-hours.ts';

export type Criterion = 'availability' | 'p95-latency';
export type Basis = 'month' | 'hours' | 'days';

export interface CriterionResult {
  criterion: Criterion;
  unit: 'percent' | 'ms';
  target: number;
  /** null: no exchange reached the provider in the support hours, so nothing to judge. */
  actual: number | null;
  met: boolean | null;
  /** How far off: percentage points short of the availability target, milliseconds over the latency target; 0 when met. */
  off: number | null;
}

export interface SlaMonthResult {
  serviceId: string;
  /** The provider subsystem, INSTANCE/CLASS/MEMBER/SUBSYSTEM. */
  provider: string;
  /** The agency, INSTANCE/CLASS/MEMBER. */
  agency: string;
  month: string;
  /** The SLA document's version: its last change (updatedAt); the targets below are the ones that applied. */
  slaVersion: string;
  supportHours: SupportHours;
  basis: Basis;
  /** Exchanges within the support hours, by outcome (src/oversight/outcomes.ts). */
  answered: number;
  providerFailed: number;
  exchangeFailed: number;
  refused: number;
  availability: CriterionResult;
  p95Latency: CriterionResult;
  rate: { maxRatePerSecond: number; enforcedRatePerSecond: number | null; rateLimitedRefusals: number; clientsLimited: number };
  /** Every criterion met or without traffic. */
  compliant: boolean;
  evaluatedAt: string;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

function sliceOf(slices: RollupSlices, level: ServiceLevel, month: string): { slice: Slice; basis: Basis } {
  const whole = slices.periods(level.serviceId, month, 'month').get(month) ?? emptySlice();
  if (level.supportHours === '24/7') return { slice: whole, basis: 'month' };
  const hours = slices.periods(level.serviceId, month, 'hour');
  const count = (s: Slice) => s.answered + s.refused + s.providerFailed + s.exchangeFailed;
  const total = [...hours.values()].reduce((n, s) => n + count(s), 0);
  // The hour rows are complete when they count what the month row counts; retention removes them whole-hour by whole-hour.
  const useHours = total === count(whole);
  const periods = useHours ? hours : slices.periods(level.serviceId, month, 'day');
  const within = useHours ? (p: string) => supportHour(p, level.supportHours) : (p: string) => supportDay(p, level.supportHours);
  const slice = emptySlice();
  for (const [period, s] of periods) {
    if (!within(period)) continue;
    slice.answered += s.answered;
    slice.refused += s.refused;
    slice.providerFailed += s.providerFailed;
    slice.exchangeFailed += s.exchangeFailed;
    for (let i = 0; i < s.buckets.length; i++) slice.buckets[i]! += s.buckets[i]!;
  }
  return { slice, basis: useHours ? 'hours' : 'days' };
}

export function evaluateServiceMonth(slices: RollupSlices, level: ServiceLevel, month: string, now: Date): SlaMonthResult {
  const { slice, basis } = sliceOf(slices, level, month);
  const reached = slice.answered + slice.providerFailed;
  const availability = reached === 0 ? null : round((100 * slice.answered) / reached, 4);
  const p95 = percentileMs(slice.buckets, 0.95);
  const p95Ms = p95 === null ? null : round(p95, 1);
  const availabilityResult: CriterionResult = {
    criterion: 'availability', unit: 'percent', target: level.availabilityPercent, actual: availability,
    met: availability === null ? null : availability >= level.availabilityPercent,
    off: availability === null ? null : round(Math.max(0, level.availabilityPercent - availability), 4),
  };
  const latencyResult: CriterionResult = {
    criterion: 'p95-latency', unit: 'ms', target: level.p95LatencyMs, actual: p95Ms,
    met: p95Ms === null ? null : p95Ms <= level.p95LatencyMs,
    off: p95Ms === null ? null : round(Math.max(0, p95Ms - level.p95LatencyMs), 1),
  };
  const limited = slices.rateLimitRefusals(level.serviceId, month);
  const parts = level.serviceId.split('/');
  return {
    serviceId: level.serviceId,
    provider: parts.slice(0, 4).join('/'),
    agency: parts.slice(0, 3).join('/'),
    month,
    slaVersion: level.updatedAt,
    supportHours: level.supportHours,
    basis,
    answered: slice.answered,
    providerFailed: slice.providerFailed,
    exchangeFailed: slice.exchangeFailed,
    refused: slice.refused,
    availability: availabilityResult,
    p95Latency: latencyResult,
    rate: {
      maxRatePerSecond: level.maxRatePerSecond, enforcedRatePerSecond: level.enforcedRatePerSecond,
      rateLimitedRefusals: limited.refusals, clientsLimited: limited.clients,
    },
    compliant: availabilityResult.met !== false && latencyResult.met !== false,
    evaluatedAt: now.toISOString(),
  };
}

/** The criteria a result failed. */
export const breachesOf = (r: SlaMonthResult): CriterionResult[] => [r.availability, r.p95Latency].filter((c) => c.met === false);
