// SIMULATED AGENCY for demonstration — not the real General Conscription Organization (سازمان
// وظیفه عمومی فراجا). A person's military service status, from synthetic data derived from the
// national code, consistent with NOCR's sex and birth date: women are not liable, older men have
// finished or been exempted, the youngest may still be serving.
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
import { digits, int, pick, randomJalaliDate, randomNationalCode, rngFor } from './random.ts';
import { JALALI_DATE, NATIONAL_CODE, record } from './schemas.ts';
import { DEFAULT_SEED, personOf } from './synthetic.ts';

type Seed = string | number;

const STATUS_FA = {
  not_liable: 'غیرمشمول',
  completed: 'پایان خدمت',
  exempt: 'معاف',
  serving: 'در حال خدمت',
  student_deferral: 'معافیت تحصیلی',
  absent: 'غایب',
} as const;
type Status = keyof typeof STATUS_FA;
const EXEMPTIONS = ['medical', 'sole carer', 'sole son', 'veteran family'] as const;

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Conscription status inquiry (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. The military service status of a person.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/persons/{nationalCode}/military-service': {
      get: {
        operationId: 'getMilitaryServiceStatus',
        summary: 'Military service status (end-of-service card, exemption, deferral, absence)',
        parameters: [{ name: 'nationalCode', in: 'path', required: true, schema: NATIONAL_CODE, 'x-tabadol-subject': true }],
        responses: {
          '200': jsonResponse('The status; card number and date for a completed service or an exemption', record(
            ['nationalCode', 'firstName', 'lastName', 'status', 'statusFa'],
            {
              nationalCode: NATIONAL_CODE,
              firstName: { type: 'string' },
              lastName: { type: 'string' },
              status: { type: 'string', enum: Object.keys(STATUS_FA) },
              statusFa: { type: 'string' },
              exemptionReason: { type: 'string', enum: [...EXEMPTIONS] },
              cardNumber: { type: 'string', pattern: '^[0-9]{10}$' },
              issuedOn: JALALI_DATE,
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
  const base = { nationalCode: p.nationalCode, firstName: p.firstName, lastName: p.lastName };
  if (p.gender === 'female') return ok({ ...base, status: 'not_liable', statusFa: STATUS_FA.not_liable });
  const rng = rngFor(seed, 'conscription', p.nationalCode);
  const birth = Number(p.birthDate.slice(0, 4));
  const young = birth >= 1378;
  const draw = rng();
  const status: Status = young
    ? (draw < 0.35 ? 'serving' : draw < 0.65 ? 'student_deferral' : draw < 0.8 ? 'completed' : draw < 0.92 ? 'exempt' : 'absent')
    : (draw < 0.7 ? 'completed' : draw < 0.97 ? 'exempt' : 'absent');
  if (status !== 'completed' && status !== 'exempt') return ok({ ...base, status, statusFa: STATUS_FA[status] });
  const year = Math.min(birth + int(rng, 20, 24), 1402);
  return ok({
    ...base,
    status,
    statusFa: STATUS_FA[status],
    ...(status === 'exempt' ? { exemptionReason: pick(rng, EXEMPTIONS) } : {}),
    cardNumber: digits(rng, 10),
    issuedOn: randomJalaliDate(rng, year, year),
  });
}

export function conscriptionAgency(seed: Seed = DEFAULT_SEED): Agency {
  return {
    memberClass: 'GOV',
    memberCode: 'CONSCRIPTION',
    nameEn: 'General Conscription Organization (simulated)',
    nameFa: 'سازمان وظیفه عمومی (شبیه‌سازی)',
    subsystemCode: 'military-service',
    services: [{
      serviceCode: 'status',
      titleEn: 'Military service status inquiry',
      titleFa: 'استعلام وضعیت نظام وظیفه',
      contract,
      handle: guard((req) => handle(req, seed)),
      sample: (rng) => ({ method: 'GET', path: `/persons/${randomNationalCode(rng)}/military-service` }),
    }],
  };
}
