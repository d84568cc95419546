// SIMULATED AGENCY for demonstration — not the real Ministry of Science, Research and Technology
// (وزارت علوم، تحقیقات و فناوری). It answers whether a university degree exists and belongs to a
// national code, from synthetic data: a citizen's degrees are derived from their national code.
//
// Degree numbers are 12 digits: the degree's index, the holder's code and two check digits, each
// digit shifted by a pad derived from the seed. The ministry can so read a number back to its holder
// without any stored state, while a caller cannot read a holder's code off a degree number. Like
// NOCR's birth-date check, the degree's details are given only to a caller who names its holder.
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
import { toLatinDigits, completeWithCheckDigit, isNationalCode } from '../../identifiers/iran.ts';
import { int, pick, randomJalaliDate, randomNationalCode, rngFor, type Rng } from './random.ts';
import { JALALI_DATE, NATIONAL_CODE, record } from './schemas.ts';
import { DEFAULT_SEED, personOf } from './synthetic.ts';

type Seed = string | number;

const LEVELS = [['associate', 'کاردانی'], ['bachelor', 'کارشناسی'], ['master', 'کارشناسی ارشد'], ['doctorate', 'دکتری']] as const;
type Level = (typeof LEVELS)[number][0];

const FIELDS: ReadonlyArray<readonly [string, string]> = [
  ['Computer Engineering', 'مهندسی کامپیوتر'], ['Civil Engineering', 'مهندسی عمران'], ['Electrical Engineering', 'مهندسی برق'],
  ['Law', 'حقوق'], ['Accounting', 'حسابداری'], ['Business Management', 'مدیریت بازرگانی'], ['Psychology', 'روان‌شناسی'],
  ['Persian Literature', 'زبان و ادبیات فارسی'], ['Economics', 'علوم اقتصادی'], ['Mathematics', 'ریاضی'], ['Physics', 'فیزیک'],
  ['Chemistry', 'شیمی'], ['Architecture', 'معماری'], ['Industrial Engineering', 'مهندسی صنایع'],
];
const UNIVERSITIES: ReadonlyArray<readonly [string, string]> = [
  ['University of Tehran', 'دانشگاه تهران'], ['Sharif University of Technology', 'دانشگاه صنعتی شریف'],
  ['Amirkabir University of Technology', 'دانشگاه صنعتی امیرکبیر'], ['Iran University of Science and Technology', 'دانشگاه علم و صنعت ایران'],
  ['Ferdowsi University of Mashhad', 'دانشگاه فردوسی مشهد'], ['Shiraz University', 'دانشگاه شیراز'], ['University of Isfahan', 'دانشگاه اصفهان'],
  ['University of Tabriz', 'دانشگاه تبریز'], ['Allameh Tabataba\'i University', 'دانشگاه علامه طباطبایی'], ['Payame Noor University', 'دانشگاه پیام نور'],
];

export interface Degree {
  readonly degreeNumber: string;
  readonly level: Level;
  readonly levelFa: string;
  readonly fieldEn: string;
  readonly fieldFa: string;
  readonly universityEn: string;
  readonly universityFa: string;
  readonly graduatedOn: string;
}

// --- Degree numbers ------------------------------------------------------------------------------

function pad(seed: Seed): number[] {
  const rng = rngFor(seed, 'degree-pad', 'msrt');
  return Array.from({ length: 12 }, () => int(rng, 0, 9));
}

const shift = (text: string, p: number[], sign: 1 | -1): string =>
  [...text].map((d, i) => String((Number(d) + sign * (p[i] as number) + 10) % 10)).join('');

// Two check digits over the first ten, so that a mistyped number is told apart from an unknown one.
const check = (ten: string): string => String([...ten].reduce((s, d, i) => (s * 7 + Number(d) * (i + 3)) % 97, 0)).padStart(2, '0');

function degreeNumber(nationalCode: string, index: number, seed: Seed): string {
  const ten = `${index}${[...nationalCode.slice(0, 9)].reverse().join('')}`;
  return shift(ten + check(ten), pad(seed), 1);
}

/** The holder's national code and the degree's index, or undefined for a number no degree can have. */
function readDegreeNumber(number: string, seed: Seed): { nationalCode: string; index: number } | undefined {
  const plain = shift(number, pad(seed), -1);
  const ten = plain.slice(0, 10);
  if (check(ten) !== plain.slice(10)) return undefined;
  const nationalCode = completeWithCheckDigit([...ten.slice(1)].reverse().join(''), isNationalCode);
  return nationalCode === undefined ? undefined : { nationalCode, index: Number(ten[0]) };
}

// --- The register --------------------------------------------------------------------------------

