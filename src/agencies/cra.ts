// SIMULATED AGENCY for demonstration — not the real Communications Regulatory Authority
// (سازمان تنظیم مقررات و ارتباطات رادیویی) nor its Shahkar system. It answers from synthetic data
// (synthetic.ts): each synthetic citizen owns exactly one mobile line.
//
// Shahkar answers only yes or no — whether the line is registered to that national code — so that
// a caller who knows a number cannot learn whose it is. The body is a POST rather than a query
// string so that the national code and mobile number stay out of access logs along the way.
import { isNationalCode, normalizeMobile, toLatinDigits } from '../identifiers/iran.ts';
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
                  nationalCode: { type: 'string', pattern: '^[0-9]{10}$', description: 'کد ملی', 'x-tabadol-subject': true },
                  mobile: { type: 'string', pattern: '^09[0-9]{9}$', description: 'Mobile number 09XXXXXXXXX' },
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
  const body = req.body;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return badRequest('invalid_body', 'The body must be a JSON object { nationalCode, mobile }');
  }
  const { nationalCode, mobile } = body as Record<string, unknown>;
  const unknown = Object.keys(body).filter((k) => k !== 'nationalCode' && k !== 'mobile');
  if (unknown.length > 0) return badRequest('invalid_body', `Unexpected field(s): ${unknown.join(', ')}`);
  if (typeof nationalCode !== 'string' || !isNationalCode(nationalCode)) {
    return badRequest('invalid_national_code', 'nationalCode must be 10 digits with a valid check digit');
  }
  const line = normalizeMobile(mobile);
  if (line === undefined) return badRequest('invalid_mobile', 'mobile must be an Iranian mobile number 09XXXXXXXXX');
  return ok({ matches: citizenByNationalCode(toLatinDigits(nationalCode), seed).mobile === line });
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
      handle: (req) => handleVerify(req, seed),
    }],
  };
}
