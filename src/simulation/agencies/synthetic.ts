// SYNTHETIC citizens for the SIMULATED agencies. No real person's data is here or derived here:
// every value is computed from the national code and a seed, so that
//   - the same citizen has the same name, birth date, mobile and address in every agency and in
//     every process (the demo and the benchmarks need no shared database), and
//   - a different seed gives a different population for the same national codes.
// Every national code that passes the check digit is a citizen; the registry (NOCR) is the one that
// decides what a caller may learn about them.
//
// A citizen's postal code is not random: it encodes the citizen's national code reversibly, so the
// post agency and citizenByPostalCode can go from a postal code back to its resident without any
// state. Addresses are a pure function of the postal code, which is what keeps NOCR, Post and
// Shahkar consistent with each other.
//
// What other registers hold about citizens is derived the same way, in its own file: marriages and
// heirs (synthetic-family.ts), vehicles by plate (synthetic-vehicles.ts), bank accounts
// (synthetic-accounts.ts) and legal entities (synthetic-legal-entities.ts).
import { jalaliMonthLength, normalizeDigits, toPersianDigits } from '../../dates/jalali.ts';
import { provinceByCode } from '../../divisions/provinces.ts';
import { completeWithCheckDigit, isNationalCode, isPostalCode } from '../../identifiers/iran.ts';
import { int, pick, rngFor } from './random.ts';

export const DEFAULT_SEED = 'tabadol-demo';

export interface Address {
  readonly postalCode: string;
  readonly province: string;
  readonly city: string;
  readonly street: string;
  readonly alley?: string;
  readonly plaque: number;
  /** 0 is the ground floor (همکف). */
  readonly floor?: number;
  readonly unit?: number;
  readonly fullAddressFa: string;
}

export interface Citizen {
  readonly nationalCode: string;
  readonly firstName: string;
  readonly lastName: string;
  readonly fatherName: string;
  readonly gender: 'male' | 'female';
  /** Jalali, `YYYY/MM/DD` with a four-digit year. */
  readonly birthDate: string;
  readonly alive: boolean;
  readonly postalCode: string;
  /** Canonical `09XXXXXXXXX`. */
  readonly mobile: string;
  readonly address: Address;
}

// --- Name and place lists -----------------------------------------------------------------------
// Persian kaf/yeh (ک ی) throughout, as the registry writes them.

const MALE = ['محمد', 'علی', 'حسین', 'رضا', 'مهدی', 'امیر', 'حسن', 'سعید', 'مصطفی', 'جواد', 'کاوه', 'بهرام', 'آرش', 'مجید', 'حمید', 'داریوش', 'کوروش', 'احمد', 'بابک', 'پیمان'];
const FEMALE = ['فاطمه', 'زهرا', 'مریم', 'زینب', 'سارا', 'نرگس', 'لیلا', 'مینا', 'الهام', 'شیرین', 'پریسا', 'نیلوفر', 'سمیه', 'مهسا', 'آزاده', 'رویا', 'شهلا', 'ترانه', 'هانیه', 'نازنین'];
const LAST = ['رضایی', 'محمدی', 'حسینی', 'احمدی', 'کریمی', 'موسوی', 'جعفری', 'صادقی', 'رحیمی', 'کاظمی', 'قاسمی', 'حیدری', 'نوری', 'اکبری', 'یزدانی', 'تهرانی', 'شریفی', 'عباسی', 'بهرامی', 'فراهانی', 'طباطبایی', 'نجفی', 'اصفهانی', 'شیرازی'];
const STREETS = ['خیابان ولیعصر', 'خیابان انقلاب', 'خیابان آزادی', 'خیابان شریعتی', 'خیابان فردوسی', 'خیابان حافظ', 'خیابان سعدی', 'خیابان امام خمینی', 'خیابان بهار', 'خیابان نیایش', 'بلوار کشاورز', 'بلوار ارم', 'خیابان مطهری', 'خیابان طالقانی', 'بلوار جمهوری'];
const ALLEYS = ['کوچه لاله', 'کوچه نسترن', 'کوچه یاس', 'کوچه شقایق', 'کوچه اقاقیا', 'کوچه نرگس', 'کوچه سرو', 'کوچه بنفشه', 'کوچه گلستان', 'کوچه دانش'];
// Prefixes the mobile validator accepts (each is a real operator range), so every synthetic number is valid.
const MOBILE_PREFIXES = ['0912', '0919', '0935', '0936', '0937', '0901', '0902', '0910', '0911', '0913', '0915', '0917', '0921', '0930', '0933', '0938', '0939', '0990'];

