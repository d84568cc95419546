// SIMULATED AGENCY for demonstration — the Statistical Centre of Iran (مرکز آمار ایران) serving
// the country-divisions register: the 31 provinces with their two-digit codes (00–30, also ISO
// 3166-2:IR since 2020), Persian and English names and capitals, from src/divisions. The data is
// real and public; the agency is simulated. It is open to every member (an access right for the
// group of all subsystems), because every register writes provinces with these codes.
// Deeper levels (county, district, rural district, city) come from the statistical centre's CSV
// (src/divisions/README.md); without a file of the operator's, the small sample shipped with the
// project is served, whose codes are illustrative.
import { readFileSync } from 'node:fs';
import { provinceByCode, PROVINCES, type Province } from '../../divisions/provinces.ts';
import { buildDivisionIndex, importDivisionsCsv, type Division, type DivisionIndex } from '../../divisions/import-csv.ts';
import { toLatinDigits } from '../../identifiers/iran.ts';
import {
  SERVER_400_CODES,
  SIMULATED_INFO,
  errorSchema,
  jsonResponse,
  ok,
  problem,
  type Agency,
  type AgencyRequest,
  type AgencyResponse,
  type OpenApiDocument,
} from './agency.ts';
import { guard, InputError } from './inputs.ts';
import { pick } from './random.ts';
import { record } from './schemas.ts';

const PROVINCE_CODE = { type: 'string', pattern: '^[0-9]{2}$', description: 'Province code 00–30 of the Statistical Centre' };

const PROVINCE = record(['code', 'iso', 'nameFa', 'nameEn', 'capitalFa', 'capitalEn'], {
  code: PROVINCE_CODE,
  iso: { type: 'string', pattern: '^IR-[0-9]{2}$', description: 'ISO 3166-2:IR' },
  nameFa: { type: 'string' },
  nameEn: { type: 'string' },
  capitalFa: { type: 'string' },
  capitalEn: { type: 'string' },
});

const DIVISION_CODE = { type: 'string', pattern: '^[0-9]{4,8}$', description: 'County (4 digits), district (6), rural district or city (8)' };
const DIVISION_FIELDS = {
  level: { type: 'string', enum: ['county', 'district', 'rural_district', 'city'] },
  code: DIVISION_CODE,
  parentCode: { type: 'string', pattern: '^[0-9]{2,6}$' },
  nameFa: { type: 'string' },
  nameEn: { type: 'string' },
};
const DIVISION = record(['level', 'code', 'parentCode', 'nameFa'], DIVISION_FIELDS);
const DIVISION_WITH_CHILDREN = record(['level', 'code', 'parentCode', 'nameFa', 'children'], {
  ...DIVISION_FIELDS,
  children: { type: 'array', items: DIVISION },
});

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Country divisions: provinces (SIMULATED agency, real public data)',
    version: '1.0.0',
    description: 'The 31 provinces of Iran with their codes, ISO 3166-2:IR codes, names and capitals.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/provinces': {
      get: {
        operationId: 'listProvinces',
        summary: 'All provinces, in code order',
        responses: {
          '200': jsonResponse('The provinces', record(['provinces'], { provinces: { type: 'array', items: PROVINCE, minItems: 31, maxItems: 31 } })),
          '400': jsonResponse('Refused by the server', errorSchema([...SERVER_400_CODES])),
        },
      },
    },
    '/provinces/{code}': {
      get: {
        operationId: 'getProvince',
        summary: 'One province by its code',
        parameters: [{ name: 'code', in: 'path', required: true, schema: PROVINCE_CODE }],
        responses: {
          '200': jsonResponse('The province', PROVINCE),
          '400': jsonResponse('The code is not two digits', errorSchema(['invalid_province_code', ...SERVER_400_CODES])),
          '404': jsonResponse('No province has this code', errorSchema(['unknown_province'])),
        },
      },
    },
    '/provinces/{code}/counties': {
      get: {
        operationId: 'listCounties',
        summary: 'The counties of a province, from the imported divisions',
        parameters: [{ name: 'code', in: 'path', required: true, schema: PROVINCE_CODE }],
        responses: {
          '200': jsonResponse('The counties', record(['counties'], { counties: { type: 'array', items: DIVISION } })),
          '400': jsonResponse('The code is not two digits', errorSchema(['invalid_province_code', ...SERVER_400_CODES])),
          '404': jsonResponse('No province has this code', errorSchema(['unknown_province'])),
        },
      },
    },
    '/divisions/{code}': {
      get: {
        operationId: 'getDivision',
        summary: 'A county, district, rural district or city by its code, with the divisions under it',
        parameters: [{ name: 'code', in: 'path', required: true, schema: DIVISION_CODE }],
        responses: {
          '200': jsonResponse('The division', DIVISION_WITH_CHILDREN),
          '400': jsonResponse('Not a division code', errorSchema(['invalid_division_code', ...SERVER_400_CODES])),
          '404': jsonResponse('No division has this code', errorSchema(['unknown_division'])),
        },
      },
    },
  },
};

