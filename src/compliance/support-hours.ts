// Which rollup periods lie within an SLA's support hours (Tehran time). The rollups count per Tehran
// wall-clock hour ('1399/07/15 13'), so support hours are judged per hour: an hour counts when at
// least half of it (30 minutes) lies inside the daily window, so a window of 07:30–14:30 judges the
// hours 07 to 14 (eight hours for seven, one of them only half promised) — the nearest the hourly
// grain allows. Days are the Iranian week: sat-wed is the government working week, sat-thu adds
// Thursday; Friday is the weekend day.
import { jalaliToGregorian } from '../dates/jalali.ts';
import type { SupportHours } from '../registry/oversight-data.ts';

const WEEKDAYS = { 'sat-wed': new Set([6, 0, 1, 2, 3]), 'sat-thu': new Set([6, 0, 1, 2, 3, 4]), 'every-day': new Set([0, 1, 2, 3, 4, 5, 6]) };

const minutes = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Day of week (0 Sunday … 6 Saturday) of a Jalali day label 'YYYY/MM/DD'. */
function weekday(dayLabel: string): number {
  const g = jalaliToGregorian({ year: Number(dayLabel.slice(0, 4)), month: Number(dayLabel.slice(5, 7)), day: Number(dayLabel.slice(8, 10)) });
  return new Date(Date.UTC(g.year, g.month - 1, g.day)).getUTCDay();
}

/** Whether the support hours cover a day label 'YYYY/MM/DD' at all. */
export function supportDay(dayLabel: string, hours: SupportHours): boolean {
  return hours === '24/7' || WEEKDAYS[hours.days].has(weekday(dayLabel));
}

/** Whether an hour label 'YYYY/MM/DD HH' lies within the support hours (see the top of this file). */
export function supportHour(hourLabel: string, hours: SupportHours): boolean {
  if (hours === '24/7') return true;
  if (!supportDay(hourLabel.slice(0, 10), hours)) return false;
  const start = Number(hourLabel.slice(11, 13)) * 60;
  const overlap = Math.min(start + 60, minutes(hours.to)) - Math.max(start, minutes(hours.from));
  return overlap >= 30;
}

/** A line a person reads: "24/7" or "sat-wed 07:30–14:30 (Tehran)". */
export function supportHoursText(hours: SupportHours): string {
  return hours === '24/7' ? '24/7' : `${hours.days} ${hours.from}–${hours.to} (Tehran)`;
}
