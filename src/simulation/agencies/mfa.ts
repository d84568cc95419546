// SIMULATED AGENCY for demonstration — not the real Ministry of Foreign Affairs (وزارت امور
// خارجه). Whether a person is registered with a consulate as residing abroad — what a court needs
// to serve a notice abroad, or a conscription office to grant an exemption for residents abroad —
// from synthetic data derived from the national code.
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
import { pick, randomJalaliDate, randomNationalCode, rngFor } from './random.ts';
import { JALALI_DATE, NATIONAL_CODE, record } from './schemas.ts';
import { DEFAULT_SEED, personOf } from './synthetic.ts';

type Seed = string | number;

// [English country, Persian country, English city of the consulate, Persian city]
const PLACES: ReadonlyArray<readonly [string, string, string, string]> = [
  ['Germany', 'آلمان', 'Hamburg', 'هامبورگ'], ['Canada', 'کانادا', 'Ottawa', 'اتاوا'], ['Turkey', 'ترکیه', 'Istanbul', 'استانبول'],
  ['United Arab Emirates', 'امارات متحده عربی', 'Dubai', 'دبی'], ['United Kingdom', 'انگلستان', 'London', 'لندن'],
  ['Sweden', 'سوئد', 'Stockholm', 'استکهلم'], ['Australia', 'استرالیا', 'Sydney', 'سیدنی'], ['Iraq', 'عراق', 'Karbala', 'کربلا'],
  ['Malaysia', 'مالزی', 'Kuala Lumpur', 'کوالالامپور'], ['Italy', 'ایتالیا', 'Milan', 'میلان'],
];

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'MFA residence abroad inquiry (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. Whether a person is registered with a consulate as residing abroad.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/persons/{nationalCode}/residence-abroad': {
      get: {
        operationId: 'getResidenceAbroad',
        summary: 'Consular registration of residence abroad',
        parameters: [{ name: 'nationalCode', in: 'path', required: true, schema: NATIONAL_CODE, 'x-tabadol-subject': true }],
        responses: {
          '200': jsonResponse('The registration; country, consulate and date only for a resident abroad', record(
            ['nationalCode', 'residesAbroad'],
            {
              nationalCode: NATIONAL_CODE,
              residesAbroad: { type: 'boolean' },
              countryEn: { type: 'string' },
              countryFa: { type: 'string' },
              consulateEn: { type: 'string' },
              consulateFa: { type: 'string' },
              registeredOn: JALALI_DATE,
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
  const rng = rngFor(seed, 'residence-abroad', p.nationalCode);
  if (!p.alive || rng() >= 0.05) return ok({ nationalCode: p.nationalCode, residesAbroad: false });
  const [countryEn, countryFa, cityEn, cityFa] = pick(rng, PLACES);
  return ok({
    nationalCode: p.nationalCode,
    residesAbroad: true,
    countryEn,
    countryFa,
    consulateEn: `Consulate of Iran in ${cityEn}`,
    consulateFa: `سرکنسولگری ایران در ${cityFa}`,
    registeredOn: randomJalaliDate(rng, 1385, 1402),
  });
}

export function mfaAgency(seed: Seed = DEFAULT_SEED): Agency {
  return {
    memberClass: 'GOV',
    memberCode: 'MFA',
    nameEn: 'Ministry of Foreign Affairs (simulated)',
    nameFa: 'وزارت امور خارجه (شبیه‌سازی)',
    subsystemCode: 'consular',
    services: [{
      serviceCode: 'residence-abroad',
      titleEn: 'Residence abroad inquiry',
      titleFa: 'استعلام اقامت در خارج از کشور',
      contract,
      handle: guard((req) => handle(req, seed)),
      sample: (rng) => ({ method: 'GET', path: `/persons/${randomNationalCode(rng)}/residence-abroad` }),
    }],
  };
}
