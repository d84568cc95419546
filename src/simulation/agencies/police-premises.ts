// SIMULATED AGENCY service for demonstration — not the real police office of public places
// (اداره نظارت بر اماکن عمومی). Whether the police approved a person's premises for a trade that
// needs its approval before a trade licence is issued (restaurants, hotels, internet cafés, …),
// from synthetic data derived from the national code and trade. The premises' postal code is one
// the post answers for, at which no citizen lives.
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
import { guard, nationalCodeFrom, oneOf } from './inputs.ts';
import { digits, int, pick, randomJalaliDate, randomNationalCode, rngFor } from './random.ts';
import { JALALI_DATE, NATIONAL_CODE, POSTAL_CODE, record } from './schemas.ts';
import { personOf, unresidentialPostalCode } from './synthetic.ts';

type Seed = string | number;

export const TRADES = ['restaurant', 'hotel', 'internet-cafe', 'jewellery', 'car-dealer', 'printing', 'gym', 'travel-agency'] as const;
const STATUS_FA = { approved: 'تأیید شده', pending: 'در حال بررسی', refused: 'رد شده', none: 'بدون درخواست' } as const;

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Police premises approval inquiry (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. Whether the police approved premises for a trade.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/approvals/{nationalCode}': {
      get: {
        operationId: 'getPremisesApproval',
        summary: 'The police approval of an applicant\'s premises for a trade',
        parameters: [
          { name: 'nationalCode', in: 'path', required: true, schema: NATIONAL_CODE, 'x-tabadol-subject': true },
          { name: 'trade', in: 'query', required: true, schema: { type: 'string', enum: [...TRADES] } },
        ],
        responses: {
          '200': jsonResponse('The approval; number, date and premises are present unless status is none', record(
            ['nationalCode', 'trade', 'status', 'statusFa'],
            {
              nationalCode: NATIONAL_CODE,
              trade: { type: 'string', enum: [...TRADES] },
              status: { type: 'string', enum: Object.keys(STATUS_FA) },
              statusFa: { type: 'string' },
              applicantName: { type: 'string' },
              approvalNumber: { type: 'string', pattern: '^[0-9]{12}$' },
              decidedOn: JALALI_DATE,
              premisesPostalCode: POSTAL_CODE,
            },
          )),
          '400': jsonResponse('The national code or trade is not valid', errorSchema(['invalid_national_code', 'invalid_trade', ...SERVER_400_CODES])),
        },
      },
    },
  },
};

function handle(req: AgencyRequest, seed: Seed): AgencyResponse {
  const p = personOf(nationalCodeFrom(req.params.nationalCode), seed);
  const trade = oneOf(req.query.get('trade') ?? undefined, TRADES, 'invalid_trade', 'trade');
  const rng = rngFor(seed, 'premises', `${p.nationalCode}/${trade}`);
  const status = rng() < 0.6 ? pick(rng, ['approved', 'approved', 'approved', 'pending', 'refused'] as const) : 'none';
  if (status === 'none') return ok({ nationalCode: p.nationalCode, trade, status, statusFa: STATUS_FA.none });
  const year = int(rng, 1395, 1402);
  return ok({
    nationalCode: p.nationalCode,
    trade,
    status,
    statusFa: STATUS_FA[status],
    applicantName: `${p.firstName} ${p.lastName}`,
    approvalNumber: `${year}${digits(rng, 8)}`,
    decidedOn: randomJalaliDate(rng, year, year),
    premisesPostalCode: unresidentialPostalCode(rng),
  });
}

export function premisesService(seed: Seed): AgencyService {
  return {
    serviceCode: 'premises',
    titleEn: 'Premises approval inquiry',
    titleFa: 'استعلام تأییدیه اماکن',
    contract,
    handle: guard((req) => handle(req, seed)),
    sample: (rng) => ({ method: 'GET', path: `/approvals/${randomNationalCode(rng)}?trade=${pick(rng, TRADES)}` }),
  };
}
