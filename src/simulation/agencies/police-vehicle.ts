// SIMULATED AGENCY service for demonstration — not the real traffic police's vehicle register
// (پلیس راهور فراجا). A vehicle by plate: model, year, owner, and whether it was scrapped, from
// synthetic vehicles (synthetic-vehicles.ts) that the central insurer's policies share. The owner
// is a citizen, named as NOCR names them.
//
// The plate travels in a POST body: it is typed with a Persian letter and spaces, which a body
// carries as typed, and it stays out of access logs along the way (like Shahkar's inputs).
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
  type OpenApiOperation,
} from './agency.ts';
import { guard, objectBody, plateFrom } from './inputs.ts';
import { JALALI_DATE, NATIONAL_CODE, PLATE, PLATE_INPUT, record } from './schemas.ts';
import { randomPlate, vehicleByPlate } from './synthetic-vehicles.ts';
import { personOf } from './synthetic.ts';

type Seed = string | number;

const PLATE_BODY = {
  required: true,
  content: { 'application/json': { schema: record(['plate'], { plate: PLATE_INPUT }) } },
} as const;

const ERRORS = jsonResponse('The body or plate is not valid', errorSchema(['invalid_body', 'invalid_plate', ...SERVER_400_CODES]));

const inquiry: OpenApiOperation = {
  operationId: 'getVehicle',
  summary: 'The vehicle registered under a plate, and its owner',
  requestBody: PLATE_BODY,
  responses: {
    '200': jsonResponse('The vehicle', record(
      ['plate', 'modelEn', 'modelFa', 'year', 'colourEn', 'colourFa', 'vin', 'owner', 'scrapped'],
      {
        plate: PLATE,
        modelEn: { type: 'string' },
        modelFa: { type: 'string' },
        year: { type: 'integer', description: 'Jalali year of manufacture' },
        colourEn: { type: 'string' },
        colourFa: { type: 'string' },
        vin: { type: 'string', pattern: '^[A-Z0-9]{17}$' },
        owner: record(['nationalCode', 'firstName', 'lastName'], { nationalCode: NATIONAL_CODE, firstName: { type: 'string' }, lastName: { type: 'string' } }),
        scrapped: { type: 'boolean' },
      },
    )),
    '400': ERRORS,
  },
};

const scrapping: OpenApiOperation = {
  operationId: 'getScrapping',
  summary: 'Whether the vehicle under a plate was scrapped (اسقاط), with the certificate',
  requestBody: PLATE_BODY,
  responses: {
    '200': jsonResponse('The scrapping status', record(['plate', 'scrapped'], {
      plate: PLATE,
      scrapped: { type: 'boolean' },
      scrappedOn: JALALI_DATE,
      certificateNumber: { type: 'string', pattern: '^[0-9]{10}$' },
    })),
    '400': ERRORS,
  },
};

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Traffic police vehicle inquiry (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. Plate information, owner and scrapping status of a vehicle.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/vehicles/inquiry': { post: inquiry },
    '/vehicles/scrapping': { post: scrapping },
  },
};

function handle(req: AgencyRequest, seed: Seed): AgencyResponse {
  const v = vehicleByPlate(plateFrom(objectBody(req.body, ['plate']).plate), seed);
  if (req.path === '/vehicles/scrapping') {
    return ok({ plate: v.plate, scrapped: v.scrapped, ...(v.scrapped ? { scrappedOn: v.scrappedOn, certificateNumber: v.scrapCertificate } : {}) });
  }
  const owner = personOf(v.ownerNationalCode, seed);
  return ok({
    plate: v.plate, modelEn: v.modelEn, modelFa: v.modelFa, year: v.year, colourEn: v.colourEn, colourFa: v.colourFa, vin: v.vin,
    owner: { nationalCode: owner.nationalCode, firstName: owner.firstName, lastName: owner.lastName },
    scrapped: v.scrapped,
  });
}

export function vehicleService(seed: Seed): AgencyService {
  return {
    serviceCode: 'vehicle',
    titleEn: 'Vehicle plate and scrapping inquiry',
    titleFa: 'استعلام مشخصات پلاک و وضعیت اسقاط خودرو',
    contract,
    handle: guard((req) => handle(req, seed)),
    sample: (rng) => ({ method: 'POST', path: rng() < 0.75 ? '/vehicles/inquiry' : '/vehicles/scrapping', body: { plate: randomPlate(rng) } }),
  };
}
