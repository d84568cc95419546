// SIMULATED AGENCY service for demonstration — not the real traffic police's licence register.
// Whether a person holds a driving licence, of which classes, and whether it is valid today, from
// synthetic data derived from the national code; the holder's name is the one NOCR gives.
import { formatJalali, instantToJalali } from '../../dates/jalali.ts';
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
import { digits, int, pick, randomNationalCode, rngFor } from './random.ts';
import { JALALI_DATE, NATIONAL_CODE, record } from './schemas.ts';
import { personOf } from './synthetic.ts';

type Seed = string | number;

const STATUS_FA = { valid: 'معتبر', expired: 'منقضی', suspended: 'تعلیق', none: 'فاقد گواهینامه' } as const;
type LicenceStatus = keyof typeof STATUS_FA;
// Class names as the licence prints them: پایه یکم (heavy), دوم (light trucks, buses), سوم (cars), motorcycle.
const CLASSES = ['پایه یکم', 'پایه دوم', 'پایه سوم', 'موتورسیکلت'] as const;

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Traffic police driving licence inquiry (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. Driving licence of a person and whether it is valid today.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/licences/{nationalCode}': {
      get: {
        operationId: 'getDrivingLicence',
        summary: 'The driving licence of a person',
        parameters: [{ name: 'nationalCode', in: 'path', required: true, schema: NATIONAL_CODE, 'x-tabadol-subject': true }],
        responses: {
          '200': jsonResponse('The licence; details are absent when status is none', record(
            ['nationalCode', 'firstName', 'lastName', 'status', 'statusFa'],
            {
              nationalCode: NATIONAL_CODE,
              firstName: { type: 'string' },
              lastName: { type: 'string' },
              status: { type: 'string', enum: Object.keys(STATUS_FA) },
              statusFa: { type: 'string' },
              licenceNumber: { type: 'string', pattern: '^[0-9]{10}$' },
              classes: { type: 'array', items: { type: 'string', enum: [...CLASSES] }, minItems: 1 },
              issuedOn: JALALI_DATE,
              validUntil: JALALI_DATE,
            },
          )),
          '400': jsonResponse('The national code is not valid', errorSchema(['invalid_national_code', ...SERVER_400_CODES])),
        },
      },
    },
  },
};

function handle(req: AgencyRequest, seed: Seed): AgencyResponse {
  const p = personOf(nationalCodeFrom(req.params.nationalCode), seed);
  const rng = rngFor(seed, 'licence', p.nationalCode);
  const base = { nationalCode: p.nationalCode, firstName: p.firstName, lastName: p.lastName };
  if (!p.alive || rng() >= (p.gender === 'male' ? 0.8 : 0.55)) return ok({ ...base, status: 'none', statusFa: STATUS_FA.none });
  // First licence at 18–30; most holders renew every ten years, so the licence on file is the last
  // one issued (never after today), and it lapsed when its holder stopped renewing.
  const birth = Number(p.birthDate.slice(0, 4));
  const first = { year: Math.min(birth + int(rng, 18, 30), 1402), month: int(rng, 1, 12), day: int(rng, 1, 29) };
  const today = formatJalali(instantToJalali(new Date()));
  const renews = rng() < 0.85;
  let issuedOn = first;
  while (renews && formatJalali({ ...issuedOn, year: issuedOn.year + 10 }) <= today) issuedOn = { ...issuedOn, year: issuedOn.year + 10 };
  const validUntil = formatJalali({ ...issuedOn, year: issuedOn.year + 10 });
  const status: LicenceStatus = rng() < 0.03 ? 'suspended' : validUntil < today ? 'expired' : 'valid';
  const classes = [pick(rng, ['پایه سوم', 'پایه سوم', 'پایه دوم', 'پایه یکم'] as const), ...(rng() < 0.3 ? ['موتورسیکلت' as const] : [])];
  return ok({
    ...base,
    status,
    statusFa: STATUS_FA[status],
    licenceNumber: digits(rng, 10),
    classes,
    issuedOn: formatJalali(issuedOn),
    validUntil,
  });
}

export function licenceService(seed: Seed): AgencyService {
  return {
    serviceCode: 'driving-licence',
    titleEn: 'Driving licence inquiry',
    titleFa: 'استعلام گواهینامه رانندگی',
    contract,
    handle: guard((req) => handle(req, seed)),
    sample: (rng) => ({ method: 'GET', path: `/licences/${randomNationalCode(rng)}` }),
  };
}