/** A citizen's degrees, lowest level first; most people hold none. */
export function degreesOf(nationalCode: string, seed: Seed = DEFAULT_SEED): Degree[] {
  const person = personOf(nationalCode, seed);
  const rng = rngFor(seed, 'degrees', nationalCode);
  const count = pick(rng, [0, 0, 0, 0, 0, 1, 1, 1, 2, 2, 3]);
  const birth = Number(person.birthDate.slice(0, 4));
  const degrees: Degree[] = [];
  let level = rng() < 0.3 ? 0 : 1;
  let year = birth + int(rng, 20, 23);
  const [fieldEn, fieldFa] = pick(rng, FIELDS);
  for (let i = 0; i < count && level < LEVELS.length && year <= 1402; i++) {
    const [universityEn, universityFa] = pick(rng, UNIVERSITIES);
    const [code, fa] = LEVELS[level] as (typeof LEVELS)[number];
    degrees.push({
      degreeNumber: degreeNumber(nationalCode, i, seed),
      level: code, levelFa: fa, fieldEn, fieldFa, universityEn, universityFa,
      graduatedOn: randomJalaliDate(rng, year, year),
    });
    level++;
    year += int(rng, 2, 5);
  }
  return degrees;
}

// --- The service ---------------------------------------------------------------------------------

const DEGREE_NUMBER = { type: 'string', pattern: '^[0-9]{12}$', description: 'شماره مدرک, 12 digits' };

const contract: OpenApiDocument = {
  openapi: '3.1.0',
  info: {
    title: 'MSRT degree verification (SIMULATED)',
    version: '1.0.0',
    description: 'SIMULATED agency with synthetic data. Whether a university degree exists and belongs to a national code.',
    ...SIMULATED_INFO,
  },
  paths: {
    '/degrees/verify': {
      post: {
        operationId: 'verifyDegree',
        summary: 'Does this degree exist, and is it this person\'s?',
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: record(['nationalCode', 'degreeNumber'], {
                nationalCode: { ...NATIONAL_CODE, 'x-tabadol-subject': true },
                degreeNumber: DEGREE_NUMBER,
              }),
            },
          },
        },
        responses: {
          '200': jsonResponse('The verification; the degree and holder are given only when it belongs to the person', record(
            ['degreeNumber', 'exists', 'belongs'],
            {
              degreeNumber: DEGREE_NUMBER,
              exists: { type: 'boolean' },
              belongs: { type: 'boolean' },
              holder: record(['firstName', 'lastName'], { firstName: { type: 'string' }, lastName: { type: 'string' } }),
              degree: record(['level', 'levelFa', 'fieldEn', 'fieldFa', 'universityEn', 'universityFa', 'graduatedOn'], {
                level: { type: 'string', enum: LEVELS.map(([l]) => l) },
                levelFa: { type: 'string' },
                fieldEn: { type: 'string' },
                fieldFa: { type: 'string' },
                universityEn: { type: 'string' },
                universityFa: { type: 'string' },
                graduatedOn: JALALI_DATE,
              }),
            },
          )),
          '400': jsonResponse('The body, national code or degree number is not valid', errorSchema([
            'invalid_body', 'invalid_national_code', 'invalid_degree_number', ...SERVER_400_CODES,
          ])),
        },
      },
    },
  },
};

function handleVerify(req: AgencyRequest, seed: Seed): AgencyResponse {
  const body = objectBody(req.body, ['nationalCode', 'degreeNumber']);
  const nationalCode = nationalCodeFrom(body.nationalCode);
  const number = typeof body.degreeNumber === 'string' ? toLatinDigits(body.degreeNumber) : '';
  if (!/^[0-9]{12}$/.test(number)) throw new InputError('invalid_degree_number', 'degreeNumber must be the 12 digits printed on the degree');

  const read = readDegreeNumber(number, seed);
  const degree = read ? degreesOf(read.nationalCode, seed)[read.index] : undefined;
  if (!read || !degree) return ok({ degreeNumber: number, exists: false, belongs: false });
  if (read.nationalCode !== nationalCode) return ok({ degreeNumber: number, exists: true, belongs: false });
  const { firstName, lastName } = personOf(nationalCode, seed);
  const { degreeNumber: _, ...details } = degree;
  return ok({ degreeNumber: number, exists: true, belongs: true, holder: { firstName, lastName }, degree: details });
}

/** A citizen holding at least one degree, drawn from the stream. */
export function graduate(rng: Rng, seed: Seed): { nationalCode: string; degrees: Degree[] } {
  for (;;) {
    const nationalCode = randomNationalCode(rng);
    const degrees = degreesOf(nationalCode, seed);
    if (degrees.length > 0) return { nationalCode, degrees };
  }
}

export function msrtAgency(seed: Seed = DEFAULT_SEED): Agency {
  return {
    memberClass: 'GOV',
    memberCode: 'MSRT',
    nameEn: 'Ministry of Science, Research and Technology (simulated)',
    nameFa: 'وزارت علوم، تحقیقات و فناوری (شبیه‌سازی)',
    subsystemCode: 'degrees',
    services: [{
      serviceCode: 'degree',
      titleEn: 'University degree verification',
      titleFa: 'استعلام اصالت مدرک تحصیلی دانشگاهی',
      contract,
      handle: guard((req) => handleVerify(req, seed)),
      // Employers and courts check a degree against the person presenting it; some present another's.
      sample: (rng) => {
        const { nationalCode, degrees } = graduate(rng, seed);
        const presenter = rng() < 0.9 ? nationalCode : randomNationalCode(rng);
        return { method: 'POST', path: '/degrees/verify', body: { nationalCode: presenter, degreeNumber: pick(rng, degrees).degreeNumber } };
      },
    }],
  };
}
