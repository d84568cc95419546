// Iranian identifiers. Checksums come from the maintained @persian-tools/persian-tools library so
// that the rules live in one audited place; this module only adds what the library leaves open
// (exact lengths, digit normalisation, the postal-code rule) and states each choice.
//
// Every check accepts Persian (۰–۹) and Arabic-Indic (٠–٩) digits, because people type them and
// copy them from Persian documents; the library itself only understands Latin digits.
import {
  autoConvertDigitsToEN,
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
