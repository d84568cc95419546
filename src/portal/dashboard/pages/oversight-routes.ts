// The oversight pages (every role reads): SLA compliance of a closed Jalali month, mandates as of
// today, the inspectors' violations list of a closed month (with its printable Persian document and
// CSV as downloads), the UN survey tracker for the year so far, the open-data catalogue and the
// yearly report. A bad month or year is shown on the page with the chooser, never as a bare code.
//
// The printable documents carry their own A4 print styles in a <style> element, which the portal's
// CSP (no inline style) would not apply inside the portal: they are served as attachments
// (Content-Disposition, RFC 6266), opened from the person's own disk with their styles, and printed
// to paper or PDF by the browser.
import type { FastifyInstance, FastifyReply } from 'fastify';
import { isTabadolError } from '../../../errors/catalogue.ts';
import { lastClosedMonth, monthLabel, parseJalaliMonth, type JalaliMonth } from '../../../compliance/jalali-month.ts';
import { mandateStatusesNow } from '../../../compliance/mandate-status.ts';
import { surveyStatus } from '../../../compliance/survey-status.ts';
import { violationsCsv } from '../../../compliance/violations-csv.ts';
import { violationsHtml } from '../../../compliance/violations-html.ts';
import { violationsReport } from '../../../compliance/violations.ts';
import { instantToJalali } from '../../../dates/jalali.ts';
import { reportHtml } from '../../../oversight/report-html.ts';
import { reportFromRegistry } from '../../../oversight/report-source.ts';
import { reportYear } from '../../../oversight/report.ts';
import { pageContext, requireRole, type DashboardDeps, type PageContext } from '../context.ts';
import { digits, type Lang } from './format.ts';
import {
  mandatesHtml, openDataHtml, OVERSIGHT_PATHS, OVERSIGHT_TITLES, periodForm, reportPageHtml, slaHtml, surveyHtml, violationsPageHtml,
} from './oversight-html.ts';
import { renderPage, sendHtml } from './respond.ts';
import { yearToDate } from './overview-data.ts';

const BAD_MONTH = {
  fa: 'ماه را به شکل سال/ماه خورشیدی بنویسید، مانند ۱۴۰۳/۰۷، و ماهی را انتخاب کنید که پایان یافته است. ماه پیش نمایش داده شد.',
  en: 'Write the month as a Jalali year/month, e.g. 1403/07, and choose a month that is over. The last month is shown instead.',
};
const BAD_YEAR = {
  fa: 'سال را چهاررقمی و خورشیدی بنویسید، از ۱۳۰۰ تا ۱۴۹۹، مانند ۱۴۰۳. سال جاری نمایش داده شد.',
  en: 'Write the year as four Jalali digits, 1300 to 1499, e.g. 1403. The current year is shown instead.',
};

type Query = { month?: unknown; year?: unknown } | undefined;

