// Names and descriptions typed by operators: free text, Persian welcome, but stored in one form.
// Persian text typed on an Arabic keyboard uses ARABIC LETTER YEH (U+064A) and KAF (U+0643) where
// Persian uses FARSI YEH (U+06CC) and KEHEH (U+06A9): the same name would be stored, listed and
// searched as two. Names are therefore normalised to NFC (Unicode UAX #15) and the Arabic letters
// folded to the Persian ones. Control characters and bidirectional overrides (which can make a
// name display as another, Unicode UTS #55 / "Trojan Source") are refused; ZWNJ (U+200C), which
// Persian spelling needs, is kept.
import { Errors, fail } from '../errors/catalogue.ts';

export const MAX_NAME_LENGTH = 200;
export const MAX_DESCRIPTION_LENGTH = 1000;

const ARABIC_TO_PERSIAN: Record<string, string> = { '\u064A': '\u06CC', '\u0643': '\u06A9' };
// C0/C1 controls, line and paragraph separators, and the bidi embedding, override and isolate controls.
const FORBIDDEN = /[\p{Cc}\u2028\u2029\u202A-\u202E\u2066-\u2069]/u;

/** The stored form of a name: trimmed, NFC, Persian letters; refused when empty, too long or unsafe. */
export function normaliseName(value: unknown, field: string, max = MAX_NAME_LENGTH): string {
  if (typeof value !== 'string' || value.trim() === '') fail(Errors.InvalidInput, `${field} is required`);
  const text = value.normalize('NFC').replace(/[\u064A\u0643]/g, (c) => ARABIC_TO_PERSIAN[c]!).trim();
  if (FORBIDDEN.test(text)) fail(Errors.InvalidInput, `${field} contains control or bidirectional-override characters`);
  // Counted in code points, as a person counts letters.
  if ([...text].length > max) fail(Errors.InvalidInput, `${field} is longer than ${max} characters`);
  return text;
}

/** The same for an optional name: absent or blank stays null. */
export function normaliseOptionalName(value: unknown, field: string, max = MAX_NAME_LENGTH): string | null {
  if (value === undefined || value === null || (typeof value === 'string' && value.trim() === '')) return null;
  return normaliseName(value, field, max);
}
