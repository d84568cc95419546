// The history of the national exchange from 1392 to 1399 as `scenario history` writes it: what Iran's
// 1399 report states, and the ASSUMPTIONS that fill the years it does not.
//
// Stated by the report: no inquiries in 1392; 104 million in 1396 and 1.3 billion in 1399; 25
// providers with 282 services in 1396 and 56 providers with 961 services in 1399; the 1399 shares of
// the scenario's mix (mix.ts).
//
// ASSUMED (plausible, not the report's): 1393–1395 ramp up from the exchange's start (3, 15 and 45
// million), and 1397–1398 lie on the geometric curve through 1396 and 1399 (× 2.32 a year: 241 and
// 560 million); providers and services grow linearly between the report's points, from a handful of
// agencies in 1393. Within a year, traffic grows smoothly at the year's rate, is lower on Thursdays
// and much lower on Fridays (the Iranian weekend), and drops during Nowruz (Farvardin 1–13) and on the
// fixed-date national holidays; the lunar holidays, which move every year, are not modelled.
import { jalaliMonthLength, jalaliToGregorian } from '../../dates/jalali.ts';

export interface HistoryYear {
  readonly year: number;
  readonly inquiries: number;
  /** Provider agencies (members) with traffic in the year. */
  readonly providers: number;
  /** Services with traffic in the year. */
  readonly services: number;
}

export const HISTORY_YEARS: readonly HistoryYear[] = [
  { year: 1392, inquiries: 0, providers: 0, services: 0 },
  { year: 1393, inquiries: 3_000_000, providers: 5, services: 30 },
  { year: 1394, inquiries: 15_000_000, providers: 10, services: 90 },
  { year: 1395, inquiries: 45_000_000, providers: 17, services: 170 },
  { year: 1396, inquiries: 104_000_000, providers: 25, services: 282 }, // the report
  { year: 1397, inquiries: 241_000_000, providers: 35, services: 508 },
  { year: 1398, inquiries: 560_000_000, providers: 46, services: 735 },
  { year: 1399, inquiries: 1_300_000_000, providers: 56, services: 961 }, // the report
];

export const FIRST_HISTORY_YEAR = HISTORY_YEARS[0]!.year;
export const LAST_HISTORY_YEAR = HISTORY_YEARS[HISTORY_YEARS.length - 1]!.year;

/** The year's inquiries at a scale (tests write a small history with the same shape). */
export const scaledInquiries = (y: HistoryYear, scale: number): number => Math.round(y.inquiries * scale);

export interface HistoryDay {
  /** 'YYYY/MM/DD', the rollups' day label. */
  readonly label: string;
  readonly month: number;
  readonly day: number;
  /** Relative traffic of the day within its year. */
  readonly weight: number;
}

/** Fixed-date national holidays besides Nowruz: 12 and 13 Farvardin, 14 and 15 Khordad, 22 Bahman. */
const HOLIDAYS = new Set(['01/12', '01/13', '03/14', '03/15', '11/22']);

const pad2 = (n: number) => String(n).padStart(2, '0');

function dayFactor(month: number, day: number, weekday: number): number {
  let f = weekday === 5 ? 0.35 : weekday === 4 ? 0.7 : 1; // Friday, Thursday (0 = Sunday)
  if (month === 1 && day <= 4) f *= 0.3; // Nowruz
  else if (month === 1 && day <= 13) f *= 0.55;
  if (HOLIDAYS.has(`${pad2(month)}/${pad2(day)}`)) f = Math.min(f, 0.35);
  if (month === 12 && day >= 20) f *= 1.1; // the rush before the new year
  return f;
}

/**
 * The days of a Jalali year with their weights: growth at `growth` (the year's total over the last
 * year's) spread evenly over the year, so the daily level runs on across New Year, times the week
 * and holiday factors.
 */
export function historyDays(year: number, growth: number): HistoryDay[] {
  const days: HistoryDay[] = [];
  for (let month = 1; month <= 12; month++) {
    const length = jalaliMonthLength(year, month);
    for (let day = 1; day <= length; day++) days.push({ label: `${year}/${pad2(month)}/${pad2(day)}`, month, day, weight: 0 });
  }
  const rate = Math.log(growth);
  return days.map((d, i) => {
    const g = jalaliToGregorian({ year, month: d.month, day: d.day });
    const weekday = new Date(Date.UTC(g.year, g.month - 1, g.day)).getUTCDay();
    return { ...d, weight: Math.exp((rate * (i + 0.5)) / days.length) * dayFactor(d.month, d.day, weekday) };
  });
}

/** Each year's growth over the one before; the first year with traffic takes the next one's. */
export function yearGrowth(index: number): number {
  const y = HISTORY_YEARS[index]!;
  const before = HISTORY_YEARS[index - 1];
  if (before && before.inquiries > 0) return y.inquiries / before.inquiries;
  const after = HISTORY_YEARS[index + 1];
  return after && y.inquiries > 0 ? after.inquiries / y.inquiries : 1;
}

/** Share of an hour (Tehran) in a day's traffic: office hours carry most of it. */
export const HOUR_WEIGHTS: readonly number[] = [
  0.3, 0.2, 0.15, 0.1, 0.1, 0.15, 0.4, 1.2, 3.5, 5.5, 6, 6, 5.5, 4.5, 3.5, 2.5, 2, 1.8, 1.6, 1.5, 1.3, 1.1, 0.8, 0.5,
];
