// SIMULATED AGENCY for demonstration — not the real Communications Regulatory Authority
// (سازمان تنظیم مقررات و ارتباطات رادیویی) nor its Shahkar system. It answers from synthetic data
// (synthetic.ts): each synthetic citizen owns exactly one mobile line.
//
// Shahkar answers only yes or no — whether the line is registered to that national code — so that
// a caller who knows a number cannot learn whose it is. The body is a POST rather than a query
// string so that the national code and mobile number stay out of access logs along the way.
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
import { guard, mobileFrom, nationalCodeFrom, objectBody } from './inputs.ts';
import { randomNationalCode } from './random.ts';
import { MOBILE, NATIONAL_CODE } from './schemas.ts';
import { DEFAULT_SEED, citizenByNationalCode } from './synthetic.ts';

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Shahkar mobile ownership check (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. Whether a mobile line is registered to a national code.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/verify': {
      post: {
        operationId: 'verifyMobileOwner',
        summary: 'Is this mobile line registered to this national code?',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                additionalProperties: false,
                required: ['nationalCode', 'mobile'],
                properties: {
                  nationalCode: { ...NATIONAL_CODE, 'x-tabadol-subject': true },
                  mobile: MOBILE,
                },
              },
            },
          },
        },
        responses: {
          '200': jsonResponse('Whether the line belongs to the person', {
            type: 'object',
            additionalProperties: false,
            required: ['matches'],
            properties: { matches: { type: 'boolean' } },
          }),
          '400': jsonResponse('The body, national code or mobile number is not valid', errorSchema([
            'invalid_body', 'invalid_national_code', 'invalid_mobile', ...SERVER_400_CODES,
          ])),
        },
      },
    },
  },
};

function handleVerify(req: AgencyRequest, seed: string | number): AgencyResponse {
  const body = objectBody(req.body, ['nationalCode', 'mobile']);
  const nationalCode = nationalCodeFrom(body.nationalCode);
  const line = mobileFrom(body.mobile);
  return ok({ matches: citizenByNationalCode(nationalCode, seed).mobile === line });
}

export function craAgency(seed: string | number = DEFAULT_SEED): Agency {
  return {
    memberClass: 'GOV',
    memberCode: 'CRA',
    nameEn: 'Communications Regulatory Authority (simulated)',
    nameFa: 'سازمان تنظیم مقررات و ارتباطات رادیویی (شبیه‌سازی)',
    subsystemCode: 'shahkar',
    services: [{
      serviceCode: 'shahkar',
      titleEn: 'Shahkar: mobile line ownership check',
      titleFa: 'شاهکار: احراز مالکیت خط تلفن همراه',
      contract,
      handle: guard((req) => handleVerify(req, seed)),
      // Mostly the line the customer gave is theirs; one in ten is someone else's.
      sample: (rng) => {
        const nationalCode = randomNationalCode(rng);
        const owner = rng() < 0.9 ? nationalCode : randomNationalCode(rng);
        return { method: 'POST', path: '/verify', body: { nationalCode, mobile: citizenByNationalCode(owner, seed).mobile } };
      },
    }],
  };
}
