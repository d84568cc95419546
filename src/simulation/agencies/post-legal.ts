// SIMULATED AGENCY service for demonstration — not the real post's register of legal persons. The
// registered seat of a legal entity (company, cooperative, institute) by its national ID: its name
// and the post's address for the seat's postal code, so a court can serve a notice on a legal
// person as on a natural one. Synthetic data (synthetic-legal-entities.ts).
//
// The legal ID is not marked x-tabadol-subject: the subject log is for citizens.
import { ADDRESS_PROPERTIES, ADDRESS_REQUIRED, disclosedAddress } from './address-fields.ts';
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
import { guard, legalIdFrom } from './inputs.ts';
import { LEGAL_ID, record } from './schemas.ts';
import { legalEntityById, randomLegalId } from './synthetic-legal-entities.ts';
import { addressByPostalCode } from './synthetic.ts';

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Post address inquiry for legal persons (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. The registered seat of a legal entity by its national ID.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/legal-entities/{legalId}/address': {
      get: {
        operationId: 'getLegalAddress',
        summary: 'The name and registered address of a legal entity',
        parameters: [{ name: 'legalId', in: 'path', required: true, schema: LEGAL_ID }],
        responses: {
          '200': jsonResponse('The entity and its address', record(['legalId', 'nameFa', 'address'], {
            legalId: LEGAL_ID,
            nameFa: { type: 'string' },
            nameEn: { type: 'string' },
            address: record(ADDRESS_REQUIRED, ADDRESS_PROPERTIES),
          })),
          '400': jsonResponse('The legal ID is not valid', errorSchema(['invalid_legal_id', ...SERVER_400_CODES])),
        },
      },
    },
  },
};

function handleLegalAddress(req: AgencyRequest, seed: string | number): AgencyResponse {
  const entity = legalEntityById(legalIdFrom(req.params.legalId), seed);
  return ok({
    legalId: entity.legalId,
    nameFa: entity.nameFa,
    nameEn: entity.nameEn,
    address: disclosedAddress(addressByPostalCode(entity.postalCode, seed)),
  });
}

export function legalAddressService(seed: string | number): AgencyService {
  return {
    serviceCode: 'legal-address',
    titleEn: 'Address inquiry for legal persons',
    titleFa: 'استعلام نشانی اشخاص حقوقی',
    contract,
    handle: guard((req) => handleLegalAddress(req, seed)),
    sample: (rng) => ({ method: 'GET', path: `/legal-entities/${randomLegalId(rng)}/address` }),
  };
}