export function oversightRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const anyone = { preHandler: requireRole() };
  const now = () => new Date(deps.now());
  const page = (ctx: PageContext, key: keyof typeof OVERSIGHT_TITLES, active: string, body: string) => renderPage(ctx, OVERSIGHT_TITLES[key], active, body);
  const names = async () => new Map((await deps.registry.listMembers()).map((m) => [m.id, { name: m.name, nameFa: m.name_fa }]));

  /** The month asked for, or the last closed one with the reason it was not taken. */
  const monthOf = (q: Query, lang: Lang): { month: JalaliMonth; typed: string; problem?: string } => {
    const last = lastClosedMonth(now());
    if (typeof q?.month !== 'string' || q.month.trim() === '') return { month: last, typed: digits(lang, monthLabel(last)) };
    try {
      const m = parseJalaliMonth(q.month);
      if (monthLabel(m) > monthLabel(last)) return { month: last, typed: q.month, problem: BAD_MONTH[lang] };
      return { month: m, typed: q.month };
    } catch (e) {
      if (!isTabadolError(e)) throw e;
      return { month: last, typed: q.month, problem: BAD_MONTH[lang] };
    }
  };
  const yearOf = (q: Query, lang: Lang): { year: number; typed: string; problem?: string } => {
    const current = instantToJalali(now()).year;
    if (typeof q?.year !== 'string' || q.year.trim() === '') return { year: current, typed: digits(lang, current) };
    try {
      return { year: reportYear(q.year), typed: q.year };
    } catch (e) {
      if (!isTabadolError(e)) throw e;
      return { year: current, typed: q.year, problem: BAD_YEAR[lang] };
    }
  };
  const mandateContext = () => ({ registry: deps.registry, rollups: deps.compliance.stats, openDataDatasets: () => deps.openData.datasetCount() });

  app.get('/dashboard/oversight', anyone, async (_req, reply) => reply.status(303).headers({ location: OVERSIGHT_PATHS.sla }).send());

  app.get(OVERSIGHT_PATHS.sla, anyone, async (req, reply) => {
    const ctx = pageContext(req);
    const m = monthOf(req.query as Query, ctx.lang);
    const results = await deps.compliance.verdicts(deps.registry, m.month, now());
    const body = periodForm(ctx.lang, OVERSIGHT_PATHS.sla, { name: 'month', value: m.typed, ...(m.problem ? { problem: m.problem } : {}) })
      + slaHtml(ctx.lang, monthLabel(m.month), results, await names());
    return sendHtml(reply, m.problem ? 400 : 200, page(ctx, 'sla', 'sla', body));
  });

  app.get(OVERSIGHT_PATHS.mandates, anyone, async (req, reply) => {
    const ctx = pageContext(req);
    return sendHtml(reply, 200, page(ctx, 'mandates', 'mandates', mandatesHtml(ctx.lang, await mandateStatusesNow(mandateContext(), now()))));
  });

  const violations = async (q: Query, lang: Lang) => {
    const m = monthOf(q, lang);
    return { m, report: await violationsReport(deps.compliance, mandateContext(), m.month, now()) };
  };
  app.get(OVERSIGHT_PATHS.violations, anyone, async (req, reply) => {
    const ctx = pageContext(req);
    const { m, report } = await violations(req.query as Query, ctx.lang);
    const body = periodForm(ctx.lang, OVERSIGHT_PATHS.violations, { name: 'month', value: m.typed, ...(m.problem ? { problem: m.problem } : {}) }) + violationsPageHtml(ctx.lang, report);
    return sendHtml(reply, m.problem ? 400 : 200, page(ctx, 'violations', 'violations', body));
  });
  const attachment = (reply: FastifyReply, type: string, name: string, body: string) =>
    reply.status(200).headers({ 'cache-control': 'no-store', 'content-disposition': `attachment; filename="${name}"` }).type(type).send(body);
  app.get(OVERSIGHT_PATHS.violationsDocument, anyone, async (req, reply) => {
    const { report } = await violations(req.query as Query, pageContext(req).lang);
    return attachment(reply, 'text/html; charset=utf-8', `violations-${report.month.replace('/', '-')}.html`, violationsHtml(report));
  });
  app.get(OVERSIGHT_PATHS.violationsCsv, anyone, async (req, reply) => {
    const { report } = await violations(req.query as Query, pageContext(req).lang);
    return attachment(reply, 'text/csv; charset=utf-8; header=present', `violations-${report.month.replace('/', '-')}.csv`, violationsCsv(report));
  });

  app.get(OVERSIGHT_PATHS.survey, anyone, async (req, reply) => {
    const ctx = pageContext(req);
    return sendHtml(reply, 200, page(ctx, 'survey', 'survey', surveyHtml(ctx.lang, await surveyStatus(deps.stats, deps.registry, yearToDate(now())))));
  });

  app.get(OVERSIGHT_PATHS.openData, anyone, async (req, reply) => {
    const ctx = pageContext(req);
    return sendHtml(reply, 200, page(ctx, 'openData', 'open-data', openDataHtml(ctx.lang, deps.openData.publishedMonths(), deps.openData.datasetCount())));
  });

  app.get(OVERSIGHT_PATHS.report, anyone, async (req, reply) => {
    const ctx = pageContext(req);
    const y = yearOf(req.query as Query, ctx.lang);
    const report = await reportFromRegistry(deps.stats, deps.registry, y.year);
    const body = periodForm(ctx.lang, OVERSIGHT_PATHS.report, { name: 'year', value: y.typed, ...(y.problem ? { problem: y.problem } : {}) }) + reportPageHtml(ctx.lang, report);
    return sendHtml(reply, y.problem ? 400 : 200, page(ctx, 'report', 'report', body));
  });
  app.get(OVERSIGHT_PATHS.reportDocument, anyone, async (req, reply) => {
    const y = yearOf(req.query as Query, pageContext(req).lang);
    const report = await reportFromRegistry(deps.stats, deps.registry, y.year);
    return attachment(reply, 'text/html; charset=utf-8', `report-${y.year}.html`, reportHtml(report, now()));
  });
}
