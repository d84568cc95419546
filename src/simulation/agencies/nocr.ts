// SIMULATED AGENCY for demonstration — not the real National Organization for Civil Registration
// (سازمان ثبت احوال کشور). It answers from synthetic data (synthetic.ts) and validates its input
// the way a real registry would.
//
// Inquiry: national code + birth date. The birth date is a knowledge check: a caller who has only a
// national code (which is printed on many documents) must not be able to read the person's record.
// So a wrong birth date is answered 200 `{ nationalCode, matches: false }` and NOTHING else — not the
// name, not whether the person is alive. It is not a 404: that would tell the caller the code is
// unassigned, and a registry does not confirm or deny records to a caller who failed the check.
//
// A second service, marital, answers marriage and divorce status (synthetic-family.ts).
import {
  SERVER_400_CODES,
  SIMULATED_INFO,
  errorSchema,
  jsonResponse,
  ok,
  type Agency,
  type AgencyRequest,
  type AgencyResponse,
  type AgencyService,
  type OpenApiDocument,
} from './agency.ts';
import { guard, jalaliDateFrom, nationalCodeFrom } from './inputs.ts';
import { maritalService } from './nocr-marital.ts';
import { randomNationalCode } from './random.ts';
import { JALALI_DATE, NATIONAL_CODE } from './schemas.ts';
import { DEFAULT_SEED, citizenByNationalCode } from './synthetic.ts';

const PERSON_FIELDS = ['nationalCode', 'firstName', 'lastName', 'fatherName', 'birthDate', 'alive', 'matches'] as const;

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'NOCR person inquiry (SIMULATED)',
    version: '1.0.0',
    description:
      'SIMULATED agency with synthetic data. Identity inquiry by national code and birth date. ' +
      'When the birth date does not match, only { nationalCode, matches: false } is returned.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/persons/{nationalCode}': {
      get: {
        operationId: 'getPerson',
        summary: 'Identity of a person, when the birth date matches the registry',
        parameters: [
          { name: 'nationalCode', in: 'path', required: true, schema: NATIONAL_CODE, 'x-tabadol-subject': true },
          { name: 'birthDate', in: 'query', required: true, schema: JALALI_DATE },
        ],
        responses: {
          '200': jsonResponse('The inquiry result; personal fields are present only when matches is true', {
            type: 'object',
            additionalProperties: false,
            required: ['nationalCode', 'matches'],
            properties: {
              nationalCode: NATIONAL_CODE,
              firstName: { type: 'string' },
              lastName: { type: 'string' },
              fatherName: { type: 'string' },
              birthDate: JALALI_DATE,
              alive: { type: 'boolean' },
              matches: { type: 'boolean' },
            },
            // Any personal field brings all of them: a record is never half-disclosed.
            dependentRequired: Object.fromEntries(
              PERSON_FIELDS.filter((f) => f !== 'nationalCode' && f !== 'matches').map((f) => [f, [...PERSON_FIELDS]]),
            ),
          }),
          '400': jsonResponse('The national code or birth date is not valid', errorSchema([
            'invalid_national_code', 'invalid_birth_date', ...SERVER_400_CODES,
          ])),
        },
      },
    },
  },
};

function handlePerson(req: AgencyRequest, seed: string | number): AgencyResponse {
  const nationalCode = nationalCodeFrom(req.params.nationalCode);
  const birthDate = jalaliDateFrom(req.query.get('birthDate') ?? undefined, 'invalid_birth_date', 'birthDate');

  const person = citizenByNationalCode(nationalCode, seed);
  if (person.birthDate !== birthDate) return ok({ nationalCode, matches: false });
  return ok({
    nationalCode,
    firstName: person.firstName,
    lastName: person.lastName,
    fatherName: person.fatherName,
    birthDate: person.birthDate,
    alive: person.alive,
    matches: true,
  });
}

export function nocrAgency(seed: string | number = DEFAULT_SEED): Agency {
  const person: AgencyService = {
    serviceCode: 'person',
    titleEn: 'Person identity inquiry',
    titleFa: 'استعلام هویت اشخاص',
    contract,
    handle: guard((req) => handlePerson(req, seed)),
    // Most callers know the birth date; one in twenty gets it wrong and learns nothing.
    sample: (rng) => {
      const code = randomNationalCode(rng);
      const right = citizenByNationalCode(code, seed).birthDate;
      const birthDate = rng() < 0.95 ? right : right.replace(/\/(\d\d)$/, (_, d: string) => `/${d === '01' ? '02' : '01'}`);
      return { method: 'GET', path: `/persons/${code}?birthDate=${encodeURIComponent(birthDate)}` };
    },
  };
  return {
    memberClass: 'GOV',
    memberCode: 'NOCR',
    nameEn: 'National Organization for Civil Registration (simulated)',
    nameFa: 'سازمان ثبت احوال کشور (شبیه‌سازی)',
    subsystemCode: 'identity',
    services: [person, maritalService(seed)],
  };
}
