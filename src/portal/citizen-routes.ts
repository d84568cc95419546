// The citizen's "who looked me up" pages on the portal, behind the DEVELOPMENT STAND-IN for the
// national login (citizen-stand-in.ts):
//
//   GET  /citizen             the stand-in login: national code and a period (the last 30 days)
//   POST /citizen/usage       the list, one page of the data tracker's answer; "more" re-posts
//   GET  /citizen/usage       back to the form (a bookmark or a reload without the form)
//   GET  /citizen/citizen.css the pages' stylesheet
//
// The national code never enters a URL (browsers, proxies and servers log URLs): the form is POSTed
// and paging re-posts it with the tracker's cursor in a hidden field. It is never logged, and never
// written back into a page except as the value of the form's own field. Every page is
// `Cache-Control: no-store` (RFC 9111 §5.2.2.5): a shared computer's cache or back button must not
// keep one person's list for the next.
//
// Cross-site posts are refused (Fetch Metadata `Sec-Fetch-Site`, else `Origin`, RFC 6454 §7.3).
// There is no session or cookie for a forged request to ride, so this is not the classic CSRF
// defence; it keeps another site from making a visitor's browser look up a code of its choosing
// through this portal (each look is recorded against that citizen and spends the visitor's rate),
// and it is in place before the national login brings a session that would make such a post
// dangerous. A client that sends neither header (curl, a test) is not a browser on another site.
import { randomUUID } from 'node:crypto';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import { addJalaliDays, formatJalali, instantToJalali } from '../dates/jalali.ts';
import { Errors, isTabadolError, TabadolError } from '../errors/catalogue.ts';
import { CITIZEN_CSS } from './citizen-css.ts';
import { readCitizenForm } from './citizen-form.ts';
import { CITIZEN_CSS_PATH, CITIZEN_PATH, CITIZEN_POST_PATH, formPage, listPage, refusalPage } from './citizen-html.ts';
import type { TrackerAnswer, UsageQuestion } from './citizen-tracker-client.ts';
import { langOf, TEXT, type Lang } from './citizen-text.ts';

/** The form is four short fields and a cursor of at most 400 characters: 1 KB holds any of them. */
export const MAX_FORM_BYTES = 1024;
/** The default period: the last 30 days, today included. */
const DEFAULT_DAYS = 30;

export interface CitizenRoutesOptions {
  tracker: { find(q: UsageQuestion, detail: string): Promise<TrackerAnswer> };
  now: () => number;
  log: Logger;
}

/** Whether a form post came from a page of this portal; see the file's comment for why it matters. */
export function sameOriginPost(req: FastifyRequest): boolean {
  const site = req.headers['sec-fetch-site'];
  // Fetch Metadata, when the browser sends it, is the answer: under Referrer-Policy no-referrer a
  // browser sends `Origin: null` even on a same-origin POST (Fetch §3.1), so Origin is read only
  // from clients that send no Sec-Fetch-Site.
  if (site !== undefined) return site === 'same-origin';
  const origin = req.headers.origin;
  if (origin === undefined) return true;
  if (typeof origin !== 'string' || origin === 'null') return false; // an opaque origin: a sandboxed or foreign document
  let host: string;
  try {
    host = new URL(origin).host;
  } catch {
    return false;
  }
  return host.toLowerCase() === (req.headers.host ?? '').toLowerCase();
}

function html(reply: FastifyReply, status: number, body: string) {
  return reply.status(status).headers({ 'cache-control': 'no-store' }).type('text/html; charset=utf-8').send(body);
}

function queryLang(req: FastifyRequest): Lang {
  return langOf((req.query as { lang?: unknown } | undefined)?.lang);
}

