// Iranian identifiers. Checksums come from the maintained @persian-tools/persian-tools library so
// that the rules live in one audited place; this module only adds what the library leaves open
// (exact lengths, digit normalisation, the postal-code rule) and states each choice.
//
// Every check accepts Persian (۰–۹) and Arabic-Indic (٠–٩) digits, because people type them and
// copy them from Persian documents; the library itself only understands Latin digits.
import {
  autoConvertDigitsToEN,
  getNumberPlateInfo,
  getShebaInfo,
  isPhoneNumberValid,
  isShebaValid,
  phoneNumberNormalizer,
  verifyIranianLegalId,
  verifyIranianNationalId,
} from '@persian-tools/persian-tools';

/** Persian and Arabic-Indic digits to Latin, surrounding whitespace removed. */
export function toLatinDigits(s: string): string {
  return (autoConvertDigitsToEN(s) ?? s).trim();
}

function latin(s: unknown): string | undefined {
  return typeof s === 'string' ? toLatinDigits(s) : undefined;
}

/**
 * کد ملی: 10 digits whose last digit is the mod-11 check digit.
 * The library pads 8- and 9-digit inputs with zeros, so exactly 10 digits are required here first.
 * The library already refuses the ten one-digit repeats (1111111111 passes the checksum) and codes
 * whose middle six digits are zero. Its optional prefix check (issuing-office table) is turned off:
 * the table is a snapshot, and a code the registry issued must never be refused by a stale list.
 */
export function isNationalCode(s: unknown): boolean {
  const v = latin(s);
  return v !== undefined && /^[0-9]{10}$/.test(v) && verifyIranianNationalId(v, { checkPrefix: false });
}

/** شناسه ملی اشخاص حقوقی: 11 digits with the weighted mod-11 check. */
export function isLegalId(s: unknown): boolean {
  const v = latin(s);
  return v !== undefined && /^[0-9]{11}$/.test(v) && verifyIranianLegalId(v) === true;
}

// Printed SHEBA numbers are grouped by spaces ("IR06 2960 ..."); the number itself has none.
function shebaForm(s: unknown): string | undefined {
  const v = latin(s);
  return v === undefined ? undefined : v.replace(/\s+/g, '').toUpperCase();
}

/** شبا: `IR` + 24 digits, ISO 13616 (mod 97 = 1). The country code is required, unlike the library. */
export function isSheba(s: unknown): boolean {
  const v = shebaForm(s);
  return v !== undefined && /^IR[0-9]{24}$/.test(v) && isShebaValid(v);
}

export interface Bank {
  /** Three-digit bank code, characters 5–7 of the SHEBA. */
  readonly code: string;
  readonly nameEn: string;
  readonly nameFa: string;
}

/** The bank a valid SHEBA belongs to, or undefined when invalid or the library does not know the code. */
export function bankOfSheba(s: unknown): Bank | undefined {
  const v = shebaForm(s);
  if (v === undefined || !isSheba(v)) return undefined;
  const info = getShebaInfo(v);
  // The library answers {} (not null) for a well-formed SHEBA of a bank it does not list.
  if (!info?.name) return undefined;
  return { code: info.code, nameEn: info.name, nameFa: info.persianName };
}

/**
 * کد پستی: 10 digits, none of the first five being 0 or 2. The library has no postal validator and
 * postal codes carry no check digit, so only this structural rule (the digits 0 and 2 do not occur
 * in the five-digit area part) can be checked offline; whether a code is assigned is Post's answer.
 */
export function isPostalCode(s: unknown): boolean {
  const v = latin(s);
  return v !== undefined && /^[13-9]{5}[0-9]{5}$/.test(v);
}

// The forms people write: 09121234567, +989121234567, 00989121234567. The library also takes a bare
// 9121234567 and 989121234567; those are too easy to confuse with other numbers to accept here.
const MOBILE_FORMS = /^(?:0|\+98|0098)9[0-9]{9}$/;

/** A mobile number in its canonical `09XXXXXXXXX` form, or undefined if it is not an Iranian mobile. */
export function normalizeMobile(s: unknown): string | undefined {
  const v = latin(s);
  if (v === undefined) return undefined;
  const compact = v.replace(/[\s-]+/g, '');
  // The library also checks the operator prefix (e.g. 0912 Hamrah-e Aval, 0935 Irancell).
  if (!MOBILE_FORMS.test(compact) || !isPhoneNumberValid(compact)) return undefined;
  return phoneNumberNormalizer(compact, '0');
}

/** An Iranian mobile number (`09XXXXXXXXX`, `+989…` or `00989…`) on a known operator prefix. */
export function isMobile(s: unknown): boolean {
  return normalizeMobile(s) !== undefined;
}

// --- Vehicle plates ---------------------------------------------------------------------------
// A private car's plate reads «۱۲ ب ۳۴۵ ایران ۷۷»: two digits, a letter, three digits, and the
// two-digit registration code after the word «ایران». People write it with or without spaces,
// hyphens and that word, in any digits; the canonical form here is `12ب34577` (the order the
// library reads). The library knows which letters and registration codes exist and refuses zeros
// where plates have none; motorcycle plates (8 digits, no letter) are not car plates and are refused.
const PLATE_FORM = /^([0-9]{2})([\u0621-\u06CC]{1,3})([0-9]{3})([0-9]{2})$/;

/** A car plate in its canonical `12ب34577` form, or undefined if it is not a valid Iranian car plate. */
export function normalizePlate(s: unknown): string | undefined {
  const v = latin(s);
  if (v === undefined) return undefined;
  const compact = v.replace(/ایران/g, '').replace(/[\s\-_.]+/g, '');
  if (!PLATE_FORM.test(compact)) return undefined;
  try {
    return getNumberPlateInfo(compact).isValid ? compact : undefined;
  } catch {
    return undefined; // the library throws on a digit count it does not know
  }
}

/** An Iranian car plate (`12ب34577`, `۱۲ ب ۳۴۵ ایران ۷۷`, …) with a known letter and registration code. */
export function isPlate(s: unknown): boolean {
  return normalizePlate(s) !== undefined;
}

// --- Building identifiers ----------------------------------------------------------------------

/**
 * The mod-11 check digit of a national code's first nine digits. Validation stays with the library
 * (isNationalCode); this exists because building synthetic codes tries thousands of candidates
 * (a family's children), where asking the validator for each of ten digits is too slow. The test
 * checks it against the library.
 */
export function nationalCodeCheckDigit(nine: string): number {
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (nine.charCodeAt(i) - 48) * (10 - i);
  const r = sum % 11;
  return r < 2 ? r : 11 - r;
}

/**
 * `body` plus the one check digit that makes it pass `valid`, or undefined when none does (e.g. a
 * national code whose middle six digits are zero). Synthetic identifiers are completed this way so
 * that the checksum rule stays in the library and is never written a second time here.
 */
export function completeWithCheckDigit(body: string, valid: (s: string) => boolean): string | undefined {
  for (let d = 0; d <= 9; d++) {
    if (valid(body + d)) return body + d;
  }
  return undefined;
}
