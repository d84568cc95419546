// /dashboard/nodes: the exchange's nodes as the central node sees them, for the operators who run
// them and the working group (inspectors are refused: the page names addresses and keys of the
// network, not oversight figures). Read only: it changes nothing and asks no node anything; every
// figure comes from what the centre keeps (nodes-data.ts). The period of the shares is this Jalali
// month to date unless the form asks for another, checked as GET /v1/stats checks it.
import type { FastifyInstance } from 'fastify';
import { formatJalali, instantToJalali } from '../../../dates/jalali.ts';
import { isTabadolError } from '../../../errors/catalogue.ts';
import { statsRequest } from '../../../oversight/stats-request.ts';
import { pageContext, requireRole, type DashboardDeps } from '../context.ts';
import { digits } from './format.ts';
import { monthToDate, nodesData } from './nodes-data.ts';
import { NODES_PATH, nodesHtml } from './nodes-html.ts';
import { renderPage, sendHtml } from './respond.ts';

const TITLE = { fa: 'گره‌های تبادل', en: 'The exchange\'s nodes' };

const BAD_PERIOD = {
  fa: 'تاریخ‌ها را خورشیدی و به شکل سال/ماه/روز بنویسید (مانند ۱۴۰۳/۰۷/۰۱) و «از» را پیش از «تا» بگذارید. ماه جاری تا امروز نمایش داده شد.',
  en: 'Write the dates as Jalali year/month/day (e.g. 1403/07/01), with "from" not after "to". This month to date is shown instead.',
};

export function nodesRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get(NODES_PATH, { preHandler: requireRole('operator', 'overseer') }, async (req, reply) => {
    const ctx = pageContext(req);
    const q = req.query as { from?: unknown; to?: unknown } | undefined;
    const typedFrom = typeof q?.from === 'string' && q.from.trim() !== '' ? q.from : undefined;
    const typedTo = typeof q?.to === 'string' && q.to.trim() !== '' ? q.to : undefined;
    const now = new Date(deps.now());
    let period = monthToDate(instantToJalali(now));
    let problem: string | undefined;
    if (typedFrom !== undefined || typedTo !== undefined) {
      try {
        // A date left out is the default's: the month's first day, or today.
        const r = statsRequest({ from: typedFrom ?? formatJalali(period.from), to: typedTo }, now);
        period = { from: r.from, to: r.to };
      } catch (e) {
        if (!isTabadolError(e)) throw e;
        problem = BAD_PERIOD[ctx.lang];
      }
    }
    const data = await nodesData(deps, period);
    const typed = problem ? { from: typedFrom ?? '', to: typedTo ?? '' } : { from: digits(ctx.lang, data.from), to: digits(ctx.lang, data.to) };
    return sendHtml(reply, problem ? 400 : 200, renderPage(ctx, TITLE, 'nodes', nodesHtml(ctx.lang, data, typed, problem)));
  });
}
