// JSON Schema fragments for the identifiers the simulated agencies take and give, shared so that
// every contract describes a national code (or a plate, a SHEBA…) the same way. The schemas check
// the shape only; the agency applies the real rule (check digits, known bank or plate letter) and
// answers 400 with a code, which is why a contract's pattern is looser than the rule.

export const NATIONAL_CODE = { type: 'string', pattern: '^[0-9]{10}$', description: 'کد ملی, 10 digits with its check digit' } as const;

export const LEGAL_ID = { type: 'string', pattern: '^[0-9]{11}$', description: 'شناسه ملی اشخاص حقوقی, 11 digits with its check digit' } as const;

export const POSTAL_CODE = {
  type: 'string',
  pattern: '^[13-9]{5}[0-9]{5}$',
  description: 'کد پستی, 10 digits; the first five contain neither 0 nor 2',
} as const;

export const JALALI_DATE = { type: 'string', pattern: '^[0-9]{4}/[0-9]{2}/[0-9]{2}$', description: 'Jalali date YYYY/MM/DD (four-digit year)' } as const;

export const SHEBA = { type: 'string', pattern: '^IR[0-9]{24}$', description: 'شبا: IR and 24 digits' } as const;

export const MOBILE = { type: 'string', pattern: '^09[0-9]{9}$', description: 'Mobile number 09XXXXXXXXX' } as const;

/** A plate as people type it; the agency reads it with normalizePlate. */
export const PLATE_INPUT = {
  type: 'string',
  minLength: 7,
  maxLength: 40,
  description: 'Car plate, e.g. 12ب34577 or «۱۲ ب ۳۴۵ ایران ۷۷»',
} as const;

/** A plate as agencies write it: two digits, the letter, three digits, the registration code. */
export const PLATE = { type: 'string', pattern: '^[0-9]{2}[\\u0621-\\u06CC]{1,3}[0-9]{5}$', description: 'Car plate, canonical 12ب34577' } as const;

export const BANK = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'nameEn', 'nameFa'],
  properties: {
    code: { type: 'string', pattern: '^[0-9]{3}$' },
    nameEn: { type: 'string' },
    nameFa: { type: 'string' },
  },
} as const;

/** A closed object: every property listed, `required` ones always present. */
export function record(required: readonly string[], properties: Record<string, unknown>): Record<string, unknown> {
  return { type: 'object', additionalProperties: false, required: [...required], properties };
}
