// SIMULATED AGENCY for demonstration — not the real Iran National Post Company (شرکت ملی پست).
// It answers from synthetic data (synthetic.ts): every structurally valid postal code has an
// address, and a synthetic citizen's postal code gives the same address NOCR's citizen model holds.
//
// The postal code is not marked x-tabadol-subject: the subject is a citizen's national code, and
// an address lookup names a place, not a person.
import { normalizeDigits } from '../dates/jalali.ts';
import { isPostalCode } from '../identifiers/iran.ts';
import {
  SERVER_400_CODES,
  SIMULATED_INFO,
  badRequest,
  errorSchema,
  jsonResponse,
  ok,
  type Agency,
  type AgencyRequest,
  type AgencyResponse,
  type OpenApiDocument,
} from './agency.ts';
import { DEFAULT_SEED, addressByPostalCode } from './synthetic.ts';

const POSTAL_CODE = {
  type: 'string',
  pattern: '^[13-9]{5}[0-9]{5}$',
  description: 'کد پستی, 10 digits; the first five contain neither 0 nor 2',
};

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Post address inquiry (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. The address registered for a postal code.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/addresses/{postalCode}': {
      get: {
        operationId: 'getAddress',
        summary: 'The address at a postal code',
        parameters: [{ name: 'postalCode', in: 'path', required: true, schema: POSTAL_CODE }],
        responses: {
          '200': jsonResponse('The address', {
            type: 'object',
            additionalProperties: false,
            required: ['postalCode', 'province', 'city', 'street', 'plaque', 'fullAddressFa'],
            properties: {
              postalCode: POSTAL_CODE,
              province: { type: 'string' },
              city: { type: 'string' },
              street: { type: 'string' },
              alley: { type: 'string' },
              plaque: { type: 'integer', minimum: 1 },
              floor: { type: 'integer', minimum: 0, description: '0 is the ground floor (همکف)' },
              unit: { type: 'integer', minimum: 1 },
              fullAddressFa: { type: 'string', description: 'The address as written on an envelope, Persian digits' },
            },
          }),
          '400': jsonResponse('The postal code is not valid', errorSchema(['invalid_postal_code', ...SERVER_400_CODES])),
        },
      },
    },
  },
};

function handleAddress(req: AgencyRequest, seed: string | number): AgencyResponse {
  const postalCode = normalizeDigits(req.params.postalCode ?? '');
  if (!isPostalCode(postalCode)) {
    return badRequest('invalid_postal_code', `${JSON.stringify(postalCode)} is not a postal code: 10 digits, no 0 or 2 in the first five`);
  }
  const { postalCode: code, province, city, street, alley, plaque, floor, unit, fullAddressFa } = addressByPostalCode(postalCode, seed);
  // Listed field by field so that a field added to the citizen model never leaks out unannounced.
  return ok({ postalCode: code, province, city, street, alley, plaque, floor, unit, fullAddressFa });
}

export function postAgency(seed: string | number = DEFAULT_SEED): Agency {
  return {
    memberClass: 'GOV',
    memberCode: 'POST',
    nameEn: 'Iran National Post Company (simulated)',
    nameFa: 'شرکت ملی پست (شبیه‌سازی)',
    subsystemCode: 'address',
    services: [{
      serviceCode: 'address',
      titleEn: 'Address inquiry by postal code',
      titleFa: 'استعلام نشانی با کد پستی',
      contract,
      handle: (req) => handleAddress(req, seed),
    }],
  };
}
