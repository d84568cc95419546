// The one date module of Tabadol. Instants are stored in UTC (ISO 8601); every date a person reads
// or types is Solar Hijri (Jalali) with a FOUR-digit year, because two-digit years caused Iran's
// "1400 problem" (1399 → 00 sorted before 99 and was read as 1300).
//
// Calendar arithmetic is delegated to jalaali-js, which follows the official leap-year table; the
// 2820-year rule found in many snippets disagrees with the official calendar (e.g. 1403/1404), so it
// is never written here. Time zones go through Intl so historic Tehran DST (until 2022) stays right.
import {
  MAX_JALAALI_YEAR,
  d2j,
  isLeapJalaaliYear,
  isValidJalaaliDate,
  j2d,
  jalaaliMonthLength,
  toGregorian,
  toJalaali,
} from 'jalaali-js';
import { Errors, fail } from '../errors/catalogue.ts';

export type JalaliDate = { year: number; month: number; day: number };
export type GregorianDate = { year: number; month: number; day: number };
export type DigitStyle = 'latin' | 'persian';

export const TEHRAN = 'Asia/Tehran';

// Years before 1 or after jalaali-js's table cannot be converted; 9999 would not fit 4 digits anyway.
const MIN_YEAR = 1;
const MAX_YEAR = MAX_JALAALI_YEAR;

/** Persian (U+06F0–06F9) and Arabic-Indic (U+0660–0669) digits to Latin; other characters unchanged. */
export function normalizeDigits(s: string): string {
  return s.replace(/[\u06F0-\u06F9\u0660-\u0669]/g, (c) => {
    const code = c.charCodeAt(0);
    return String(code >= 0x06f0 ? code - 0x06f0 : code - 0x0660);
  });
}

/** Latin digits to Persian digits (U+06F0–06F9); other characters unchanged. */
export function toPersianDigits(s: string): string {
  return s.replace(/[0-9]/g, (c) => String.fromCharCode(0x06f0 + Number(c)));
}

export function isJalaliLeapYear(year: number): boolean {
  checkYear(year);
  return isLeapJalaaliYear(year);
}

export function jalaliMonthLength(year: number, month: number): number {
  checkYear(year);
  if (!Number.isInteger(month) || month < 1 || month > 12) fail(Errors.InvalidInput, `Jalali month ${month} is not 1–12`);
  return jalaaliMonthLength(year, month);
}

function checkYear(year: number): void {
  if (!Number.isInteger(year) || year < MIN_YEAR || year > MAX_YEAR) {
    fail(Errors.InvalidInput, `Jalali year ${year} is outside ${MIN_YEAR}–${MAX_YEAR}`);
  }
}

function isValid(d: JalaliDate): boolean {
  return (
    Number.isInteger(d.year) && Number.isInteger(d.month) && Number.isInteger(d.day) &&
    d.year >= MIN_YEAR && d.year <= MAX_YEAR && isValidJalaaliDate(d.year, d.month, d.day)
  );
}

function checkDate(d: JalaliDate): void {
  if (!isValid(d)) fail(Errors.InvalidInput, `${JSON.stringify(d)} is not a valid Jalali date`);
}

// Bidi marks are invisible but travel with text copied from right-to-left pages.
const BIDI_MARKS = /[\u200E\u200F\u061C\u202A-\u202E\u2066-\u2069]/g;
// Exactly four year digits: a two-digit year is refused, never guessed.
const DATE_PATTERN = /^(\d{4})([/-])(\d{1,2})\2(\d{1,2})$/;

/** Parses `1400/01/01`, `1400-1-1`, `۱۴۰۰/۰۱/۰۱` or `١٤٠٠/٠١/٠١`; refuses anything else. */
export function parseJalali(input: string): JalaliDate {
  const m = DATE_PATTERN.exec(normalizeDigits(input.replace(BIDI_MARKS, '')).trim());
  const bad = (why: string): never => fail(Errors.InvalidInput, `${JSON.stringify(input)} ${why}`);
  if (!m) return bad('is not a Jalali date written YYYY/MM/DD with a four-digit year');
  const d = { year: Number(m[1]), month: Number(m[3]), day: Number(m[4]) };
  if (!isValid(d)) return bad('is not a date of the Jalali calendar');
  return d;
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function digits(s: string, style: DigitStyle | undefined): string {
  return style === 'persian' ? toPersianDigits(s) : s;
}

/** `1400/01/01`: zero-padded so that string order is chronological order. */
export function formatJalali(d: JalaliDate, opts: { digits?: DigitStyle } = {}): string {
  checkDate(d);
  return digits(`${pad(d.year, 4)}/${pad(d.month, 2)}/${pad(d.day, 2)}`, opts.digits);
}

export function jalaliToGregorian(d: JalaliDate): GregorianDate {
  checkDate(d);
  const g = toGregorian(d.year, d.month, d.day);
  return { year: g.gy, month: g.gm, day: g.gd };
}

export function gregorianToJalali(g: GregorianDate): JalaliDate {
  const ok = [g.year, g.month, g.day].every(Number.isInteger) && g.month >= 1 && g.month <= 12 && g.day >= 1 &&
    g.day <= gregorianMonthLength(g.year, g.month);
  if (!ok) fail(Errors.InvalidInput, `${JSON.stringify(g)} is not a valid Gregorian date`);
  const j = toJalaali(g.year, g.month, g.day);
  const d = { year: j.jy, month: j.jm, day: j.jd };
  checkDate(d);
  return d;
}

// Day count of the month in the proleptic Gregorian calendar (Date handles leap years).
function gregorianMonthLength(year: number, month: number): number {
  const probe = new Date(0);
  probe.setUTCFullYear(year, month, 0); // day 0 of the next month = last day of this one
  return probe.getUTCDate();
}

export function addJalaliDays(d: JalaliDate, days: number): JalaliDate {
  checkDate(d);
  if (!Number.isInteger(days)) fail(Errors.InvalidInput, `${days} is not a whole number of days`);
  const j = d2j(j2d(d.year, d.month, d.day) + days);
  const out = { year: j.jy, month: j.jm, day: j.jd };
  checkDate(out);
  return out;
}

// --- Instants and time zones -------------------------------------------------------------------

type WallClock = { year: number; month: number; day: number; hour: number; minute: number; second: number };

const formatters = new Map<string, Intl.DateTimeFormat>();

// A Gregorian, Latin-digit, 24-hour formatter: only used to read the zone's wall clock.
function wallFormatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US-u-ca-gregory-nu-latn', {
        timeZone, hourCycle: 'h23', era: 'short',
        year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch (e) {
      return fail(Errors.InvalidInput, `${JSON.stringify(timeZone)} is not a known time zone`, e);
    }
    formatters.set(timeZone, f);
  }
  return f;
}

