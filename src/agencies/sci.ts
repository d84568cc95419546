// SIMULATED AGENCY for demonstration — the Statistical Centre of Iran (مرکز آمار ایران) serving
// the country-divisions register: the 31 provinces with their two-digit codes (00–30, also ISO
// 3166-2:IR since 2020), Persian and English names and capitals, from src/divisions. The data is
// real and public; the agency is simulated. It is open to every member (an access right for the
// group of all subsystems), because every register writes provinces with these codes.
import { provinceByCode, PROVINCES, type Province } from '../divisions/provinces.ts';
import { toLatinDigits } from '../identifiers/iran.ts';
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
  },
};

const disclosed = ({ code, iso, nameFa, nameEn, capitalFa, capitalEn }: Province) => ({ code, iso, nameFa, nameEn, capitalFa, capitalEn });

function handle(req: AgencyRequest): AgencyResponse {
  if (req.path === '/provinces') return ok({ provinces: PROVINCES.map(disclosed) });
  const code = toLatinDigits(req.params.code ?? '');
  if (!/^[0-9]{2}$/.test(code)) throw new InputError('invalid_province_code', `${JSON.stringify(req.params.code)} is not a two-digit province code`);
  const province = provinceByCode(code);
  return province ? ok(disclosed(province)) : problem(404, 'unknown_province', `No province has the code ${code}; codes run from 00 to 30`);
}

export function sciAgency(): Agency {
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
      handle: guard(handle),
      sample: (rng) => ({ method: 'GET', path: rng() < 0.2 ? '/provinces' : `/provinces/${pick(rng, PROVINCES).code}` }),
    }],
  };
}
