// The overview (/dashboard) and its live figures (/dashboard/api/live, JSON, polled by
// /assets/dashboard.js every few seconds). The period is the current Jalali year up to today unless
// the form asks for another (the same defaults and checks as GET /v1/stats, stats-request.ts, so the
// two give the same numbers); a bad period is said on the page and the default is shown instead.
import type { FastifyInstance } from 'fastify';
import { formatJalali } from '../../../dates/jalali.ts';
import { isTabadolError } from '../../../errors/catalogue.ts';
import { statsRequest } from '../../../oversight/stats-request.ts';
import { pageContext, requireRole, type DashboardDeps } from '../context.ts';
import { digits } from './format.ts';
import { LiveSampler, liveOption, liveTexts } from './live.ts';
import { overviewData, yearToDate } from './overview-data.ts';
import { LIVE_PATH, overviewHtml, type NodeHealth } from './overview-html.ts';
import { renderPage, sendHtml } from './respond.ts';

const TITLE = { fa: 'نمای کلی تبادل', en: 'Exchange overview' };

const BAD_PERIOD = {
  fa: 'تاریخ‌ها را خورشیدی و به شکل سال/ماه/روز بنویسید (مانند ۱۴۰۳/۰۱/۰۱) و «از» را پیش از «تا» بگذارید. سال جاری تا امروز نمایش داده شد.',
  en: 'Write the dates as Jalali year/month/day (e.g. 1403/01/01), with "from" not after "to". The current year to date is shown instead.',
};

export function nodeHealth(deps: DashboardDeps): NodeHealth {
  const s = deps.snapshots?.current;
  const h = deps.nodeHealth?.();
  return {
    nodeId: s ? s.doc.publisher : null,
    snapshotVersion: s?.version ?? null,
    snapshotValidUntil: s?.validUntil ?? null,
    recordWriterOk: h?.recordWriterOk ?? null,
    diskFreeBytes: h?.diskFreeBytes ?? null,
    diskReserveBytes: h?.diskReserveBytes ?? null,
  };
}

export function overviewRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const live = new LiveSampler(deps.stats);
  app.get('/dashboard', { preHandler: requireRole() }, async (req, reply) => {
    const ctx = pageContext(req);
    const q = req.query as { from?: unknown; to?: unknown } | undefined;
    const from = typeof q?.from === 'string' && q.from.trim() !== '' ? q.from : undefined;
    const to = typeof q?.to === 'string' && q.to.trim() !== '' ? q.to : undefined;
    const now = new Date(deps.now());
    let period = yearToDate(now);
    let problem: string | undefined;
    try {
      const r = statsRequest({ from, to }, now);
      period = { from: r.from, to: r.to };
    } catch (e) {
      if (!isTabadolError(e)) throw e;
      problem = BAD_PERIOD[ctx.lang];
    }
    const data = await overviewData(deps, period);
    const typed = problem ? { from: from ?? '', to: to ?? '' } : { from: digits(ctx.lang, formatJalali(period.from)), to: digits(ctx.lang, formatJalali(period.to)) };
    const reading = await live.read(deps.now());
    const body = overviewHtml(ctx.lang, data, nodeHealth(deps), { reading, rates: live.rates() }, deps.now(), typed, problem);
    return sendHtml(reply, problem ? 400 : 200, renderPage(ctx, TITLE, 'overview', body));
  });

  // As /assets/dashboard.js takes it: `option` merged into the live chart, `text` by element id; the
  // reading itself beside them for any other client.
  app.get(LIVE_PATH, { preHandler: requireRole() }, async (req, reply) => {
    const { lang } = pageContext(req);
    const r = await live.read(deps.now());
    return reply.headers({ 'cache-control': 'no-store' }).send({
      at: new Date(r.at).toISOString(), today: r.today, count: r.count, answered: r.answered, refused: r.refused, failed: r.failed,
      option: liveOption(lang, live.rates()), text: liveTexts(lang, r),
    });
  });
}
