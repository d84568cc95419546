// SYNTHETIC legal entities (companies, cooperatives, institutes), keyed by their 11-digit national
// ID: the post's address inquiry for legal persons, the tax administration and generated services
// read from here. A legal entity's seat has a postal code at which no citizen lives, and its
// address is the post's address for that code, as for any other.
import { completeWithCheckDigit, isLegalId } from '../../identifiers/iran.ts';
import { derivedNationalCode, digits, int, pick, randomJalaliDate, rngFor, type Rng } from './random.ts';
import { DEFAULT_SEED, canonical, unresidentialPostalCode } from './synthetic.ts';

type Seed = string | number;

// [English, Persian]
const SECTORS: ReadonlyArray<readonly [string, string]> = [
  ['Food Industries', 'صنایع غذایی'], ['Trading', 'بازرگانی'], ['Construction', 'ساختمانی'], ['Software', 'نرم‌افزاری'],
  ['Textile', 'نساجی'], ['Transport', 'حمل و نقل'], ['Petrochemical Services', 'خدمات پتروشیمی'], ['Pharmaceutical', 'داروسازی'],
  ['Agro-Industry', 'کشت و صنعت'], ['Engineering', 'فنی و مهندسی'], ['Printing', 'چاپ و نشر'], ['Tourism', 'گردشگری'],
];
const NAMES: ReadonlyArray<readonly [string, string]> = [
  ['Alborz', 'البرز'], ['Zagros', 'زاگرس'], ['Parsian', 'پارسیان'], ['Kavir', 'کویر'], ['Khazar', 'خزر'], ['Sepehr', 'سپهر'],
  ['Arian', 'آرین'], ['Golrang', 'گلرنگ'], ['Mehr', 'مهر'], ['Dena', 'دنا'], ['Setareh', 'ستاره'], ['Tous', 'توس'],
];
const KINDS: ReadonlyArray<readonly [string, string]> = [
  ['private joint-stock company', 'سهامی خاص'], ['limited liability company', 'با مسئولیت محدود'],
  ['public joint-stock company', 'سهامی عام'], ['cooperative', 'تعاونی'], ['non-commercial institute', 'مؤسسه غیرتجاری'],
];

export interface LegalEntity {
  readonly legalId: string;
  readonly nameEn: string;
  readonly nameFa: string;
  readonly kindEn: string;
  readonly kindFa: string;
  readonly registrationNumber: string;
  /** Jalali YYYY/MM/DD. */
  readonly registeredOn: string;
  readonly postalCode: string;
  /** The managing director, a citizen. */
  readonly directorNationalCode: string;
}

/** A legal-entity ID drawn from the stream: some registered entity. */
export function randomLegalId(rng: Rng): string {
  for (;;) {
    // Registered entities' IDs start with 10 (the registration organisation's prefix).
    const id = completeWithCheckDigit(`10${digits(rng, 8)}`, isLegalId);
    if (id !== undefined) return id;
  }
}

/** The entity with this ID; every valid ID is registered. Throws RangeError on an invalid ID. */
export function legalEntityById(legalId: string, seed: Seed = DEFAULT_SEED): LegalEntity {
  const id = canonical(legalId, isLegalId, 'legal-entity ID');
  const rng = rngFor(seed, 'legal-entity', id);
  const [sectorEn, sectorFa] = pick(rng, SECTORS);
  const [nameEn, nameFa] = pick(rng, NAMES);
  const [kindEn, kindFa] = pick(rng, KINDS);
  const company = kindEn !== 'cooperative' && kindEn !== 'non-commercial institute';
  return {
    legalId: id,
    nameEn: `${nameEn} ${sectorEn} ${company ? 'Co.' : kindEn === 'cooperative' ? 'Cooperative' : 'Institute'}`,
    nameFa: `${company ? 'شرکت' : kindEn === 'cooperative' ? 'شرکت تعاونی' : 'مؤسسه'} ${sectorFa} ${nameFa}${company ? ` (${kindFa})` : ''}`,
    kindEn,
    kindFa,
    registrationNumber: String(int(rng, 1000, 699_999)),
    registeredOn: randomJalaliDate(rng, 1350, 1402),
    postalCode: unresidentialPostalCode(rng),
    directorNationalCode: derivedNationalCode(seed, 'director', id),
  };
}
