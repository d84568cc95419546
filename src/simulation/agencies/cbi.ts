// SIMULATED AGENCY for demonstration — not the real Central Bank of Iran (بانک مرکزی جمهوری اسلامی
// ایران). Whether a SHEBA belongs to a national code, as banks ask before a transfer, from
// synthetic accounts (synthetic-accounts.ts). Like Shahkar it answers yes or no and never whose an
// account is; the bank it names is read from the SHEBA itself (bankOfSheba), which anyone can do.
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
import { bankOfSheba } from '../../identifiers/iran.ts';
import { guard, nationalCodeFrom, objectBody, shebaFrom } from './inputs.ts';
import { pick, randomNationalCode } from './random.ts';
import { BANK, NATIONAL_CODE, SHEBA, record } from './schemas.ts';
import { accountsOf } from './synthetic-accounts.ts';
import { DEFAULT_SEED } from './synthetic.ts';

type Seed = string | number;

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'CBI SHEBA ownership check (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. Whether a SHEBA (IBAN) belongs to a national code.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/sheba/verify': {
      post: {
        operationId: 'verifyShebaOwner',
        summary: 'Is this SHEBA an account of this person?',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: record(['nationalCode', 'sheba'], { nationalCode: { ...NATIONAL_CODE, 'x-tabadol-subject': true }, sheba: SHEBA }),
            },
          },
        },
        responses: {
          '200': jsonResponse('Whether the account belongs to the person, and the bank the SHEBA names', record(['sheba', 'matches'], {
            sheba: SHEBA,
            matches: { type: 'boolean' },
            bank: BANK,
          })),
          '400': jsonResponse('The body, national code or SHEBA is not valid', errorSchema([
            'invalid_body', 'invalid_national_code', 'invalid_sheba', ...SERVER_400_CODES,
          ])),
        },
      },
    },
  },
};

function handleVerify(req: AgencyRequest, seed: Seed): AgencyResponse {
  const body = objectBody(req.body, ['nationalCode', 'sheba']);
  const nationalCode = nationalCodeFrom(body.nationalCode);
  const sheba = shebaFrom(body.sheba);
  const bank = bankOfSheba(sheba);
  const matches = accountsOf(nationalCode, seed).some((a) => a.sheba === sheba);
  return ok({ sheba, matches, ...(bank ? { bank } : {}) });
}

export function cbiAgency(seed: Seed = DEFAULT_SEED): Agency {
  return {
    memberClass: 'GOV',
    memberCode: 'CBI',
    nameEn: 'Central Bank of the Islamic Republic of Iran (simulated)',
    nameFa: 'بانک مرکزی جمهوری اسلامی ایران (شبیه‌سازی)',
    subsystemCode: 'sheba',
    services: [{
      serviceCode: 'sheba-owner',
      titleEn: 'SHEBA ownership check',
      titleFa: 'استعلام تطابق شبا با کد ملی',
      contract,
      handle: guard((req) => handleVerify(req, seed)),
      // Mostly the beneficiary's own account; sometimes the customer typed someone else's.
      sample: (rng) => {
        const nationalCode = randomNationalCode(rng);
        const owner = rng() < 0.85 ? nationalCode : randomNationalCode(rng);
        return { method: 'POST', path: '/sheba/verify', body: { nationalCode, sheba: pick(rng, accountsOf(owner, seed)).sheba } };
      },
    }],
  };
}
