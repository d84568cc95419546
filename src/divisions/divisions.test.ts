import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { isTabadolError } from '../errors/catalogue.ts';
import { buildDivisionIndex, importDivisionsCsv } from './import-csv.ts';
import { PROVINCES, provinceByCode, provinceOfCounty } from './provinces.ts';

const HEADER = 'level,code,parent_code,name_fa,name_en';
const sample = readFileSync(new URL('./sample-divisions.csv', import.meta.url), 'utf8');

function refusal(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (isTabadolError(e)) {
      expect(e.type).toBe('Admin.InvalidInput');
      return e.message;
    }
    throw e;
  }
  throw new Error('expected a refusal');
}

describe('provinces', () => {
  it('has the 31 provinces with codes 00–30 and matching ISO 3166-2:IR codes', () => {
    expect(PROVINCES).toHaveLength(31);
    expect(PROVINCES.map((p) => p.code)).toEqual(Array.from({ length: 31 }, (_, i) => String(i).padStart(2, '0')));
    for (const p of PROVINCES) expect(p.iso).toBe(`IR-${p.code}`);
    expect(new Set(PROVINCES.map((p) => p.nameEn)).size).toBe(31);
    expect(new Set(PROVINCES.map((p) => p.nameFa)).size).toBe(31);
  });
  it('Markazi is 00, Tehran 23, Alborz 30', () => {
    expect(provinceByCode('00')).toMatchObject({ nameEn: 'Markazi', nameFa: 'مرکزی', capitalFa: 'اراک', capitalEn: 'Arak' });
    expect(provinceByCode('23')).toMatchObject({ nameEn: 'Tehran', iso: 'IR-23', capitalEn: 'Tehran' });
    expect(provinceByCode('30')).toMatchObject({ nameEn: 'Alborz', nameFa: 'البرز', capitalEn: 'Karaj' });
    expect(provinceByCode('09')?.capitalEn).toBe('Mashhad');
    expect(provinceByCode('۲۳')?.nameEn).toBe('Tehran');
    expect(provinceByCode('31')).toBeUndefined();
  });
  it('writes Persian names in Persian letters (no Arabic kaf/yeh, no Latin)', () => {
    for (const p of PROVINCES) {
      for (const name of [p.nameFa, p.capitalFa]) expect(name).toMatch(/^[\u0621-\u063A\u0641-\u0648\u067E\u0686\u0698\u06A9\u06AF\u06CC\u0622 \u200C]+$/);
    }
  });
  it('finds the province of a county', () => {
    expect(provinceOfCounty('2304')?.nameEn).toBe('Tehran');
    expect(provinceOfCounty('۳۰۰۱')?.nameEn).toBe('Alborz');
    expect(provinceOfCounty('9901')).toBeUndefined();
    expect(refusal(() => provinceOfCounty('230'))).toContain('"230"');
  });
});

describe('importDivisionsCsv', () => {
  it('imports the sample and indexes it', () => {
    const divisions = importDivisionsCsv(sample);
    expect(divisions).toHaveLength(15);
    const index = buildDivisionIndex(divisions);
    expect(index.byCode.get('2304')).toEqual({ level: 'county', code: '2304', parentCode: '23', nameFa: 'دماوند', nameEn: 'Damavand' });
    expect(index.children('23').map((d) => d.code)).toEqual(['2301', '2302', '2303', '2304']);
    expect(index.children('230401').map((d) => d.level)).toEqual(['rural_district', 'city']);
    expect(index.children('30010251')).toEqual([]);
    for (const d of divisions.filter((x) => x.level === 'county')) expect(provinceOfCounty(d.code)).toBeDefined();
  });
  it('accepts a BOM, CRLF, blank lines, Persian digits, parents after children; writes Persian kaf/yeh', () => {
    const text = `\uFEFF${HEADER}\r\n\r\ndistrict,۲۳۰۴۰۱,۲۳۰۴,مركزي,\r\ncounty,٢٣٠٤,٢٣,دماوند,Damavand\r\n`;
    expect(importDivisionsCsv(text)).toEqual([
      { level: 'district', code: '230401', parentCode: '2304', nameFa: 'مرکزی' },
      { level: 'county', code: '2304', parentCode: '23', nameFa: 'دماوند', nameEn: 'Damavand' },
    ]);
  });

  const bad: Array<[string, string, RegExp]> = [
    ['unknown level', 'province,23,,تهران,Tehran', /line 3: unknown level "province"/],
    ['code too short', 'county,234,23,ری,Rey', /line 3: code "234" of a county must be 4 digits/],
    ['code not digits', 'district,2304ab,2304,مرکزی,Central', /line 3: code "2304ab"/],
    ['parent not prefixing the code', 'district,230501,2304,مرکزی,Central', /line 3: code 230501 does not start with its parent's code 2304/],
    ['parent missing from the file', 'district,230501,2305,مرکزی,Central', /line 3: parent 2305 of district 230501 is not a county in the file/],
    ['no such province', 'county,3101,31,نامعلوم,Unknown', /line 3: parent 31 of county 3101 is not a province of Iran/],
    ['parent of the wrong level', 'city,23040199,2304,دماوند,Damavand', /line 3: parent_code "2304" of a city must be a district code of 6 digits/],
    ['duplicate code', 'county,2304,23,دماوند دوباره,Damavand again', /line 3: code 2304 is already used on line 2/],
    ['missing Persian name', 'county,2305,23,,Nameless', /line 3: name_fa is required/],
    ['wrong column count', 'county,2305,23', /line 3:.*Invalid Record Length/],
  ];
  for (const [what, row, expected] of bad) {
    it(`refuses a row with ${what}, naming the line`, () => {
      expect(refusal(() => importDivisionsCsv(`${HEADER}\ncounty,2304,23,دماوند,Damavand\n${row}\n`))).toMatch(expected);
    });
  }
  it('refuses a file without the header', () => {
    expect(refusal(() => importDivisionsCsv('county,2304,23,دماوند,Damavand\n'))).toMatch(/line 1: the header must be/);
    expect(refusal(() => importDivisionsCsv(''))).toMatch(/line 1/);
  });
  it('names the line of a bad row in a real file (line numbers count blank lines)', () => {
    const lines = sample.trimEnd().split('\n');
    lines.splice(5, 0, '', 'city,23049951,230499,جایی,Nowhere');
    expect(refusal(() => importDivisionsCsv(lines.join('\n')))).toMatch(/line 7: parent 230499/);
  });
});
