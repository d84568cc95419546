import { describe, expect, it } from 'vitest';
import { isTabadolError } from '../errors/catalogue.ts';
import {
  addJalaliDays,
  formatInstant,
  formatJalali,
  gregorianToJalali,
  instantToJalali,
  isJalaliLeapYear,
  jalaliMonthKey,
  jalaliMonthLength,
  jalaliToGregorian,
  jalaliYear,
  normalizeDigits,
  parseJalali,
  startOfJalaliDay,
  toPersianDigits,
  type JalaliDate,
} from './jalali.ts';

function refusal(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isTabadolError(e)) return { type: e.type, message: e.message };
    throw e;
  }
  throw new Error('expected a refusal');
}

const j = (year: number, month: number, day: number): JalaliDate => ({ year, month, day });

describe('digits', () => {
  it('normalizes Persian and Arabic-Indic digits and leaves the rest', () => {
    expect(normalizeDigits('۰۱۲۳۴۵۶۷۸۹')).toBe('0123456789');
    expect(normalizeDigits('٠١٢٣٤٥٦٧٨٩')).toBe('0123456789');
    expect(normalizeDigits('کد ۱۲-ab')).toBe('کد 12-ab');
  });
  it('writes Persian digits', () => {
    expect(toPersianDigits('1400/01/01')).toBe('۱۴۰۰/۰۱/۰۱');
  });
});

describe('parseJalali', () => {
  it('accepts slashes, dashes, unpadded parts, Persian and Arabic-Indic digits', () => {
    for (const s of ['1400/01/01', '1400-1-1', '۱۴۰۰/۰۱/۰۱', '١٤٠٠/٠١/٠١', ' 1400/1/01 ', '\u200F۱۴۰۰/۰۱/۰۱']) {
      expect(parseJalali(s)).toEqual(j(1400, 1, 1));
    }
  });
  it('refuses two-digit years, invalid dates and garbage, naming the input', () => {
    for (const s of ['99/01/01', '00/01/01', '۹۹/۰۱/۰۱', '1404/12/30', '1400/13/01', '1400/00/10', '1400/07/31',
      '1400/01-01', '14000/01/01', '1400/01/01 10:00', '', 'yesterday']) {
      const r = refusal(() => parseJalali(s));
      expect(r.type).toBe('Admin.InvalidInput');
      expect(r.message).toContain(JSON.stringify(s));
    }
  });
});

describe('leap years (official table, via jalaali-js)', () => {
  it('1399 and 1403 have 30 Esfand, 1404 has 29', () => {
    expect(isJalaliLeapYear(1399)).toBe(true);
    expect(isJalaliLeapYear(1403)).toBe(true);
    expect(isJalaliLeapYear(1404)).toBe(false);
    expect(jalaliMonthLength(1399, 12)).toBe(30);
    expect(jalaliMonthLength(1403, 12)).toBe(30);
    expect(jalaliMonthLength(1404, 12)).toBe(29);
    expect(parseJalali('1399/12/30')).toEqual(j(1399, 12, 30));
    expect(parseJalali('1403/12/30')).toEqual(j(1403, 12, 30));
    expect(() => parseJalali('1404/12/30')).toThrow(/1404\/12\/30/);
  });
  it('months 1–6 have 31 days, 7–11 have 30', () => {
    expect([1, 6, 7, 11].map((m) => jalaliMonthLength(1404, m))).toEqual([31, 31, 30, 30]);
  });
});

describe('conversion', () => {
  it('Nowruz 1400, 1404 and 1405', () => {
    expect(jalaliToGregorian(j(1400, 1, 1))).toEqual({ year: 2021, month: 3, day: 21 });
    expect(jalaliToGregorian(j(1404, 1, 1))).toEqual({ year: 2025, month: 3, day: 21 });
    expect(jalaliToGregorian(j(1405, 1, 1))).toEqual({ year: 2026, month: 3, day: 21 });
    expect(gregorianToJalali({ year: 2025, month: 3, day: 20 })).toEqual(j(1403, 12, 30));
    expect(gregorianToJalali({ year: 2026, month: 3, day: 20 })).toEqual(j(1404, 12, 29));
  });
  it('refuses impossible Gregorian dates', () => {
    expect(refusal(() => gregorianToJalali({ year: 2025, month: 2, day: 29 })).type).toBe('Admin.InvalidInput');
    expect(gregorianToJalali({ year: 2024, month: 2, day: 29 })).toEqual(j(1402, 12, 10));
  });
  it('1399/12/30 is followed by 1400/01/01; day arithmetic crosses years both ways', () => {
    expect(addJalaliDays(j(1399, 12, 30), 1)).toEqual(j(1400, 1, 1));
    expect(addJalaliDays(j(1404, 12, 29), 1)).toEqual(j(1405, 1, 1));
    expect(addJalaliDays(j(1400, 1, 1), -1)).toEqual(j(1399, 12, 30));
    expect(addJalaliDays(j(1403, 1, 1), 366)).toEqual(j(1404, 1, 1));
  });
});

