// SIMULATED AGENCY for demonstration — not the real Central Insurance of Iran (بیمه مرکزی
// جمهوری اسلامی ایران). The third-party (motor liability) policy in force for a plate, from the
// synthetic vehicles the traffic police also answer for (synthetic-vehicles.ts): the same plate has
// the same car and owner here as there, and a scrapped car has no policy.
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
import { guard, objectBody, plateFrom } from './inputs.ts';
import { JALALI_DATE, NATIONAL_CODE, PLATE, PLATE_INPUT, record } from './schemas.ts';
import { randomPlate, thirdPartyPolicyOf, vehicleByPlate } from './synthetic-vehicles.ts';
import { DEFAULT_SEED } from './synthetic.ts';

type Seed = string | number;

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Central Insurance third-party policy inquiry (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. The compulsory third-party policy in force for a vehicle.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/third-party/inquiry': {
      post: {
        operationId: 'getThirdPartyPolicy',
        summary: 'The third-party policy of the vehicle under a plate',
        requestBody: { required: true, content: { 'application/json': { schema: record(['plate'], { plate: PLATE_INPUT }) } } },
        responses: {
          '200': jsonResponse('The policy; insurer, number and dates only when insured', record(
            ['plate', 'ownerNationalCode', 'insured'],
            {
              plate: PLATE,
              ownerNationalCode: NATIONAL_CODE,
              insured: { type: 'boolean' },
              insurerEn: { type: 'string' },
              insurerFa: { type: 'string' },
              policyNumber: { type: 'string', pattern: '^[0-9]{12}$' },
              validFrom: JALALI_DATE,
              validUntil: JALALI_DATE,
            },
          )),
          '400': jsonResponse('The body or plate is not valid', errorSchema(['invalid_body', 'invalid_plate', ...SERVER_400_CODES])),
        },
      },
    },
  },
};

function handle(req: AgencyRequest, seed: Seed): AgencyResponse {
  const plate = plateFrom(objectBody(req.body, ['plate']).plate);
  return ok({ plate, ownerNationalCode: vehicleByPlate(plate, seed).ownerNationalCode, ...thirdPartyPolicyOf(plate, seed) });
}

export function ciiAgency(seed: Seed = DEFAULT_SEED): Agency {
  return {
    memberClass: 'GOV',
    memberCode: 'CII',
    nameEn: 'Central Insurance of Iran (simulated)',
    nameFa: 'بیمه مرکزی جمهوری اسلامی ایران (شبیه‌سازی)',
    subsystemCode: 'third-party',
    services: [{
      serviceCode: 'policy',
      titleEn: 'Third-party insurance inquiry',
      titleFa: 'استعلام بیمه‌نامه شخص ثالث',
      contract,
      handle: guard((req) => handle(req, seed)),
      sample: (rng) => ({ method: 'POST', path: '/third-party/inquiry', body: { plate: randomPlate(rng) } }),
    }],
  };
}
