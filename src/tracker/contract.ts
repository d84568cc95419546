// The OpenAPI 3.1 contract of the data tracker's `findUsage`, in the shape of Estonia's data tracker
// (X-Road's findUsage: a subject's personal code, a period, a page of usage entries). The exchange
// enforces it like any contract: the national code is the inquiry's subject (`x-tabadol-subject`),
// so the inquiry is itself recorded under the citizen's keyed hash; input that does not match it is
// refused by the exchange (Client.InvalidRequest) before the tracker sees it; and the answer keeps
// only the fields declared here.
//
// POST with a JSON body rather than GET: the national code then never appears in a URL, which
// browsers, proxies and web servers on the way to a portal tend to log.

export const TRACKER_TITLE = 'Data tracker: who looked up a citizen, when and why (findUsage)';
export const TRACKER_TIMEOUT_MS = 10_000;
export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 20;
/** A cursor is base64url of a short JSON array (see cursor.ts); 400 characters hold any of them. */
export const MAX_CURSOR = 400;

// Latin, Persian (U+06F0–06F9) and Arabic-Indic (U+0660–0669) digits, as people type them.
const D = '[0-9\u06F0-\u06F9\u0660-\u0669]';
const jalaliDate = {
  type: 'string', pattern: `^${D}{4}/${D}{2}/${D}{2}$`,
  description: 'Jalali (Solar Hijri) date, four-digit year, zero-padded: 1403/01/01. The day is taken in Tehran time.',
};
const names = {
  type: 'object',
  properties: { id: { type: 'string' }, nameEn: { type: ['string', 'null'] }, nameFa: { type: ['string', 'null'] } },
};

export const TRACKER_CONTRACT = {
  openapi: '3.1.0',
  info: {
    title: TRACKER_TITLE,
    version: '1',
    description: 'Every exchange whose contract names its subject is findable by that subject, on the central node '
      + 'and on every provincial node: each entry names the node that recorded it. '
      + 'Entries are newest first across all nodes, one page at a time (keyset paging: pass nextCursor as cursor). '
      + 'A node that cannot be searched within a few seconds does not fail the answer: it is named in incomplete. '
      + 'The official\'s user id is shown only to the inspection organisation (the registry group "inspection").',
  },
  paths: {
    '/usage': {
      post: {
        operationId: 'findUsage',
        requestBody: {
          required: true,
          content: { 'application/json': { schema: {
            type: 'object', additionalProperties: false, required: ['nationalCode', 'from', 'to'],
            properties: {
              nationalCode: { type: 'string', pattern: `^${D}{10}$`, 'x-tabadol-subject': true, description: 'The citizen\'s national code (کد ملی)' },
              from: jalaliDate,
              to: jalaliDate,
              limit: { type: 'integer', minimum: 1, maximum: MAX_LIMIT, description: `Entries per page, ${DEFAULT_LIMIT} when absent` },
              cursor: { type: 'string', minLength: 1, maxLength: MAX_CURSOR, pattern: '^[A-Za-z0-9_-]+$', description: 'nextCursor of the previous page' },
            },
          } } },
        },
        responses: {
          '200': {
            description: 'One page of usage entries, newest first',
            content: { 'application/json': { schema: {
              type: 'object', required: ['from', 'to', 'entries', 'nextCursor', 'omitted'],
              properties: {
                from: { type: 'string' },
                to: { type: 'string' },
                nextCursor: { type: ['string', 'null'] },
                omitted: { type: 'string', description: 'What the list leaves out, said in words' },
                incomplete: {
                  type: 'array', items: { type: 'string' },
                  description: 'Nodes that could not be searched now (unreachable, or no answer in time): inquiries recorded there are missing from this page. Empty when every node was searched.',
                },
                entries: {
                  type: 'array',
                  items: {
                    type: 'object',
                    required: ['time', 'timeJalali', 'client', 'service', 'endpoint', 'purpose', 'outcome', 'status', 'requestId'],
                    properties: {
                      time: { type: 'string', description: 'When the inquiry arrived, ISO 8601 UTC' },
                      timeJalali: { type: 'string', description: 'The same instant on Tehran\'s wall clock, Jalali: 1403/05/01 13:45' },
                      client: {
                        type: 'object', description: 'Who asked: the agency (member) and its system (subsystem)',
                        properties: { id: { type: 'string' }, member: names, subsystemName: { type: ['string', 'null'] } },
                      },
                      service: {
                        type: 'object', description: 'What was asked, and of whom',
                        properties: { id: { type: 'string' }, title: { type: ['string', 'null'] }, provider: names },
                      },
                      endpoint: { type: ['string', 'null'], description: 'Method and path template, e.g. GET /persons/{nationalCode}' },
                      purpose: { type: ['string', 'null'], description: 'X-Road-Issue as the caller declared it' },
                      outcome: { enum: ['answered', 'refused'] },
                      status: { type: 'integer' },
                      errorType: { type: ['string', 'null'] },
                      userId: { type: ['string', 'null'], description: 'X-Road-UserId; present only for the inspection organisation' },
                      requestId: { type: 'string', description: 'The node\'s id of the exchange, to cite in a complaint' },
                      node: { type: 'string', description: 'The node that recorded the inquiry: the central node or a provincial node, by its registry id (p23)' },
                    },
                  },
                },
              },
            } } },
          },
          '400': { description: 'Tracker.InvalidInput' },
          '403': { description: 'Tracker.Forbidden: not through this exchange' },
          '503': { description: 'Tracker.Unavailable' },
        },
      },
    },
  },
} as const;