// Postal areas: the first digit of an Iranian postal code is a broad region; two-digit prefixes
// name a province capital. Province names come from the divisions table so they match everywhere.
// [postal prefix, province code of src/divisions/provinces.ts]
const POSTAL_AREAS: ReadonlyArray<readonly [string, string]> = [
  ['1', '23'],
  ['31', '30'], ['34', '26'], ['37', '25'], ['38', '00'],
  ['41', '01'], ['45', '19'], ['48', '02'],
  ['51', '03'], ['56', '24'], ['57', '04'],
  ['61', '06'], ['65', '13'], ['67', '05'], ['68', '15'],
  ['71', '07'], ['76', '08'], ['79', '22'],
  ['81', '10'], ['89', '21'],
  ['91', '09'], ['97', '29'], ['98', '11'],
];

interface Area { readonly prefix: string; readonly province: string; readonly city: string }

const AREAS: readonly Area[] = POSTAL_AREAS.map(([prefix, code]) => {
  const p = provinceByCode(code);
  if (!p) throw new Error(`synthetic data: no province ${code}`);
  return { prefix, province: p.nameFa, city: p.capitalFa };
});

function areaOf(postalCode: string): Area {
  const exact = AREAS.find((a) => postalCode.startsWith(a.prefix));
  if (exact) return exact;
  // No capital has this prefix: stay in the same first-digit region, chosen by the second digit.
  const region = AREAS.filter((a) => a.prefix[0] === postalCode[0]);
  return region[Number(postalCode[1]) % region.length] as Area;
}

// --- Postal code ⇄ national code ----------------------------------------------------------------
// The nine free digits of a national code (reversed, so the region does not follow the issuing
// office) are split into an area number (< 10 000) and a five-digit tail. The area number is written
// in base 8 with the digits 1 3 4 5 6 7 8 9, which is exactly the postal rule for the first five.

const AREA_DIGITS = '13456789';

const reverse = (s: string): string => [...s].reverse().join('');

function encodePostalCode(nationalCode: string): string {
  const n = Number(reverse(nationalCode.slice(0, 9)));
  let area = Math.floor(n / 100_000);
  let head = '';
  for (let i = 0; i < 5; i++) {
    head = AREA_DIGITS[area % 8] + head;
    area = Math.floor(area / 8);
  }
  return head + String(n % 100_000).padStart(5, '0');
}

function decodeNationalCode(postalCode: string): string | undefined {
  let area = 0;
  for (let i = 0; i < 5; i++) area = area * 8 + AREA_DIGITS.indexOf(postalCode[i] as string);
  if (area >= 10_000) return undefined;
  const nine = reverse(String(area * 100_000 + Number(postalCode.slice(5))).padStart(9, '0'));
  return completeWithCheckDigit(nine, isNationalCode);
}

/**
 * A valid postal code at which no citizen lives: its area number is past the range citizens'
 * codes use, so citizenByPostalCode finds nobody there. Businesses and premises get these.
 */
export function unresidentialPostalCode(rng: () => number): string {
  let area = int(rng, 10_000, 8 ** 5 - 1);
  let head = '';
  for (let i = 0; i < 5; i++) {
    head = AREA_DIGITS[area % 8] + head;
    area = Math.floor(area / 8);
  }
  return head + String(int(rng, 0, 99_999)).padStart(5, '0');
}

// --- Fixed demo citizens ------------------------------------------------------------------------
// The demo walks through one person; their data is fixed so that screenshots and scripts are stable.
// They are the same under every seed.

const DEMO_ADDRESS: Address = address({
  postalCode: '1193653471',
  province: 'تهران',
  city: 'تهران',
  street: 'خیابان ولیعصر',
  alley: 'کوچه بهار',
  plaque: 12,
  floor: 3,
  unit: 7,
});

export const DEMO_CITIZEN: Citizen = {
  nationalCode: '0012345679',
  firstName: 'علی',
  lastName: 'رضایی',
  fatherName: 'محمد',
  gender: 'male',
  birthDate: '1370/06/15',
  alive: true,
  postalCode: DEMO_ADDRESS.postalCode,
  mobile: '09121234567',
  address: DEMO_ADDRESS,
};

const FIXED_BY_NATIONAL_CODE = new Map([[DEMO_CITIZEN.nationalCode, DEMO_CITIZEN]]);
const FIXED_BY_POSTAL_CODE = new Map([[DEMO_CITIZEN.postalCode, DEMO_CITIZEN]]);

// --- Public API ---------------------------------------------------------------------------------

