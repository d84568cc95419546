// SIMULATED AGENCY for demonstration — not the real Iranian National Tax Administration (سازمان امور
// مالیاتی کشور). The SHEBA numbers a taxpayer registered with the tax administration, for natural
// persons (by national code) and legal persons (by legal-entity ID), from the same synthetic accounts
// the central bank checks (synthetic-accounts.ts): every SHEBA listed here is one CBI says belongs
// to the taxpayer. The taxpayer's name and seat postal code are those NOCR and the post give.
//
// Two paths rather than one taxpayer ID: only the natural person's code is a citizen, marked as the
// subject for the node's subject log.
import {
  SERVER_400_CODES,
  SIMULATED_INFO,
  errorSchema,
  jsonResponse,
  ok,
  type Agency,
  type AgencyResponse,
  type JsonSchema,
  type OpenApiOperation,
} from './agency.ts';
import { guard, legalIdFrom, nationalCodeFrom } from './inputs.ts';
import { randomNationalCode } from './random.ts';
import { BANK, JALALI_DATE, LEGAL_ID, NATIONAL_CODE, POSTAL_CODE, SHEBA, record } from './schemas.ts';
import { accountsOf } from './synthetic-accounts.ts';
import { legalEntityById, randomLegalId } from './synthetic-legal-entities.ts';
import { DEFAULT_SEED, citizenByNationalCode } from './synthetic.ts';

type Seed = string | number;

function operation(kind: 'natural' | 'legal', id: JsonSchema, code: string): OpenApiOperation {
  const name = kind === 'natural' ? 'nationalCode' : 'legalId';
  return {
    operationId: kind === 'natural' ? 'getNaturalTaxpayerAccounts' : 'getLegalTaxpayerAccounts',
    summary: `The SHEBA numbers a ${kind} person registered as taxpayer`,
    parameters: [{ name, in: 'path', required: true, schema: id, ...(kind === 'natural' ? { 'x-tabadol-subject': true as const } : {}) }],
    responses: {
      '200': jsonResponse('The taxpayer and their registered accounts', record(['taxpayerId', 'kind', 'nameFa', 'postalCode', 'accounts'], {
        taxpayerId: id,
        kind: { type: 'string', enum: ['natural', 'legal'] },
        nameFa: { type: 'string' },
        postalCode: POSTAL_CODE,
        accounts: {
          type: 'array',
          items: record(['sheba', 'bank', 'registeredOn'], { sheba: SHEBA, bank: BANK, registeredOn: JALALI_DATE }),
        },
      })),
      '400': jsonResponse(`The ${name} is not valid`, errorSchema([code, ...SERVER_400_CODES])),
    },
  };
}

function registered(ownerId: string, seed: Seed): { sheba: string; bank: unknown; registeredOn: string }[] {
  return accountsOf(ownerId, seed).flatMap((a) => (a.taxRegisteredOn ? [{ sheba: a.sheba, bank: a.bank, registeredOn: a.taxRegisteredOn }] : []));
}

function natural(nationalCode: string, seed: Seed): AgencyResponse {
  const c = citizenByNationalCode(nationalCodeFrom(nationalCode), seed);
  return ok({ taxpayerId: c.nationalCode, kind: 'natural', nameFa: `${c.firstName} ${c.lastName}`, postalCode: c.postalCode, accounts: registered(c.nationalCode, seed) });
}

function legal(legalId: string, seed: Seed): AgencyResponse {
  const e = legalEntityById(legalIdFrom(legalId), seed);
  return ok({ taxpayerId: e.legalId, kind: 'legal', nameFa: e.nameFa, postalCode: e.postalCode, accounts: registered(e.legalId, seed) });
}

export function intaAgency(seed: Seed = DEFAULT_SEED): Agency {
  return {
    memberClass: 'GOV',
    memberCode: 'INTA',
    nameEn: 'Iranian National Tax Administration (simulated)',
    nameFa: 'سازمان امور مالیاتی کشور (شبیه‌سازی)',
    subsystemCode: 'taxpayer',
    services: [{
      serviceCode: 'accounts',
      titleEn: 'Bank accounts registered by a taxpayer',
      titleFa: 'استعلام حساب‌های بانکی اعلام‌شده مؤدی',
      contract: {
        openapi: '3.1.0',
        info: {
          title: 'INTA taxpayer accounts (SIMULATED)',
          version: '1.0.0',
          description: 'SIMULATED agency with synthetic data. The SHEBA numbers a taxpayer registered with the tax administration.',
          ...SIMULATED_INFO,
        },
        paths: {
          '/taxpayers/natural/{nationalCode}/accounts': { get: operation('natural', NATIONAL_CODE, 'invalid_national_code') },
          '/taxpayers/legal/{legalId}/accounts': { get: operation('legal', LEGAL_ID, 'invalid_legal_id') },
        },
      },
      handle: guard((req) => (req.path.startsWith('/taxpayers/natural/')
        ? natural(req.params.nationalCode ?? '', seed)
        : legal(req.params.legalId ?? '', seed))),
      sample: (rng) => (rng() < 0.7
        ? { method: 'GET', path: `/taxpayers/natural/${randomNationalCode(rng)}/accounts` }
        : { method: 'GET', path: `/taxpayers/legal/${randomLegalId(rng)}/accounts` }),
    }],
  };
}
