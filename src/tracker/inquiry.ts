// One findUsage inquiry: its input read and bounded again (the exchange has checked it against the
// contract; the tracker checks what a pattern cannot: the check digit, real dates, from ≤ to), and
// the page of records turned into the citizen's entries.
import { Errors, fail } from '../errors/catalogue.ts';
import { addJalaliDays, formatInstant, formatJalali, parseJalali, startOfJalaliDay, type JalaliDate } from '../dates/jalali.ts';
import { isNationalCode, toLatinDigits } from '../identifiers/iran.ts';
import { DEFAULT_LIMIT, MAX_CURSOR, MAX_LIMIT } from './contract.ts';
import { decodeCursor, encodeCursor, type Position } from './cursor.ts';
import { memberOf, type Directory } from './directory.ts';
import type { MergedPage } from './node-search.ts';

export interface Inquiry {
  nationalCode: string;
  from: JalaliDate;
  to: JalaliDate;
  fromIso: string;
  toIso: string;
  limit: number;
  after: Position | undefined;
}

const FIELDS = new Set(['nationalCode', 'from', 'to', 'limit', 'cursor']);

function jalali(v: unknown, name: string): JalaliDate {
  if (typeof v !== 'string' || v.length > 20) fail(Errors.TrackerInvalidInput, `${name} must be a Jalali date YYYY/MM/DD`);
  try {
    return parseJalali(v);
  } catch {
    // parseJalali's message quotes the input; the tracker's answers quote nothing the caller sent.
    return fail(Errors.TrackerInvalidInput, `${name} is not a Jalali date YYYY/MM/DD`);
  }
}

/** Reads the inquiry; every refusal names the field, never its value. */
export function readInquiry(body: unknown): Inquiry {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) fail(Errors.TrackerInvalidInput, 'the body must be a JSON object');
  const b = body as Record<string, unknown>;
  for (const k of Object.keys(b)) if (!FIELDS.has(k)) fail(Errors.TrackerInvalidInput, 'the body has a field findUsage does not take');
  if (typeof b.nationalCode !== 'string' || b.nationalCode.length > 20 || !isNationalCode(b.nationalCode)) {
    fail(Errors.TrackerInvalidInput, 'nationalCode is not a national code (10 digits with a valid check digit)');
  }
  const from = jalali(b.from, 'from');
  const to = jalali(b.to, 'to');
  // The period is whole days in Tehran: from the start of `from` to the start of the day after `to`.
  const start = startOfJalaliDay(from);
  const end = startOfJalaliDay(addJalaliDays(to, 1));
  if (start.getTime() >= end.getTime()) fail(Errors.TrackerInvalidInput, 'from is after to');
  const limit = b.limit === undefined ? DEFAULT_LIMIT : b.limit;
  if (typeof limit !== 'number' || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) fail(Errors.TrackerInvalidInput, `limit must be 1 to ${MAX_LIMIT}`);
  let after: Position | undefined;
  if (b.cursor !== undefined) {
    if (typeof b.cursor !== 'string' || b.cursor.length > MAX_CURSOR) fail(Errors.TrackerInvalidInput, 'the cursor is not one this tracker gave');
    after = decodeCursor(b.cursor);
  }
  return {
    nationalCode: toLatinDigits(b.nationalCode as string),
    from, to, fromIso: start.toISOString(), toIso: end.toISOString(), limit, after,
  };
}

export const OMITTED = 'Inquiries of this data tracker made by the calling system itself are not listed (each look at the list would add one); '
  + 'inquiries of it by any other system, the inspection organisation included, are. '
  + 'Refusals made before the exchange read the inquiry (no access right, malformed input) name no citizen and so cannot be listed. '
  + 'An inquiry between two nodes is listed once, as the asking agency\'s node recorded it, or, when that node is named in incomplete, '
  + 'as the provider\'s node recorded it (its node); nodes named in incomplete could not be searched now.';

function names(id: string, dir: Directory) {
  const m = dir.members[id];
  return { id, nameEn: m?.nameEn ?? null, nameFa: m?.nameFa ?? null };
}

/**
 * One page of entries from rows merged across nodes (mergePage: newest first, where it goes on). `inspector`:
 * the caller is the inspection organisation, which alone is shown the official's user id; for
 * everyone else the field is absent, not emptied. `incomplete`: the nodes that could not be searched.
 */
export function usagePage(merged: MergedPage, q: Inquiry, dir: Directory, inspector: boolean, incomplete: string[] = []) {
  const page = merged.rows;
  return {
    from: formatJalali(q.from),
    to: formatJalali(q.to),
    nextCursor: merged.next ? encodeCursor(merged.next) : null,
    omitted: OMITTED,
    incomplete,
    entries: page.map((r) => {
      const client = r.client ?? '';
      const service = r.service ?? '';
      const provider = dir.services[service]?.providerId ?? service.split('/').slice(0, 4).join('/');
      return {
        time: r.time_in,
        timeJalali: formatInstant(new Date(r.time_in)),
        client: { id: client, member: names(memberOf(client), dir), subsystemName: dir.subsystems[client]?.name ?? null },
        service: { id: service, title: dir.services[service]?.title ?? null, provider: names(memberOf(provider), dir) },
        endpoint: r.endpoint,
        purpose: r.issue,
        // The exchange's own refusals and failures carry an error type; a provider's answer, even a
        // 404 "no such person", does not: the provider was asked and answered.
        outcome: r.error_type === null ? 'answered' as const : 'refused' as const,
        status: r.status,
        errorType: r.error_type,
        ...(inspector ? { userId: r.user_id } : {}),
        requestId: r.request_id,
        node: r.node,
      };
    }),
  };
}
