// A GENERATED simulated service: one generic handler per kind of subject (a person, a legal
// entity, a place, a vehicle), with a simple contract, so that the scenario's 944 generated services
// all answer like registers do. The answer is drawn from the subject and the service (the same
// question gets the same answer), validates the input with the real rule (a bad national code is a
// 400 `invalid_national_code`), and names the holder as every other agency does (NOCR's name for a
// person, the registry's for a company, the police's owner for a plate, the post's province for a
// postal code).
//
// The schemas depend only on the kind of subject, never on the service, so the node compiles the
// validators of all 944 services once per kind (its validator cache is keyed by schema text).
import {
  SERVER_400_CODES,
  SIMULATED_INFO,
  errorSchema,
  jsonResponse,
  ok,
  type AgencyRequest,
  type AgencyResponse,
  type AgencyService,
  type JsonSchema,
  type OpenApiDocument,
  type OpenApiOperation,
  type SampleRequest,
} from '../agencies/agency.ts';
import { guard, legalIdFrom, nationalCodeFrom, objectBody, plateFrom, postalCodeFrom } from '../agencies/inputs.ts';
import { digits, pick, randomJalaliDate, randomNationalCode, rngFor, type Rng } from '../agencies/random.ts';
import { JALALI_DATE, LEGAL_ID, NATIONAL_CODE, PLATE, PLATE_INPUT, POSTAL_CODE, record } from '../agencies/schemas.ts';
import { legalEntityById, randomLegalId } from '../agencies/synthetic-legal-entities.ts';
import { randomPlate, vehicleByPlate } from '../agencies/synthetic-vehicles.ts';
import { addressByPostalCode, citizenByNationalCode, personOf } from '../agencies/synthetic.ts';

export type SubjectKind = 'nationalCode' | 'legalId' | 'postalCode' | 'plate';

type Seed = string | number;

const STATUS_FA = { active: 'فعال', inactive: 'غیرفعال', expired: 'منقضی', suspended: 'تعلیق', none: 'بدون سابقه' } as const;
type Status = keyof typeof STATUS_FA;

interface KindSpec {
  readonly idSchema: JsonSchema;
  readonly errors: readonly string[];
  /** The contract's one path and operation shape. */
  readonly path: string;
  readonly method: 'get' | 'post';
  readonly read: (req: AgencyRequest) => string;
  /** Who or what the record is of, as the agency that keeps the subject names it. */
  readonly holder: (id: string, seed: Seed) => { holderName?: string; province?: string };
  readonly sample: (rng: Rng, seed: Seed) => SampleRequest;
}

const KINDS: Record<SubjectKind, KindSpec> = {
  nationalCode: {
    idSchema: NATIONAL_CODE,
    errors: ['invalid_national_code'],
    path: '/persons/{nationalCode}',
    method: 'get',
    read: (req) => nationalCodeFrom(req.params.nationalCode),
    holder: (id, seed) => {
      const p = personOf(id, seed);
      return { holderName: `${p.firstName} ${p.lastName}` };
    },
    sample: (rng) => ({ method: 'GET', path: `/persons/${randomNationalCode(rng)}` }),
  },
  legalId: {
    idSchema: LEGAL_ID,
    errors: ['invalid_legal_id'],
    path: '/legal-entities/{legalId}',
    method: 'get',
    read: (req) => legalIdFrom(req.params.legalId),
    holder: (id, seed) => ({ holderName: legalEntityById(id, seed).nameFa }),
    sample: (rng) => ({ method: 'GET', path: `/legal-entities/${randomLegalId(rng)}` }),
  },
  postalCode: {
    idSchema: POSTAL_CODE,
    errors: ['invalid_postal_code'],
    path: '/places/{postalCode}',
    method: 'get',
    read: (req) => postalCodeFrom(req.params.postalCode),
    holder: (id, seed) => ({ province: addressByPostalCode(id, seed).province }),
    sample: (rng, seed) => ({ method: 'GET', path: `/places/${citizenByNationalCode(randomNationalCode(rng), seed).postalCode}` }),
  },
  plate: {
    idSchema: PLATE,
    errors: ['invalid_body', 'invalid_plate'],
    path: '/vehicles/inquiry',
    method: 'post',
    read: (req) => plateFrom(objectBody(req.body, ['plate']).plate),
    holder: (id, seed) => {
      const owner = personOf(vehicleByPlate(id, seed).ownerNationalCode, seed);
      return { holderName: `${owner.firstName} ${owner.lastName}` };
    },
    sample: (rng) => ({ method: 'POST', path: '/vehicles/inquiry', body: { plate: randomPlate(rng) } }),
  },
};

function operation(kind: SubjectKind, summary: string): OpenApiOperation {
  const k = KINDS[kind];
  const name = k.path.match(/\{([^}]+)\}/)?.[1];
  return {
    operationId: 'inquire',
    summary,
    ...(name
      ? { parameters: [{ name, in: 'path' as const, required: true, schema: k.idSchema, ...(kind === 'nationalCode' ? { 'x-tabadol-subject': true as const } : {}) }] }
      : { requestBody: { required: true, content: { 'application/json': { schema: record(['plate'], { plate: PLATE_INPUT }) } } } }),
    responses: {
      '200': jsonResponse('The record; holder, reference and date only when found', record(['id', 'found', 'status', 'statusFa'], {
        id: k.idSchema,
        found: { type: 'boolean' },
        status: { type: 'string', enum: Object.keys(STATUS_FA) },
        statusFa: { type: 'string' },
        holderName: { type: 'string' },
        province: { type: 'string' },
        referenceNumber: { type: 'string', pattern: '^[0-9]{12}$' },
        issuedOn: JALALI_DATE,
      })),
      '400': jsonResponse('The input is not valid', errorSchema([...k.errors, ...SERVER_400_CODES])),
    },
  };
}

export interface GeneratedSpec {
  readonly memberCode: string;
  readonly agencyNameEn: string;
  readonly serviceCode: string;
  readonly titleEn: string;
  readonly titleFa: string;
  readonly kind: SubjectKind;
}

function answer(spec: GeneratedSpec, id: string, seed: Seed): AgencyResponse {
  const rng = rngFor(seed, `generated/${spec.memberCode}/${spec.serviceCode}`, id);
  if (rng() >= 0.75) return ok({ id, found: false, status: 'none', statusFa: STATUS_FA.none });
  const status: Status = pick(rng, ['active', 'active', 'active', 'inactive', 'expired', 'suspended'] as const);
  return ok({
    id,
    found: true,
    status,
    statusFa: STATUS_FA[status],
    ...KINDS[spec.kind].holder(id, seed),
    referenceNumber: digits(rng, 12),
    issuedOn: randomJalaliDate(rng, 1385, 1402),
  });
}

export function generatedService(spec: GeneratedSpec, seed: Seed): AgencyService {
  const k = KINDS[spec.kind];
  const contract: OpenApiDocument = {
    openapi: '3.1.0',
    info: {
      title: `${spec.titleEn} (SIMULATED)`,
      version: '1.0.0',
      description: `SIMULATED service of the 1399 scenario, generated for ${spec.agencyNameEn}; synthetic data. ${spec.titleFa}`,
      ...SIMULATED_INFO,
    },
    paths: { [k.path]: { [k.method]: operation(spec.kind, spec.titleEn) } },
  };
  return {
    serviceCode: spec.serviceCode,
    titleEn: spec.titleEn,
    titleFa: spec.titleFa,
    contract,
    handle: guard((req: AgencyRequest) => answer(spec, k.read(req), seed)),
    sample: (rng) => k.sample(rng, seed),
  };
}
