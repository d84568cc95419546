// SIMULATED AGENCY for demonstration — not the real Judiciary (قوه قضاییه). Verification for an
// inheritance certificate (گواهی انحصار وراثت): are the heirs an applicant declares exactly the
// legal heirs of the deceased? The legal heirs are read from the same synthetic family model as
// NOCR's marital record (synthetic-family.ts), so the spouse NOCR names is the spouse heir here.
//
// The answer lists the declared codes that are not heirs and counts the heirs left out, without
// naming them: the applicant must name the heirs, not learn them from the register.
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
import { guard, InputError, nationalCodeFrom, objectBody } from './inputs.ts';
import { randomNationalCode, type Rng } from './random.ts';
import { NATIONAL_CODE, record } from './schemas.ts';
import { legalHeirsOf } from './synthetic-family.ts';
import { DEFAULT_SEED, personOf } from './synthetic.ts';

type Seed = string | number;

const MAX_HEIRS = 30;

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'Judiciary inheritance-certificate heirs verification (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. Whether the declared heirs of a deceased person are exactly the legal heirs.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/inheritance/verify': {
      post: {
        operationId: 'verifyHeirs',
        summary: 'Are the declared heirs the legal heirs of the deceased?',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: record(['deceasedNationalCode', 'declaredHeirs'], {
                deceasedNationalCode: { ...NATIONAL_CODE, 'x-tabadol-subject': true },
                declaredHeirs: { type: 'array', items: NATIONAL_CODE, maxItems: MAX_HEIRS, uniqueItems: true },
              }),
            },
          },
        },
        responses: {
          '200': jsonResponse('The verification; without a death record nothing else is answered', record(
            ['deceasedNationalCode', 'deathRecorded'],
            {
              deceasedNationalCode: NATIONAL_CODE,
              deathRecorded: { type: 'boolean' },
              matches: { type: 'boolean' },
              legalHeirCount: { type: 'integer', minimum: 0 },
              undeclaredCount: { type: 'integer', minimum: 0 },
              notHeirs: { type: 'array', items: NATIONAL_CODE },
            },
          )),
          '400': jsonResponse('The body, the deceased\'s code or a declared heir\'s code is not valid', errorSchema([
            'invalid_body', 'invalid_national_code', 'invalid_heir', ...SERVER_400_CODES,
          ])),
        },
      },
    },
  },
};

function handle(req: AgencyRequest, seed: Seed): AgencyResponse {
  const body = objectBody(req.body, ['deceasedNationalCode', 'declaredHeirs']);
  const deceased = nationalCodeFrom(body.deceasedNationalCode);
  const list = body.declaredHeirs;
  if (!Array.isArray(list) || list.length > MAX_HEIRS) throw new InputError('invalid_body', `declaredHeirs must be a list of at most ${MAX_HEIRS} national codes`);
  const declared = list.map((code) => nationalCodeFrom(code, 'invalid_heir'));
  if (new Set(declared).size !== declared.length) throw new InputError('invalid_heir', 'declaredHeirs names a person twice');

  const code = personOf(deceased, seed).nationalCode;
  const heirs = legalHeirsOf(code, seed);
  if (heirs === undefined) return ok({ deceasedNationalCode: code, deathRecorded: false });
  const legal = new Set(heirs.map((h) => h.person.nationalCode));
  const notHeirs = declared.filter((c) => !legal.has(c));
  const undeclaredCount = [...legal].filter((c) => !declared.includes(c)).length;
  return ok({
    deceasedNationalCode: code,
    deathRecorded: true,
    matches: notHeirs.length === 0 && undeclaredCount === 0,
    legalHeirCount: legal.size,
    undeclaredCount,
    notHeirs,
  });
}

/** A citizen with a death record, drawn from the stream. */
export function deceasedCitizen(rng: Rng, seed: Seed): string {
  for (;;) {
    const code = randomNationalCode(rng);
    if (!personOf(code, seed).alive) return code;
  }
}

export function judiciaryAgency(seed: Seed = DEFAULT_SEED): Agency {
  return {
    memberClass: 'GOV',
    memberCode: 'JUDICIARY',
    nameEn: 'Judiciary of the Islamic Republic of Iran (simulated)',
    nameFa: 'قوه قضاییه (شبیه‌سازی)',
    subsystemCode: 'inheritance',
    services: [{
      serviceCode: 'heirs',
      titleEn: 'Inheritance certificate: heirs verification',
      titleFa: 'استعلام انحصار وراثت: احراز وراث قانونی',
      contract,
      handle: guard((req) => handle(req, seed)),
      // Most applicants declare the heirs right; some leave one out.
      sample: (rng) => {
        const deceasedNationalCode = deceasedCitizen(rng, seed);
        const heirs = (legalHeirsOf(deceasedNationalCode, seed) ?? []).map((h) => h.person.nationalCode);
        const declaredHeirs = rng() < 0.85 ? heirs : heirs.slice(1);
        return { method: 'POST', path: '/inheritance/verify', body: { deceasedNationalCode, declaredHeirs } };
      },
    }],
  };
}
