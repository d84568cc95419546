// Which rollup rows cover a Jalali period: whole months from the month rows, the ragged ends from
// the day rows. A year is twelve month rows per key instead of 365 day rows.
import { addJalaliDays, formatJalali, jalaliMonthLength, type JalaliDate } from '../dates/jalali.ts';
import { Errors, fail } from '../errors/catalogue.ts';

export interface PeriodPlan {
  /** Inclusive ranges of 'YYYY/MM' month labels. */
  months: [string, string][];
  /** Inclusive ranges of 'YYYY/MM/DD' day labels. */
  days: [string, string][];
}

const monthLabel = (d: JalaliDate) => formatJalali({ ...d, day: 1 }).slice(0, 7);
const isFirst = (d: JalaliDate) => d.day === 1;
const isLast = (d: JalaliDate) => d.day === jalaliMonthLength(d.year, d.month);
const monthIndex = (d: JalaliDate) => d.year * 12 + d.month - 1;
const fromIndex = (i: number): JalaliDate => ({ year: Math.floor(i / 12), month: (i % 12) + 1, day: 1 });

export function comparePeriod(a: JalaliDate, b: JalaliDate): number {
  return monthIndex(a) - monthIndex(b) || a.day - b.day;
}

export function planPeriod(from: JalaliDate, to: JalaliDate): PeriodPlan {
  if (comparePeriod(from, to) > 0) fail(Errors.InvalidInput, `the period starts (${formatJalali(from)}) after it ends (${formatJalali(to)})`);
  const plan: PeriodPlan = { months: [], days: [] };
  const a = monthIndex(from);
  const b = monthIndex(to);
  if (a === b) {
    if (isFirst(from) && isLast(to)) plan.months.push([monthLabel(from), monthLabel(from)]);
    else plan.days.push([formatJalali(from), formatJalali(to)]);
    return plan;
  }
  const firstWhole = isFirst(from) ? a : a + 1;
  const lastWhole = isLast(to) ? b : b - 1;
  if (!isFirst(from)) plan.days.push([formatJalali(from), formatJalali({ ...from, day: jalaliMonthLength(from.year, from.month) })]);
  if (firstWhole <= lastWhole) plan.months.push([monthLabel(fromIndex(firstWhole)), monthLabel(fromIndex(lastWhole))]);
  if (!isLast(to)) plan.days.push([formatJalali({ ...to, day: 1 }), formatJalali(to)]);
  return plan;
}

/** The period just before, for growth: as many whole months when the period is whole months
 * (1399 against 1398, not against 365 days), otherwise as many days. */
export function previousPeriod(from: JalaliDate, to: JalaliDate): { from: JalaliDate; to: JalaliDate } {
  if (isFirst(from) && isLast(to)) {
    const months = monthIndex(to) - monthIndex(from) + 1;
    const start = fromIndex(monthIndex(from) - months);
    const end = fromIndex(monthIndex(from) - 1);
    return { from: start, to: { ...end, day: jalaliMonthLength(end.year, end.month) } };
  }
  const days = daysBetween(from, to) + 1;
  return { from: addJalaliDays(from, -days), to: addJalaliDays(from, -1) };
}

export function daysBetween(from: JalaliDate, to: JalaliDate): number {
  let n = 0;
  // Periods are bounded by the callers (at most a few decades), so a month walk is cheap and exact.
  let d = from;
  while (monthIndex(d) < monthIndex(to)) {
    n += jalaliMonthLength(d.year, d.month) - d.day + 1;
    d = fromIndex(monthIndex(d) + 1);
  }
  return n + to.day - d.day;
}
