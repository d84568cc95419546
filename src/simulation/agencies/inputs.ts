// Reading an inquiry's input the way a real register would: each identifier is checked with its
// real rule (src/identifiers/iran.ts), and the first bad one ends the call with 400
// `{ error, message }` — a code the caller can act on, listed in the contract.
//
// Handlers call the readers below and let guard() turn the thrown InputError into that answer, so
// that a handler reads top to bottom without an early return per field.
import { formatJalali, parseJalali } from '../../dates/jalali.ts';
import {
  isLegalId,
  isNationalCode,
  isPostalCode,
  isSheba,
  normalizeMobile,
  normalizePlate,
  toLatinDigits,
} from '../../identifiers/iran.ts';
import { badRequest, type AgencyRequest, type AgencyResponse } from './agency.ts';

export class InputError extends Error {
  constructor(readonly code: string, message: string) {
    super(message);
    this.name = 'InputError';
  }
}

/** Wraps a handler so that a bad input answers 400 with its code instead of failing the call. */
export function guard(handle: (req: AgencyRequest) => AgencyResponse): (req: AgencyRequest) => AgencyResponse {
  return (req) => {
    try {
      return handle(req);
    } catch (e) {
      if (e instanceof InputError) return badRequest(e.code, e.message);
      throw e;
    }
  };
}

const shown = (v: unknown): string => (typeof v === 'string' ? JSON.stringify(v) : String(v));

function checked(value: unknown, valid: (s: string) => boolean, code: string, what: string): string {
  const v = typeof value === 'string' ? toLatinDigits(value) : undefined;
  if (v === undefined || !valid(v)) throw new InputError(code, `${shown(value)} is not ${what}`);
  return v;
}

export const nationalCodeFrom = (value: unknown, code = 'invalid_national_code'): string =>
  checked(value, isNationalCode, code, 'a national code: 10 digits with a valid check digit');

export const legalIdFrom = (value: unknown, code = 'invalid_legal_id'): string =>
  checked(value, isLegalId, code, 'a legal-entity national ID: 11 digits with a valid check digit');

export const postalCodeFrom = (value: unknown, code = 'invalid_postal_code'): string =>
  checked(value, isPostalCode, code, 'a postal code: 10 digits, no 0 or 2 in the first five');

export function shebaFrom(value: unknown, code = 'invalid_sheba'): string {
  const v = typeof value === 'string' ? toLatinDigits(value).replace(/\s+/g, '').toUpperCase() : undefined;
  if (v === undefined || !isSheba(v)) throw new InputError(code, `${shown(value)} is not a SHEBA: IR and 24 digits with valid check digits`);
  return v;
}

export function mobileFrom(value: unknown, code = 'invalid_mobile'): string {
  const v = normalizeMobile(value);
  if (v === undefined) throw new InputError(code, `${shown(value)} is not an Iranian mobile number 09XXXXXXXXX`);
  return v;
}

export function plateFrom(value: unknown, code = 'invalid_plate'): string {
  const v = normalizePlate(value);
  if (v === undefined) throw new InputError(code, `${shown(value)} is not an Iranian car plate such as 12ب34577 (two digits, letter, three digits, registration code)`);
  return v;
}

/** A Jalali date written YYYY/MM/DD (four-digit year, two-digit month and day), as `1370/06/15`. */
export function jalaliDateFrom(value: unknown, code: string, field: string): string {
  if (typeof value !== 'string') throw new InputError(code, `${field} (Jalali YYYY/MM/DD) is required`);
  try {
    if (!/^[0-9]{4}\/[0-9]{2}\/[0-9]{2}$/.test(toLatinDigits(value))) throw new Error('shape');
    return formatJalali(parseJalali(value));
  } catch {
    throw new InputError(code, `${JSON.stringify(value)} is not a Jalali date written YYYY/MM/DD`);
  }
}

/** The JSON body as an object with only the `allowed` fields; anything else is `invalid_body`. */
export function objectBody(body: unknown, allowed: readonly string[]): Record<string, unknown> {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new InputError('invalid_body', `The body must be a JSON object with ${allowed.join(', ')}`);
  }
  const unknown = Object.keys(body).filter((k) => !allowed.includes(k));
  if (unknown.length > 0) throw new InputError('invalid_body', `Unexpected field(s): ${unknown.join(', ')}`);
  return body as Record<string, unknown>;
}

/** One of `values`, or `code`. */
export function oneOf<T extends string>(value: unknown, values: readonly T[], code: string, field: string): T {
  if (typeof value !== 'string' || !(values as readonly string[]).includes(value)) {
    throw new InputError(code, `${field} must be one of ${values.join(', ')}`);
  }
  return value as T;
}
