// The address fields the post discloses, as schema and as data: shared by the address inquiry and
// the legal persons' address inquiry so that both describe an address the same way.
import { POSTAL_CODE } from './schemas.ts';
import type { Address } from './synthetic.ts';

export const ADDRESS_PROPERTIES = {
  postalCode: POSTAL_CODE,
  province: { type: 'string' },
  city: { type: 'string' },
  street: { type: 'string' },
  alley: { type: 'string' },
  plaque: { type: 'integer', minimum: 1 },
  floor: { type: 'integer', minimum: 0, description: '0 is the ground floor (همکف)' },
  unit: { type: 'integer', minimum: 1 },
  fullAddressFa: { type: 'string', description: 'The address as written on an envelope, Persian digits' },
} as const;

export const ADDRESS_REQUIRED = ['postalCode', 'province', 'city', 'street', 'plaque', 'fullAddressFa'] as const;

/** Listed field by field so that a field added to the citizen model never leaks out unannounced. */
export function disclosedAddress(a: Address): Record<string, unknown> {
  const { postalCode, province, city, street, alley, plaque, floor, unit, fullAddressFa } = a;
  return { postalCode, province, city, street, alley, plaque, floor, unit, fullAddressFa };
}