export function citizenRoutes(o: CitizenRoutesOptions): FastifyPluginAsync {
  return async (app) => {
    // Scoped to this plugin: the rest of the portal still takes no body at all.
    app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: MAX_FORM_BYTES }, (_req, body, done) => { done(null, body); });

    // Refusals on these routes are pages a person can read, in the page's language where it is known.
    app.setErrorHandler((err, req, reply) => {
      const code = (err as { code?: unknown }).code;
      const status = (err as { statusCode?: unknown }).statusCode;
      const e = isTabadolError(err) ? err
        : code === 'FST_ERR_CTP_BODY_TOO_LARGE' ? new TabadolError(Errors.PortalPayloadTooLarge, `${MAX_FORM_BYTES} bytes at most`)
          : code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE' ? new TabadolError(Errors.PortalUnsupportedMediaType)
            : typeof status === 'number' && status >= 400 && status < 500 ? new TabadolError(Errors.PortalBadRequest)
              : new TabadolError(Errors.PortalInternalError, undefined, { cause: err });
      const detail = randomUUID();
      const route = req.routeOptions.url ?? 'unmatched';
      if (e.status >= 500) o.log.error({ err, detail, route }, 'portal failed');
      else o.log.debug({ type: e.type, status: e.status, detail, route }, 'portal refused a request');
      const lang = queryLang(req);
      const t = TEXT[lang];
      const text = e.spec === Errors.PortalCrossSite ? t.crossSite
        : e.spec === Errors.PortalPayloadTooLarge ? t.tooLarge
          : e.spec === Errors.PortalUnsupportedMediaType ? t.mediaType
            : e.status >= 500 ? t.failed : t.badForm;
      return html(reply, e.status, refusalPage(lang, { title: t.refusedTitle, text, type: e.type, detail }));
    });

    app.get(CITIZEN_CSS_PATH, async (_req, reply) =>
      reply.headers({ 'cache-control': 'public, max-age=3600' }).type('text/css; charset=utf-8').send(CITIZEN_CSS));

    app.get(CITIZEN_PATH, async (req, reply) => {
      const lang = queryLang(req);
      const today = instantToJalali(new Date(o.now()));
      const digits = lang === 'fa' ? 'persian' : 'latin';
      const typed = { nationalCode: '', from: formatJalali(addJalaliDays(today, 1 - DEFAULT_DAYS), { digits }), to: formatJalali(today, { digits }) };
      return html(reply, 200, formPage({ lang, typed }));
    });

    // 303 (RFC 9110 §15.4.4): a GET of the list's address goes back to the form.
    app.get(CITIZEN_POST_PATH, async (req, reply) =>
      reply.status(303).headers({ 'cache-control': 'no-store', location: `${CITIZEN_PATH}${queryLang(req) === 'en' ? '?lang=en' : ''}` }).send());

    app.post(CITIZEN_POST_PATH, {
      // Before the body is read: a cross-site post is refused without looking at what it carries.
      onRequest: async (req) => {
        if (!sameOriginPost(req)) throw new TabadolError(Errors.PortalCrossSite);
      },
    }, async (req, reply) => {
      const form = readCitizenForm(typeof req.body === 'string' ? req.body : '');
      const { lang, typed } = form;
      const t = TEXT[lang];
      if (form.malformed) {
        return html(reply, Errors.PortalCitizenInvalidInput.status, formPage({
          lang, typed, notice: { title: t.refusedTitle, text: t.badForm, type: Errors.PortalCitizenInvalidInput.type },
        }));
      }
      if (!form.question) return html(reply, Errors.PortalCitizenInvalidInput.status, formPage({ lang, typed, problems: form.problems }));
      const detail = randomUUID();
      const answer = await o.tracker.find(form.question, detail);
      if (answer.kind === 'page') {
        const { nationalCode, from, to } = form.question;
        return html(reply, 200, listPage({ lang, typed, question: { nationalCode, from, to }, page: answer.page }));
      }
      if (answer.kind === 'invalid') {
        return html(reply, Errors.PortalCitizenInvalidInput.status, formPage({
          lang, typed, notice: { title: t.refusedTitle, text: t.badForm, type: Errors.PortalCitizenInvalidInput.type, detail },
        }));
      }
      return html(reply, Errors.PortalTrackerUnavailable.status, formPage({
        lang, typed, notice: { title: t.unavailableTitle, text: t.unavailable, type: Errors.PortalTrackerUnavailable.type, detail },
      }));
    });
  };
}
