// The question `GET /v1/stats` and `tabadol stats` take: a Jalali period and a grouping, checked once
// here so the API and the command refuse the same things with the same words.
import { formatJalali, instantToJalali, parseJalali, type JalaliDate } from '../dates/jalali.ts';
import { Errors, fail } from '../errors/catalogue.ts';
import { comparePeriod } from './period-plan.ts';
import { STATS_BY, type StatsBy } from './stats.ts';

export interface StatsRequestInput { from?: string | undefined; to?: string | undefined; by?: string | undefined }

export interface StatsRequest { from: JalaliDate; to: JalaliDate; by: StatsBy }

/** Without dates: the current Jalali year up to today. */
export function statsRequest(input: StatsRequestInput, now: Date = new Date()): StatsRequest {
  const today = instantToJalali(now);
  const from = input.from === undefined ? { year: today.year, month: 1, day: 1 } : parseJalali(input.from);
  const to = input.to === undefined ? today : parseJalali(input.to);
  if (comparePeriod(from, to) > 0) fail(Errors.InvalidInput, `from (${formatJalali(from)}) is after to (${formatJalali(to)})`);
  const by = input.by ?? 'provider';
  if (!(STATS_BY as readonly string[]).includes(by)) fail(Errors.InvalidInput, `by must be one of ${STATS_BY.join(', ')}`);
  return { from, to, by: by as StatsBy };
}
