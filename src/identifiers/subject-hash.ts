// The subject of an inquiry (the citizen it is about) as the records keep it: a keyed hash, never
// the identifier itself. One function, so that the data plane (which records it) and the data
// tracker (which looks records up by it) can never drift apart: a change here would make every
// earlier record unfindable, so it is a change of format, not a tidy-up.
import { createHmac } from 'node:crypto';
import { normalizeDigits } from '../dates/jalali.ts';

/**
 * HMAC-SHA-256 (RFC 2104) with the node's subject key over the value as text, Persian and
 * Arabic-Indic digits read as Latin and surrounding whitespace removed (so `۰۰۱۲۳۴۵۶۷۹` and
 * `0012345679` are one subject); base64url without padding.
 */
export function subjectHash(subjectKey: Buffer, value: unknown): string {
  return createHmac('sha256', subjectKey).update(normalizeDigits(String(value)).trim()).digest('base64url');
}
