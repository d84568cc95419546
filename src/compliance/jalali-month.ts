// A Jalali month as the compliance reports name it ('1399/07'), its bounds on Tehran's clock, and
// whether it has closed. Service levels, mandates and the inspectors' list are all judged per month.
import { formatJalali, instantToJalali, jalaliMonthLength, normalizeDigits, startOfJalaliDay, type JalaliDate } from '../dates/jalali.ts';
import { Errors, fail } from '../errors/catalogue.ts';

export interface JalaliMonth { year: number; month: number }

const MONTH = /^(\d{4})[/-](\d{1,2})$/;

/** Parses `1399/07`, `1399-7` or `۱۳۹۹/۰۷`; a two-digit year is refused, never guessed. */
export function parseJalaliMonth(text: string): JalaliMonth {
  const m = MONTH.exec(normalizeDigits(String(text)).trim());
  const month = m ? { year: Number(m[1]), month: Number(m[2]) } : undefined;
  if (!month || month.month < 1 || month.month > 12) fail(Errors.InvalidInput, 'the month must be a Jalali month written YYYY/MM with a four-digit year');
  jalaliMonthLength(month.year, month.month); // refuses a year outside the calendar's table
  return month;
}

export const monthLabel = (m: JalaliMonth): string => `${String(m.year).padStart(4, '0')}/${String(m.month).padStart(2, '0')}`;
export const firstDay = (m: JalaliMonth): JalaliDate => ({ ...m, day: 1 });
export const lastDay = (m: JalaliMonth): JalaliDate => ({ ...m, day: jalaliMonthLength(m.year, m.month) });
export const nextMonth = (m: JalaliMonth): JalaliMonth => (m.month === 12 ? { year: m.year + 1, month: 1 } : { year: m.year, month: m.month + 1 });
export const previousMonth = (m: JalaliMonth): JalaliMonth => (m.month === 1 ? { year: m.year - 1, month: 12 } : { year: m.year, month: m.month - 1 });
export const monthOf = (d: JalaliDate): JalaliMonth => ({ year: d.year, month: d.month });

/** The instant the month ends: the start of the first day of the next month in Tehran. */
export function monthEnd(m: JalaliMonth): Date {
  return startOfJalaliDay(firstDay(nextMonth(m)));
}

export function isClosed(m: JalaliMonth, now: Date): boolean {
  return now.getTime() >= monthEnd(m).getTime();
}

/** The last month that has closed at `now`. */
export function lastClosedMonth(now: Date): JalaliMonth {
  return previousMonth(monthOf(instantToJalali(now)));
}

/** A deadline ('YYYY/MM/DD', stored zero-padded) has passed once its day is over: it is before `day`. */
export function deadlinePassedOn(deadline: string, day: JalaliDate): boolean {
  return deadline < formatJalali(day);
}
