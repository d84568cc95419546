// Small-cell suppression of the open data: counts from 1 to 9 are withheld, never rounded; a withheld
// cell gets a companion wherever a published sum would give it away; the CSV is RFC 4180.
import { parse } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { toCsv } from '../src/portal/csv.ts';
import { cell, protect, suppressSmallRow, THRESHOLD } from '../src/portal/suppression.ts';

describe('suppression', () => {
  it('withholds counts from 1 to 9 and publishes 0 and 10 and more', () => {
    expect(THRESHOLD).toBe(10);
    expect([0, 1, 9, 10, 11].map((v) => cell(v).suppressed)).toEqual([false, true, true, false, false]);
  });

  it('withholds every cell of a row whose count is withheld', () => {
    const count = cell(4);
    const parts = [cell(0), cell(4), cell(0)];
    suppressSmallRow(count, parts);
    expect(parts.every((c) => c.suppressed)).toBe(true);
  });

  it('adds a companion to a lone withheld cell of a sum, the smallest non-zero one first', () => {
    // 105 = 100 + 0 + 5: the 5 alone would be 105 − 100 − 0.
    const total = cell(105);
    const [answered, refused, failed] = [cell(100), cell(0), cell(5)];
    protect([{ total, parts: [answered, refused, failed] }]);
    expect([total, answered, refused, failed].map((c) => c.suppressed)).toEqual([false, true, false, true]);
  });

  it('follows the companions across sums until none has a lone withheld cell', () => {
    // Rows (count = a + b) and a column of counts whose total is public.
    const rows = [[cell(30), cell(27), cell(3)], [cell(40), cell(20), cell(20)], [cell(50), cell(25), cell(25)]];
    const relations = [
      ...rows.map(([t, a, b]) => ({ total: t!, parts: [a!, b!] })),
      { total: 'known' as const, parts: rows.map((r) => r[0]!) },
      { total: 'known' as const, parts: rows.map((r) => r[1]!) },
      { total: 'known' as const, parts: rows.map((r) => r[2]!) },
    ];
    protect(relations);
    for (const r of relations) {
      const cells = r.total === 'known' ? r.parts : [r.total, ...r.parts];
      expect(cells.filter((c) => c.suppressed).length).not.toBe(1);
    }
    expect(rows[0]![2]!.suppressed).toBe(true);
  });

  it('withholds the total when every part is withheld but it', () => {
    const total = cell(12);
    const parts = [cell(6), cell(6)];
    protect([{ total, parts }, { total: 'known', parts: [total] }]);
    expect(total.suppressed).toBe(false); // two withheld parts: their sum is told, neither of them
    const lone = cell(15);
    const one = cell(5);
    protect([{ total: lone, parts: [one] }]);
    expect(lone.suppressed).toBe(true);
  });
});

describe('CSV', () => {
  it('quotes what RFC 4180 says to quote, ends lines with CRLF and defuses spreadsheet formulas', () => {
    const text = toCsv(['name', 'n', 'x'], [['Saman, "kyc"', 12, null], ['=HYPERLINK("x")', 0, true], ['سازمان ثبت\nاحوال', 3, false]]);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(text.split('\r\n')[1]).toBe('"Saman, ""kyc""",12,');
    const rows = parse(text, { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      { name: 'Saman, "kyc"', n: '12', x: '' },
      { name: '\'=HYPERLINK("x")', n: '0', x: 'true' },
      { name: 'سازمان ثبت\nاحوال', n: '3', x: 'false' },
    ]);
  });
});
