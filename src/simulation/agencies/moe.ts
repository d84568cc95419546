// SIMULATED AGENCY for demonstration — not the real Ministry of Education (وزارت آموزش و پرورش).
// Whether a person holds a high-school diploma, with its field and grade, from synthetic data
// derived from the national code; the holder's name is the one NOCR gives.
import {
  SERVER_400_CODES,
  SIMULATED_INFO,
  errorSchema,
  jsonResponse,
  ok,
  type Agency,
  type AgencyRequest,
  type AgencyResponse,
  type OpenApiDocument,
} from './agency.ts';
import { guard, nationalCodeFrom } from './inputs.ts';
import { int, pick, randomNationalCode, rngFor } from './random.ts';
import { NATIONAL_CODE, record } from './schemas.ts';
import { DEFAULT_SEED, citizenByNationalCode } from './synthetic.ts';

type Seed = string | number;

const FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['Mathematics and Physics', 'ریاضی و فیزیک'], ['Natural Sciences', 'علوم تجربی'], ['Humanities', 'ادبیات و علوم انسانی'],
  ['Islamic Studies', 'علوم و معارف اسلامی'], ['Technical and Vocational', 'فنی و حرفه‌ای'], ['Work and Knowledge', 'کار و دانش'],
];

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'MOE high-school diploma inquiry (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. Whether a person holds a high-school diploma.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/persons/{nationalCode}/diploma': {
      get: {
        operationId: 'getDiploma',
        summary: 'The high-school diploma of a person, if any',
        parameters: [{ name: 'nationalCode', in: 'path', required: true, schema: NATIONAL_CODE, 'x-tabadol-subject': true }],
        responses: {
          '200': jsonResponse('The diploma; details are present only when hasDiploma is true', record(
            ['nationalCode', 'firstName', 'lastName', 'hasDiploma'],
            {
              nationalCode: NATIONAL_CODE,
              firstName: { type: 'string' },
              lastName: { type: 'string' },
              hasDiploma: { type: 'boolean' },
              fieldEn: { type: 'string' },
              fieldFa: { type: 'string' },
              graduationYear: { type: 'integer', minimum: 1300, maximum: 1500, description: 'Jalali year' },
              gpa: { type: 'number', minimum: 10, maximum: 20, description: 'Grade point average out of 20' },
            },
          )),
          '400': jsonResponse('The national code is not valid', errorSchema(['invalid_national_code', ...SERVER_400_CODES])),
        },
      },
    },
  },
};

function handleDiploma(req: AgencyRequest, seed: Seed): AgencyResponse {
  const c = citizenByNationalCode(nationalCodeFrom(req.params.nationalCode), seed);
  const rng = rngFor(seed, 'diploma', c.nationalCode);
  const base = { nationalCode: c.nationalCode, firstName: c.firstName, lastName: c.lastName };
  // Older generations finished school less often.
  if (rng() >= (Number(c.birthDate.slice(0, 4)) < 1345 ? 0.45 : 0.85)) return ok({ ...base, hasDiploma: false });
  const [fieldEn, fieldFa] = pick(rng, FIELDS);
  return ok({
    ...base,
    hasDiploma: true,
    fieldEn,
    fieldFa,
    graduationYear: Number(c.birthDate.slice(0, 4)) + 18,
    gpa: int(rng, 1200, 2000) / 100,
  });
}

export function moeAgency(seed: Seed = DEFAULT_SEED): Agency {
  return {
    memberClass: 'GOV',
    memberCode: 'MOE',
    nameEn: 'Ministry of Education (simulated)',
    nameFa: 'وزارت آموزش و پرورش (شبیه‌سازی)',
    subsystemCode: 'diplomas',
    services: [{
      serviceCode: 'diploma',
      titleEn: 'High-school diploma inquiry',
      titleFa: 'استعلام مدرک دیپلم',
      contract,
      handle: guard((req) => handleDiploma(req, seed)),
      sample: (rng) => ({ method: 'GET', path: `/persons/${randomNationalCode(rng)}/diploma` }),
    }],
  };
}
