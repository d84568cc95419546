// The citizen page's form (application/x-www-form-urlencoded, HTML §4.10.21.7), read strictly: only
// its own fields, each once and short; the national code and the dates are checked here so that a
// person gets a message about the field they typed, before anything is asked of the exchange.
import { formatJalali, parseJalali, startOfJalaliDay, type JalaliDate } from '../dates/jalali.ts';
import { isNationalCode, toLatinDigits } from '../identifiers/iran.ts';
import { MAX_CURSOR } from '../tracker/contract.ts';
import { langOf, type Lang } from './citizen-text.ts';

export type Problem = 'badCode' | 'badFrom' | 'badTo' | 'fromAfterTo';

/** What the person typed, as typed (shown again only inside the form's own fields). */
export interface Typed { nationalCode: string; from: string; to: string }

export interface CitizenForm {
  lang: Lang;
  typed: Typed;
  /** The form is not one the page makes (unknown or repeated fields, overlong values). */
  malformed: boolean;
  problems: Problem[];
  /** Present when there is no problem: the question for the tracker, in Latin digits. */
  question?: { nationalCode: string; from: string; to: string; cursor?: string };
}

const LIMITS: Record<string, number> = { nationalCode: 32, from: 32, to: 32, cursor: MAX_CURSOR, lang: 2 };
// Bidi marks travel with text copied from right-to-left pages; spaces with codes copied from documents.
const NOISE = /[\s\u200C-\u200F\u061C\u202A-\u202E\u2066-\u2069-]/g;

function date(text: string): JalaliDate | undefined {
  try {
    return parseJalali(text);
  } catch {
    return undefined;
  }
}

export function readCitizenForm(body: string): CitizenForm {
  const fields = new Map<string, string>();
  let malformed = false;
  for (const [k, v] of new URLSearchParams(body)) {
    const limit = LIMITS[k];
    if (limit === undefined || fields.has(k) || v.length > limit) malformed = true;
    else fields.set(k, v);
  }
  const typed = { nationalCode: fields.get('nationalCode') ?? '', from: fields.get('from') ?? '', to: fields.get('to') ?? '' };
  const lang = langOf(fields.get('lang'));
  const cursor = fields.get('cursor');
  if (cursor !== undefined && !/^[A-Za-z0-9_-]+$/.test(cursor)) malformed = true;
  if (malformed) return { lang, typed, malformed, problems: [] };

  const problems: Problem[] = [];
  const code = toLatinDigits(typed.nationalCode.replace(NOISE, ''));
  if (!isNationalCode(code)) problems.push('badCode');
  const from = date(typed.from);
  const to = date(typed.to);
  if (!from) problems.push('badFrom');
  if (!to) problems.push('badTo');
  if (from && to && startOfJalaliDay(from).getTime() > startOfJalaliDay(to).getTime()) problems.push('fromAfterTo');
  if (problems.length > 0 || !from || !to) return { lang, typed, malformed, problems };
  return {
    lang, typed, malformed, problems,
    question: { nationalCode: code, from: formatJalali(from), to: formatJalali(to), ...(cursor !== undefined ? { cursor } : {}) },
  };
}