function address(parts: Omit<Address, 'fullAddressFa'>): Address {
  const fa = (n: number): string => toPersianDigits(String(n));
  const pieces = [`استان ${parts.province}`, `شهر ${parts.city}`, parts.street];
  if (parts.alley) pieces.push(parts.alley);
  pieces.push(`پلاک ${fa(parts.plaque)}`);
  if (parts.floor !== undefined) pieces.push(parts.floor === 0 ? 'طبقه همکف' : `طبقه ${fa(parts.floor)}`);
  if (parts.unit !== undefined) pieces.push(`واحد ${fa(parts.unit)}`);
  return { ...parts, fullAddressFa: pieces.join('، ') };
}

/** `value` in Latin digits when `valid`; a RangeError otherwise (the agencies check input first). */
export function canonical(value: string, valid: (s: string) => boolean, what: string): string {
  const v = normalizeDigits(value).trim();
  if (!valid(v)) throw new RangeError(`${JSON.stringify(value)} is not a valid ${what}`);
  return v;
}

/**
 * The address at a postal code. Every valid postal code has one (the post agency answers for all of
 * them); the demo citizen's is fixed, the rest are synthetic. Throws RangeError on an invalid code.
 */
export function addressByPostalCode(postalCode: string, seed: string | number = DEFAULT_SEED): Address {
  const code = canonical(postalCode, isPostalCode, 'postal code');
  const fixed = FIXED_BY_POSTAL_CODE.get(code);
  if (fixed) return fixed.address;
  const rng = rngFor(seed, 'address', code);
  const area = areaOf(code);
  const street = pick(rng, STREETS);
  const alley = rng() < 0.7 ? pick(rng, ALLEYS) : undefined;
  const plaque = int(rng, 1, 250);
  const apartment = rng() < 0.6;
  return address({
    postalCode: code,
    province: area.province,
    city: area.city,
    street,
    ...(alley ? { alley } : {}),
    plaque,
    ...(apartment ? { floor: int(rng, 0, 12), unit: int(rng, 1, 40) } : {}),
  });
}

/**
 * What the registry holds about a person apart from where they live. It is cheap to compute, so
 * searches over many codes (a family's children) use it instead of the full citizen. The code must
 * already be a valid, canonical national code.
 */
export type Person = Omit<Citizen, 'postalCode' | 'address'>;

export function personOf(code: string, seed: string | number = DEFAULT_SEED): Person {
  const fixed = FIXED_BY_NATIONAL_CODE.get(code);
  if (fixed) return fixed;
  const rng = rngFor(seed, 'citizen', code);
  const gender = rng() < 0.5 ? 'male' : 'female';
  const firstName = pick(rng, gender === 'male' ? MALE : FEMALE);
  const lastName = pick(rng, LAST);
  const fatherName = pick(rng, MALE);
  const year = int(rng, 1310, 1384);
  const month = int(rng, 1, 12);
  const day = int(rng, 1, jalaliMonthLength(year, month));
  const alive = rng() >= (year < 1335 ? 0.25 : 0.02); // the older the citizen, the likelier a death record
  const mobile = pick(rng, MOBILE_PREFIXES) + String(int(rng, 0, 9_999_999)).padStart(7, '0');
  return {
    nationalCode: code,
    firstName,
    lastName,
    fatherName,
    gender,
    birthDate: `${year}/${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}`,
    alive,
    mobile,
  };
}

/** The citizen with this national code. Throws RangeError when the code fails its check digit. */
export function citizenByNationalCode(nationalCode: string, seed: string | number = DEFAULT_SEED): Citizen {
  const code = canonical(nationalCode, isNationalCode, 'national code');
  const fixed = FIXED_BY_NATIONAL_CODE.get(code);
  if (fixed) return fixed;
  const postalCode = encodePostalCode(code);
  return { ...personOf(code, seed), postalCode, address: addressByPostalCode(postalCode, seed) };
}

/**
 * The citizen registered at a postal code, or undefined when nobody is: a valid code that no
 * citizen's record points to still has an address (addressByPostalCode) but no resident.
 * Throws RangeError on an invalid postal code.
 */
export function citizenByPostalCode(postalCode: string, seed: string | number = DEFAULT_SEED): Citizen | undefined {
  const code = canonical(postalCode, isPostalCode, 'postal code');
  const fixed = FIXED_BY_POSTAL_CODE.get(code);
  if (fixed) return fixed;
  const nationalCode = decodeNationalCode(code);
  if (nationalCode === undefined) return undefined;
  const citizen = citizenByNationalCode(nationalCode, seed);
  // A fixed citizen keeps a fixed postal code, so the code their number would encode stays empty.
  return citizen.postalCode === code ? citizen : undefined;
}