const SAMPLE_DIVISIONS = new URL('../../divisions/sample-divisions.csv', import.meta.url);

const disclosed = ({ code, iso, nameFa, nameEn, capitalFa, capitalEn }: Province) => ({ code, iso, nameFa, nameEn, capitalFa, capitalEn });

const division = ({ level, code, parentCode, nameFa, nameEn }: Division) => ({ level, code, parentCode, nameFa, ...(nameEn ? { nameEn } : {}) });

function handler(index: DivisionIndex) {
  return (req: AgencyRequest): AgencyResponse => {
    if (req.path === '/provinces') return ok({ provinces: PROVINCES.map(disclosed) });
    const code = toLatinDigits(req.params.code ?? '');
    if (req.path.startsWith('/divisions/')) {
      if (!/^[0-9]{4}([0-9]{2}){0,2}$/.test(code)) throw new InputError('invalid_division_code', `${JSON.stringify(req.params.code)} is not a 4-, 6- or 8-digit division code`);
      const found = index.byCode.get(code);
      if (!found) return problem(404, 'unknown_division', `No division has the code ${code} in the imported register`);
      return ok({ ...division(found), children: index.children(code).map(division) });
    }
    if (!/^[0-9]{2}$/.test(code)) throw new InputError('invalid_province_code', `${JSON.stringify(req.params.code)} is not a two-digit province code`);
    const province = provinceByCode(code);
    if (!province) return problem(404, 'unknown_province', `No province has the code ${code}; codes run from 00 to 30`);
    if (req.path.endsWith('/counties')) return ok({ counties: index.children(code).map(division) });
    return ok(disclosed(province));
  };
}

/** @param divisionsCsv the statistical centre's file of deeper divisions; the bundled sample if absent. */
export function sciAgency(divisionsCsv?: string): Agency {
  // Read once when the agency is built, never per request; a bad file fails here with its line.
  const index = buildDivisionIndex(importDivisionsCsv(divisionsCsv ?? readFileSync(SAMPLE_DIVISIONS, 'utf8')));
  return {
    memberClass: 'GOV',
    memberCode: 'SCI',
    nameEn: 'Statistical Centre of Iran (simulated)',
    nameFa: 'مرکز آمار ایران (شبیه‌سازی)',
    subsystemCode: 'divisions',
    services: [{
      serviceCode: 'provinces',
      titleEn: 'Country divisions: provinces',
      titleFa: 'تقسیمات کشوری: استان‌ها',
      contract,
      handle: guard(handler(index)),
      sample: (rng) => ({ method: 'GET', path: rng() < 0.2 ? '/provinces' : `/provinces/${pick(rng, PROVINCES).code}` }),
    }],
  };
}
