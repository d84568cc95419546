// SIMULATED AGENCY service for demonstration — not the real civil registry's marriage records. It
// answers from synthetic data (synthetic-family.ts): the spouse named here is a citizen whom the
// person inquiry answers for with the same name, and the spouse's own record names this person.
//
// A marital record is answered by national code alone: unlike the person inquiry it is asked by
// courts and benefit offices that already hold the person's identity, and the access right, not a
// knowledge check, is what limits who may ask.
import {
  SERVER_400_CODES,
  SIMULATED_INFO,
  errorSchema,
  jsonResponse,
  ok,
  type AgencyRequest,
  type AgencyResponse,
  type AgencyService,
  type OpenApiDocument,
} from './agency.ts';
import { guard, nationalCodeFrom } from './inputs.ts';
import { randomNationalCode } from './random.ts';
import { JALALI_DATE, NATIONAL_CODE, record } from './schemas.ts';
import { maritalRecordOf, type MaritalStatus } from './synthetic-family.ts';
import { citizenByNationalCode } from './synthetic.ts';

const STATUS_FA: Record<MaritalStatus, string> = { single: 'مجرد', married: 'متأهل', divorced: 'مطلقه/مطلق', widowed: 'همسر فوت‌شده' };

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'NOCR marital status inquiry (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. Marriage and divorce status of a person, with the spouse of record.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/persons/{nationalCode}/marital-status': {
      get: {
        operationId: 'getMaritalStatus',
        summary: 'Marriage and divorce status, and the spouse of record',
        parameters: [{ name: 'nationalCode', in: 'path', required: true, schema: NATIONAL_CODE, 'x-tabadol-subject': true }],
        responses: {
          '200': jsonResponse('The marital record; spouse and dates are absent for a person never married', record(
            ['nationalCode', 'status', 'statusFa'],
            {
              nationalCode: NATIONAL_CODE,
              status: { type: 'string', enum: Object.keys(STATUS_FA) },
              statusFa: { type: 'string' },
              spouse: record(['nationalCode', 'firstName', 'lastName', 'alive'], {
                nationalCode: NATIONAL_CODE,
                firstName: { type: 'string' },
                lastName: { type: 'string' },
                alive: { type: 'boolean' },
              }),
              marriedOn: JALALI_DATE,
              divorcedOn: JALALI_DATE,
            },
          )),
          '400': jsonResponse('The national code is not valid', errorSchema(['invalid_national_code', ...SERVER_400_CODES])),
        },
      },
    },
  },
};

function handleMarital(req: AgencyRequest, seed: string | number): AgencyResponse {
  const nationalCode = nationalCodeFrom(req.params.nationalCode);
  // Canonical form first: the family model is keyed by the code as the registry writes it.
  const { status, spouse, marriedOn, divorcedOn } = maritalRecordOf(citizenByNationalCode(nationalCode, seed).nationalCode, seed);
  return ok({
    nationalCode,
    status,
    statusFa: STATUS_FA[status],
    ...(spouse ? { spouse: { nationalCode: spouse.nationalCode, firstName: spouse.firstName, lastName: spouse.lastName, alive: spouse.alive } } : {}),
    ...(marriedOn ? { marriedOn } : {}),
    ...(divorcedOn ? { divorcedOn } : {}),
  });
}

export function maritalService(seed: string | number): AgencyService {
  return {
    serviceCode: 'marital',
    titleEn: 'Marriage and divorce status inquiry',
    titleFa: 'استعلام وضعیت تأهل و طلاق',
    contract,
    handle: guard((req) => handleMarital(req, seed)),
    sample: (rng) => ({ method: 'GET', path: `/persons/${randomNationalCode(rng)}/marital-status` }),
  };
}