describe('instants in Tehran', () => {
  it('the 1399 → 1400 rollover happens at 20:30 UTC', () => {
    expect(instantToJalali(new Date('2021-03-20T20:29:59Z'))).toEqual(j(1399, 12, 30));
    expect(instantToJalali(new Date('2021-03-20T20:30:00Z'))).toEqual(j(1400, 1, 1));
    expect(formatInstant(new Date('2021-03-20T20:29:59Z'))).toBe('1399/12/30 23:59');
    expect(formatInstant(new Date('2021-03-20T20:30:00Z'))).toBe('1400/01/01 00:00');
    expect(jalaliYear(new Date('2021-03-20T20:29:59Z'))).toBe(1399);
    expect(jalaliYear(new Date('2021-03-20T20:30:00Z'))).toBe(1400);
    expect(jalaliMonthKey(new Date('2021-03-20T20:30:00Z'))).toBe('1400/01');
  });
  it('startOfJalaliDay is local midnight, +03:30 since 2022', () => {
    expect(startOfJalaliDay(j(1400, 1, 1)).toISOString()).toBe('2021-03-20T20:30:00.000Z');
    expect(startOfJalaliDay(j(1404, 1, 1)).toISOString()).toBe('2025-03-20T20:30:00.000Z');
    expect(startOfJalaliDay(j(1404, 4, 1)).toISOString()).toBe('2025-06-21T20:30:00.000Z');
  });
  it('follows historic DST (+04:30 in summer 1400; midnight skipped on 1400/01/02)', () => {
    expect(formatInstant(new Date('2021-06-21T12:00:00Z'))).toBe('1400/03/31 16:30');
    expect(startOfJalaliDay(j(1400, 4, 1)).toISOString()).toBe('2021-06-21T19:30:00.000Z');
    const start = startOfJalaliDay(j(1400, 1, 2));
    expect(formatInstant(start)).toBe('1400/01/02 01:00');
    expect(instantToJalali(new Date(start.getTime() - 1))).toEqual(j(1400, 1, 1));
  });
  it('takes another zone when asked', () => {
    expect(instantToJalali(new Date('2021-03-20T20:30:00Z'), 'UTC')).toEqual(j(1399, 12, 30));
    expect(refusal(() => instantToJalali(new Date(), 'Mars/Olympus')).type).toBe('Admin.InvalidInput');
    expect(refusal(() => formatInstant(new Date('nonsense'))).type).toBe('Admin.InvalidInput');
  });
  it('formats dates only, and in Persian digits', () => {
    const t = new Date('2025-03-21T10:15:00Z');
    expect(formatInstant(t, { time: false })).toBe('1404/01/01');
    expect(formatInstant(t, { digits: 'persian' })).toBe('۱۴۰۴/۰۱/۰۱ ۱۳:۴۵');
    expect(formatJalali(j(1400, 1, 1), { digits: 'persian' })).toBe('۱۴۰۰/۰۱/۰۱');
  });

  // ICU's Persian calendar is an independent implementation: agreeing with it can catch our errors.
  it('agrees with Intl fa-IR-u-ca-persian on the date and time parts', () => {
    const icu = new Intl.DateTimeFormat('fa-IR-u-ca-persian-nu-latn', {
      timeZone: 'Asia/Tehran', year: 'numeric', month: '2-digit', day: '2-digit',
      hour: '2-digit', minute: '2-digit', hourCycle: 'h23',
    });
    const instants = [
      '2021-03-20T20:29:59Z', '2021-03-20T20:30:00Z', '2021-06-21T12:00:00Z', '2021-12-21T20:29:00Z',
      '2021-12-21T20:31:00Z', '2023-01-01T00:00:00Z', '2025-03-20T20:29:00Z', '2025-03-20T20:30:00Z',
      '2025-09-22T23:59:00Z', '2026-03-20T12:00:00Z', '2026-03-20T20:30:00Z', '2019-09-22T19:29:00Z',
    ];
    for (const iso of instants) {
      const p = Object.fromEntries(icu.formatToParts(new Date(iso)).map((x) => [x.type, x.value]));
      const expected = `${p.year}/${p.month}/${p.day} ${p.hour}:${p.minute}`;
      expect(formatInstant(new Date(iso)), iso).toBe(expected);
    }
  });
});

describe('formatting', () => {
  it('zero-pads to a four-digit year', () => {
    expect(formatJalali(j(1400, 1, 1))).toBe('1400/01/01');
    expect(formatJalali(j(1403, 9, 5))).toBe('1403/09/05');
    expect(refusal(() => formatJalali(j(1404, 12, 30))).type).toBe('Admin.InvalidInput');
  });
  it('string order equals chronological order across 1399/1400 and months 9/10', () => {
    const dates = [j(1400, 10, 1), j(1399, 12, 30), j(1400, 9, 30), j(1400, 1, 1), j(1399, 9, 2), j(1399, 10, 1),
      j(1400, 1, 10), j(1400, 9, 2)];
    const chronological = [...dates].sort((a, b) => jalaliToDays(a) - jalaliToDays(b)).map((d) => formatJalali(d));
    const asStrings = dates.map((d) => formatJalali(d)).sort();
    expect(asStrings).toEqual(chronological);
    expect(chronological[0]).toBe('1399/09/02');
    expect(chronological.at(-1)).toBe('1400/10/01');
  });
  it('round-trips through parseJalali', () => {
    for (let d = j(1399, 11, 1); formatJalali(d) < '1400/02/15'; d = addJalaliDays(d, 1)) {
      expect(parseJalali(formatJalali(d, { digits: 'persian' }))).toEqual(d);
    }
  });
});

function jalaliToDays(d: JalaliDate): number {
  const g = jalaliToGregorian(d);
  return Date.UTC(g.year, g.month - 1, g.day) / 86_400_000;
}