function checkInstant(instant: Date): number {
  const t = instant instanceof Date ? instant.getTime() : NaN;
  if (Number.isNaN(t)) fail(Errors.InvalidInput, 'the instant is not a valid Date');
  return t;
}

/** The wall clock (Gregorian) shown in `timeZone` at `instant`. */
function wallClock(instant: Date, timeZone: string): WallClock {
  checkInstant(instant);
  const parts: Record<string, string> = {};
  for (const p of wallFormatter(timeZone).formatToParts(instant)) parts[p.type] = p.value;
  const year = Number(parts.year);
  return {
    year: parts.era === 'BC' ? 1 - year : year,
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24, // some ICU versions print midnight as 24
    minute: Number(parts.minute),
    second: Number(parts.second),
  };
}

function utcMillis(w: WallClock): number {
  const d = new Date(0);
  d.setUTCFullYear(w.year, w.month - 1, w.day); // setUTCFullYear keeps years 0–99 literal
  d.setUTCHours(w.hour, w.minute, w.second, 0);
  return d.getTime();
}

/** The zone's offset from UTC at `t` (ms), e.g. +03:30 → 12_600_000. */
function offsetAt(t: number, timeZone: string): number {
  const whole = t - (((t % 1000) + 1000) % 1000);
  return utcMillis(wallClock(new Date(whole), timeZone)) - whole;
}

function jalaliOfWall(w: WallClock): JalaliDate {
  return gregorianToJalali({ year: w.year, month: w.month, day: w.day });
}

/** The calendar date in `timeZone` (Tehran by default) at `instant`. */
export function instantToJalali(instant: Date, timeZone: string = TEHRAN): JalaliDate {
  return jalaliOfWall(wallClock(instant, timeZone));
}

const HOUR = 3_600_000;
const sameDate = (a: JalaliDate, b: JalaliDate): boolean => a.year === b.year && a.month === b.month && a.day === b.day;

/**
 * The first instant of the local day `d`: usually local midnight. The offset is read from Intl on
 * both sides of the day because a DST change may fall on it; where midnight was skipped (Iran moved
 * clocks 00:00 → 01:00) the day starts at the transition instead.
 */
export function startOfJalaliDay(d: JalaliDate, timeZone: string = TEHRAN): Date {
  const g = jalaliToGregorian(d);
  const midnightAsUtc = utcMillis({ ...g, hour: 0, minute: 0, second: 0 });
  const candidates = [...new Set([
    midnightAsUtc - offsetAt(midnightAsUtc - 24 * HOUR, timeZone),
    midnightAsUtc - offsetAt(midnightAsUtc + 24 * HOUR, timeZone),
  ])].filter((t) => sameDate(instantToJalali(new Date(t), timeZone), d));
  const first = Math.min(...candidates);
  if (!Number.isFinite(first)) return new Date(midnightAsUtc - offsetAt(midnightAsUtc, timeZone));
  return new Date(first);
}

/** `1400/01/01 13:45` on Tehran's wall clock (time shown unless `time: false`). */
export function formatInstant(
  instant: Date,
  opts: { digits?: DigitStyle; time?: boolean; timeZone?: string } = {},
): string {
  const w = wallClock(instant, opts.timeZone ?? TEHRAN);
  const date = formatJalali(jalaliOfWall(w));
  const text = opts.time === false ? date : `${date} ${pad(w.hour, 2)}:${pad(w.minute, 2)}`;
  return digits(text, opts.digits);
}

/** `1400/01`: the Jalali month in Tehran, for statistics per month (sorts as a string). */
export function jalaliMonthKey(instant: Date, timeZone: string = TEHRAN): string {
  const d = instantToJalali(instant, timeZone);
  return `${pad(d.year, 4)}/${pad(d.month, 2)}`;
}

/** The Jalali year in Tehran at `instant`, for statistics per year. */
export function jalaliYear(instant: Date, timeZone: string = TEHRAN): number {
  return instantToJalali(instant, timeZone).year;
}
