// SIMULATED AGENCY for demonstration — not the real Iran National Post Company (شرکت ملی پست).
// It answers from synthetic data (synthetic.ts): every structurally valid postal code has an
// address, and a synthetic citizen's postal code gives the same address NOCR's citizen model holds.
//
// The postal code is not marked x-tabadol-subject: the subject is a citizen's national code, and
// an address lookup names a place, not a person.
//
// A second service, legal-address, answers the registered seat of a legal person (post-legal.ts).
import { ADDRESS_PROPERTIES, ADDRESS_REQUIRED, disclosedAddress } from './address-fields.ts';
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
import { guard, postalCodeFrom } from './inputs.ts';
import { legalAddressService } from './post-legal.ts';
import { randomNationalCode } from './random.ts';
import { POSTAL_CODE } from './schemas.ts';
import { DEFAULT_SEED, addressByPostalCode, citizenByNationalCode } from './synthetic.ts';

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
            required: [...ADDRESS_REQUIRED],
            properties: ADDRESS_PROPERTIES,
          }),
          '400': jsonResponse('The postal code is not valid', errorSchema(['invalid_postal_code', ...SERVER_400_CODES])),
        },
      },
    },
  },
};

function handleAddress(req: AgencyRequest, seed: string | number): AgencyResponse {
  return ok(disclosedAddress(addressByPostalCode(postalCodeFrom(req.params.postalCode), seed)));
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
      handle: guard((req) => handleAddress(req, seed)),
      // Callers ask for the address a citizen gave them.
      sample: (rng) => ({ method: 'GET', path: `/addresses/${citizenByNationalCode(randomNationalCode(rng), seed).postalCode}` }),
    }, legalAddressService(seed)],
  };
}
