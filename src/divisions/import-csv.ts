// Imports the levels below the province from a CSV in the Statistical Centre of Iran's style.
//
// Format (also in README.md):
//   level,code,parent_code,name_fa,name_en          ← this exact header on line 1
//   county,2304,23,دماوند,Damavand
//   district,230401,2304,مرکزی,Central
//   rural_district,23040101,230401,تاررود,Tarrud
//   city,23040151,230401,دماوند,Damavand
//
//   level           parent level     code
//   county          province         4 digits = province code (2) + 2
//   district        county           6 digits = county code + 2
//   rural_district  district         8 digits = district code + 2
//   city            district         8 digits = district code + 2
// A city belongs to a district (bakhsh), as in Iranian law, so cities and rural districts share
// their district's two-digit space; codes must be unique across the file (suggested: rural
// districts 01–49, cities 51–99). Provinces are built in (provinces.ts), never rows.
// Rows may come in any order (a parent may appear after its child). Codes may be written in
// Persian or Arabic-Indic digits; a UTF-8 BOM is ignored; blank lines are skipped; name_en may be
// empty. Arabic kaf/yeh in name_fa are written as Persian ک/ی so that searches match.
// Any bad row refuses the whole file with Errors.InvalidInput naming its line number.
import { parse } from 'csv-parse/sync';
import { Errors, fail } from '../errors/catalogue.ts';
import { normalizeDigits } from '../dates/jalali.ts';
import { provinceByCode } from './provinces.ts';

export type DivisionLevel = 'county' | 'district' | 'rural_district' | 'city';

export interface Division {
  readonly level: DivisionLevel;
  readonly code: string;
  /** A province code for a county, otherwise the code of a division in the same file. */
  readonly parentCode: string;
  readonly nameFa: string;
  readonly nameEn?: string;
}

export const HEADER = ['level', 'code', 'parent_code', 'name_fa', 'name_en'] as const;

const RULES: Record<DivisionLevel, { digits: number; parentDigits: number; parentLevel: string }> = {
  county: { digits: 4, parentDigits: 2, parentLevel: 'province' },
  district: { digits: 6, parentDigits: 4, parentLevel: 'county' },
  rural_district: { digits: 8, parentDigits: 6, parentLevel: 'district' },
  city: { digits: 8, parentDigits: 6, parentLevel: 'district' },
};

const isLevel = (s: string): s is DivisionLevel => Object.hasOwn(RULES, s);
const persianLetters = (s: string): string => s.replace(/\u0643/g, '\u06A9').replace(/[\u064A\u0649]/g, '\u06CC');

type Row = { record: string[]; info: { lines: number } };

export function importDivisionsCsv(text: string): Division[] {
  let rows: Row[];
  try {
    rows = parse(text, {
      bom: true, info: true, trim: true, skip_empty_lines: true, record_delimiter: ['\r\n', '\n'],
    }) as unknown as Row[]; // with info: true each record comes with its line number
  } catch (e) {
    const line = (e as { lines?: unknown }).lines;
    return fail(Errors.InvalidInput, `divisions CSV line ${typeof line === 'number' ? line : '?'}: ${(e as Error).message}`, e);
  }
  const [header, ...body] = rows;
  if (!header || header.record.join(',') !== HEADER.join(',')) {
    fail(Errors.InvalidInput, `divisions CSV line 1: the header must be "${HEADER.join(',')}"`);
  }

  // First pass: shape of each row and uniqueness, so that parents may follow their children.
  const lineOf = new Map<string, number>();
  const divisions = body.map(({ record, info }) => {
    const bad = (why: string): never => fail(Errors.InvalidInput, `divisions CSV line ${info.lines}: ${why}`);
    const [level = '', rawCode = '', rawParent = '', nameFa = '', nameEn = ''] = record;
    if (!isLevel(level)) return bad(`unknown level ${JSON.stringify(level)} (expected county, district, rural_district or city)`);
    const rule = RULES[level];
    const code = normalizeDigits(rawCode);
    const parentCode = normalizeDigits(rawParent);
    if (!new RegExp(`^\\d{${rule.digits}}$`).test(code)) bad(`code ${JSON.stringify(rawCode)} of a ${level} must be ${rule.digits} digits`);
    if (!new RegExp(`^\\d{${rule.parentDigits}}$`).test(parentCode)) {
      bad(`parent_code ${JSON.stringify(rawParent)} of a ${level} must be a ${rule.parentLevel} code of ${rule.parentDigits} digits`);
    }
    if (!code.startsWith(parentCode)) bad(`code ${code} does not start with its parent's code ${parentCode}`);
    if (nameFa === '' || /[\r\n]/.test(nameFa + nameEn)) bad('name_fa is required and names must be on one line');
    const first = lineOf.get(code);
    if (first !== undefined) bad(`code ${code} is already used on line ${first}`);
    lineOf.set(code, info.lines);
    const division: Division = { level, code, parentCode, nameFa: persianLetters(nameFa), ...(nameEn ? { nameEn } : {}) };
    return { division, line: info.lines };
  });

  // Second pass: every parent exists, with the level the child needs.
  const levelOf = new Map(divisions.map(({ division }) => [division.code, division.level]));
  for (const { division: d, line } of divisions) {
    const { parentLevel } = RULES[d.level];
    const found = parentLevel === 'province' ? (provinceByCode(d.parentCode) ? 'province' : undefined) : levelOf.get(d.parentCode);
    if (found !== parentLevel) {
      fail(Errors.InvalidInput, `divisions CSV line ${line}: parent ${d.parentCode} of ${d.level} ${d.code} is not a ${parentLevel} ${parentLevel === 'province' ? 'of Iran' : 'in the file'}`);
    }
  }
  return divisions.map(({ division }) => division);
}

export interface DivisionIndex {
  readonly byCode: ReadonlyMap<string, Division>;
  /** The divisions directly under a code; a province code gives its counties. */
  children(parentCode: string): readonly Division[];
}

export function buildDivisionIndex(divisions: readonly Division[]): DivisionIndex {
  const byCode = new Map<string, Division>();
  const byParent = new Map<string, Division[]>();
  for (const d of divisions) {
    if (byCode.has(d.code)) fail(Errors.InvalidInput, `division code ${d.code} appears twice`);
    byCode.set(d.code, d);
    const siblings = byParent.get(d.parentCode);
    if (siblings) siblings.push(d);
    else byParent.set(d.parentCode, [d]);
  }
  return {
    byCode,
    children: (parentCode) => byParent.get(normalizeDigits(parentCode)) ?? [],
  };
}
