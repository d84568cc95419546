// The overview page's body: headline figures, inquiries per day of the month and per month, the
// shares of provider and consumer agencies, visits and letters avoided, this node's health, and the
// live traffic block the client script keeps up to date from /dashboard/api/live.
import { chart, code, dec, digits, esc, figure, figures, jsonBlock, monthName, ms, named, notice, num, pct, table, when, type Lang } from './format.ts';
import { LIVE_IDS, liveOption, liveTexts, type LiveReading } from './live.ts';
import type { OverviewData, Share } from './overview-data.ts';

export const LIVE_PATH = '/dashboard/api/live';

export interface NodeHealth {
  nodeId: string | null;
  snapshotVersion: number | null;
  /** Epoch ms the snapshot in force expires. */
  snapshotValidUntil: number | null;
  /** null: not known to the portal. */
  recordWriterOk: boolean | null;
  diskFreeBytes: number | null;
  diskReserveBytes: number | null;
}

const T = {
  fa: {
    title: 'نمای کلی', period: (f: string, t: string) => `دوره: ${f} تا ${t}`,
    periodHint: 'دورهٔ دیگری را با تاریخ خورشیدی (مانند ۱۴۰۳/۰۱/۰۱) انتخاب کنید.', from: 'از', to: 'تا', show: 'نمایش',
    inquiries: 'استعلام', success: 'پاسخ‌داده‌شده', p50: 'زمان پاسخ (میانه)', p95: 'زمان پاسخ (صدک ۹۵)', growth: 'رشد نسبت به دورهٔ قبل',
    visits: 'مراجعهٔ حضوری کمتر', letters: 'نامهٔ کاغذی کمتر',
    perDay: 'استعلام‌ها در هر روز این ماه', perMonth: 'استعلام‌ها در هر ماه', day: 'روز', month: 'ماه', answered: 'پاسخ‌داده‌شده',
    providers: 'سهم دستگاه‌های ارائه‌دهنده', consumers: 'سهم دستگاه‌های استعلام‌کننده', agency: 'دستگاه', share: 'سهم',
    noTraffic: 'در این دوره استعلامی ثبت نشده است', noTrafficText: 'دورهٔ دیگری را انتخاب کنید، یا چند استعلام از طریق گره بفرستید تا آمار آن اینجا دیده شود.',
    avoidedTitle: 'مراجعات و نامه‌های کاهش‌یافته', notDeclared: 'هیچ خدمتی اعلام نکرده است که هر استعلام جای چند مراجعه و نامه را می‌گیرد',
    notDeclaredText: 'گرداننده یا کارگروه صرفه‌جویی هر خدمت را با «tabadol savings set» روی گره اعلام می‌کند.',
    nodes: 'گره‌ها و سلامت آن‌ها', oneNode: 'این شبکه فعلاً یک گره دارد؛ گره‌های استانی پس از راه‌اندازی اینجا فهرست می‌شوند.',
    node: 'گره', snapshot: 'نسخهٔ پیکربندی امضاشده', expires: 'انقضای پیکربندی', writer: 'ثبت سوابق', disk: 'فضای ذخیرهٔ دیسک',
    ok: 'سالم', notOk: 'مشکل دارد', unknown: 'نامعلوم', expired: 'منقضی شده: گره استعلام‌ها را رد می‌کند',
    free: (f: string, r: string) => `${f} آزاد، ذخیرهٔ لازم ${r}`,
    live: 'ترافیک زنده', liveIntro: 'هر پنج ثانیه به‌روز می‌شود، بی‌آنکه صفحه دوباره بارگذاری شود؛ نقطهٔ نارنجی یعنی آخرین به‌روزرسانی نرسید و صفحه دوباره تلاش می‌کند.', liveAt: 'آخرین خوانش:',
    liveToday: 'استعلام‌های امروز تاکنون', liveChart: 'شمار استعلام در دقیقه در چند دقیقهٔ اخیر، از زمانی که این صفحه باز است',
    refused: 'ردشده', failed: 'خطا', service: 'خدمات',
  },
  en: {
    title: 'Overview', period: (f: string, t: string) => `Period: ${f} to ${t}`,
    periodHint: 'Choose another period with Jalali dates (e.g. 1403/01/01).', from: 'From', to: 'To', show: 'Show',
    inquiries: 'Inquiries', success: 'Answered', p50: 'Response time (median)', p95: 'Response time (95th percentile)', growth: 'Growth on the period before',
    visits: 'In-person visits avoided', letters: 'Paper letters avoided',
    perDay: 'Inquiries per day this month', perMonth: 'Inquiries per month', day: 'Day', month: 'Month', answered: 'Answered',
    providers: 'Shares of provider agencies', consumers: 'Shares of consumer agencies', agency: 'Agency', share: 'Share',
    noTraffic: 'No inquiries were recorded in this period', noTrafficText: 'Choose another period, or send a few inquiries through the node to see them counted here.',
    avoidedTitle: 'Visits and letters avoided', notDeclared: 'No service has declared the visits and letters an answered inquiry replaces',
    notDeclaredText: 'An operator or the working group declares each service\'s savings with "tabadol savings set" on the node.',
    nodes: 'Nodes and their health', oneNode: 'The network has one node for now; provincial nodes will be listed here once they run.',
    node: 'Node', snapshot: 'Signed configuration version', expires: 'Configuration expires', writer: 'Record writer', disk: 'Disk reserve',
    ok: 'healthy', notOk: 'failing', unknown: 'unknown', expired: 'expired: the node refuses inquiries',
    free: (f: string, r: string) => `${f} free, ${r} reserve required`,
    live: 'Live traffic', liveIntro: 'Updates every five seconds without reloading the page; an orange dot means the last update did not arrive and the page keeps trying.', liveAt: 'Last reading:',
    liveToday: 'Inquiries today so far', liveChart: 'Inquiries per minute over the last minutes, since this page was opened',
    refused: 'Refused', failed: 'Failed', service: 'services',
  },
} as const;

const gb = (lang: Lang, bytes: number) => `${dec(lang, bytes / 1024 ** 3)} GB`;

/** The biggest slices and the rest together, so a pie stays readable. */
function pie(lang: Lang, list: readonly Share[]): { labels: string[]; values: number[] } {
  const top = list.slice(0, 8);
  const rest = list.slice(8).reduce((n, s) => n + s.count, 0);
  const label = (s: Share) => (lang === 'fa' ? s.nameFa ?? s.name ?? s.id : s.name ?? s.nameFa ?? s.id);
  return { labels: [...top.map(label), ...(rest > 0 ? [lang === 'fa' ? 'سایر' : 'Others'] : [])], values: [...top.map((s) => s.count), ...(rest > 0 ? [rest] : [])] };
}

/** A pie of agencies' shares with its table: every agency in the table, the biggest in the pie. */
function sharesChart(lang: Lang, id: string, title: string, list: readonly Share[]): string {
  const t = T[lang];
  const p = pie(lang, list);
  return chart({ id, kind: 'pie', title, labels: p.labels, series: [{ name: t.inquiries, values: p.values }] }, {
    columns: [{ head: t.agency }, { head: t.inquiries, numeric: true }, { head: t.share, numeric: true }],
    rows: list.map((s) => [named(lang, s.id, s.name, s.nameFa), num(lang, s.count), pct(lang, s.share)]), empty: t.noTrafficText,
  }, lang);
}

export function healthHtml(lang: Lang, h: NodeHealth, now: number): string {
  const t = T[lang];
  const state = (ok: boolean | null) => (ok === null ? t.unknown : ok ? t.ok : t.notOk);
  const expired = h.snapshotValidUntil !== null && h.snapshotValidUntil <= now;
  const disk = h.diskFreeBytes === null || h.diskReserveBytes === null ? t.unknown
    : `${state(h.diskFreeBytes > h.diskReserveBytes)} — ${t.free(gb(lang, h.diskFreeBytes), gb(lang, h.diskReserveBytes))}`;
  const rows = [[
    h.nodeId === null ? t.unknown : code(h.nodeId),
    h.snapshotVersion === null ? t.unknown : num(lang, h.snapshotVersion),
    h.snapshotValidUntil === null ? t.unknown : `${when(lang, new Date(h.snapshotValidUntil))}${expired ? ` — <strong>${esc(t.expired)}</strong>` : ''}`,
    esc(state(h.recordWriterOk)),
    esc(disk),
  ]];
  return `<section aria-labelledby="nodes-h"><h2 id="nodes-h">${esc(t.nodes)}</h2>`
    + table(t.nodes, [{ head: t.node }, { head: t.snapshot, numeric: true }, { head: t.expires }, { head: t.writer }, { head: t.disk }], rows, '', { hideCaption: true })
    + `<p class="hint">${esc(t.oneNode)}</p></section>`;
}

export function liveHtml(lang: Lang, reading: LiveReading, rates: readonly { at: number; perMinute: number }[]): string {
  const t = T[lang];
  const x = liveTexts(lang, reading);
  const b = (id: string) => `<b id="${id}">${esc(x[id] ?? '–')}</b>`;
  // The client script polls LIVE_PATH and replaces these texts and the chart; without it the page shows the reading of its load.
  return `<section aria-labelledby="live-h" class="live">`
    + `<h2 id="live-h"><span class="live-dot" data-live-status aria-hidden="true"></span>${esc(t.live)}</h2><p class="hint">${esc(t.liveIntro)} ${esc(t.liveAt)} ${b(LIVE_IDS.at)}</p>`
    + `<p aria-live="polite" aria-atomic="true">${esc(t.liveToday)}: ${b(LIVE_IDS.count)} · ${esc(t.answered)} ${b(LIVE_IDS.answered)} (${b(LIVE_IDS.success)})`
    + ` · ${esc(t.refused)} ${b(LIVE_IDS.refused)} · ${esc(t.failed)} ${b(LIVE_IDS.failed)}</p>`
    + `<div class="chart chart-small" dir="ltr" data-chart="${LIVE_IDS.chart}" role="img" aria-label="${esc(t.liveChart)}" data-live="${LIVE_PATH}" data-live-every="5"></div>`
    + jsonBlock(LIVE_IDS.chart, liveOption(lang, rates)) + `<p class="hint">${esc(t.liveChart)}</p></section>`;
}

export interface LiveView { reading: LiveReading; rates: readonly { at: number; perMinute: number }[] }

export function overviewHtml(lang: Lang, d: OverviewData, health: NodeHealth, live: LiveView, now: number, typed: { from: string; to: string }, problem?: string): string {
  const t = T[lang];
  const form = `<form method="get" action="/dashboard" class="toolbar"><fieldset><legend>${esc(t.period(digits(lang, d.from), digits(lang, d.to)))}</legend>`
    + `<label>${esc(t.from)} <input name="from" value="${esc(typed.from)}" inputmode="numeric" dir="ltr" aria-describedby="period-hint"></label> `
    + `<label>${esc(t.to)} <input name="to" value="${esc(typed.to)}" inputmode="numeric" dir="ltr" aria-describedby="period-hint"></label> `
    + `<button type="submit">${esc(t.show)}</button><p id="period-hint" class="hint">${esc(t.periodHint)}</p></fieldset></form>`
    + (problem ? notice('error', lang === 'fa' ? 'دوره پذیرفته نشد' : 'The period was not accepted', problem) : '');
  const tot = d.total;
  const growth = tot.growth === null || tot.growth === undefined ? '–' : `${tot.growth >= 0 ? '+' : '−'}${pct(lang, Math.abs(tot.growth))}`;
  const heads = figures([
    figure(t.inquiries, `<span data-figure="inquiries">${num(lang, tot.count)}</span>`),
    figure(t.success, pct(lang, tot.successRate)),
    figure(t.p50, ms(lang, tot.p50Ms)),
    figure(t.p95, ms(lang, tot.p95Ms)),
    figure(t.growth, growth),
    figure(t.visits, num(lang, d.avoided.total.visits)),
    figure(t.letters, num(lang, d.avoided.total.letters)),
  ]);
  const counts = [{ head: t.inquiries, numeric: true }, { head: t.answered, numeric: true }];
  const traffic = tot.count === 0 ? notice('empty', t.noTraffic, t.noTrafficText) : [
    chart({ id: 'chart-days', kind: 'bar', title: t.perDay, labels: d.days.map((x) => digits(lang, x.day.slice(8))), series: [{ name: t.inquiries, values: d.days.map((x) => x.count) }, { name: t.answered, values: d.days.map((x) => x.answered) }] },
      { columns: [{ head: t.day }, ...counts], rows: d.days.map((x) => [digits(lang, x.day), num(lang, x.count), num(lang, x.answered)]), empty: t.noTrafficText }, lang),
    chart({ id: 'chart-months', kind: 'line', title: t.perMonth, labels: d.months.map((x) => monthName(lang, x.month)), series: [{ name: t.inquiries, values: d.months.map((x) => x.count) }, { name: t.answered, values: d.months.map((x) => x.answered) }] },
      { columns: [{ head: t.month }, ...counts], rows: d.months.map((x) => [esc(monthName(lang, x.month)), num(lang, x.count), num(lang, x.answered)]), empty: t.noTrafficText }, lang),
    `<div class="grid-2">${sharesChart(lang, 'chart-providers', t.providers, d.providers)}${sharesChart(lang, 'chart-consumers', t.consumers, d.consumers)}</div>`,
  ].join('');
  const av = d.avoided;
  const avoided = `<section aria-labelledby="avoided-h"><h2 id="avoided-h">${esc(t.avoidedTitle)}</h2>`
    + (av.agencies.every((a) => a.visits === 0 && a.letters === 0) && av.total.answeredNotDeclared === av.total.answered
      ? notice('empty', t.notDeclared, t.notDeclaredText)
      : table(t.avoidedTitle, [{ head: t.agency }, { head: t.answered, numeric: true }, { head: t.visits, numeric: true }, { head: t.letters, numeric: true }],
        av.agencies.filter((a) => a.answered > 0).map((a) => [named(lang, a.memberId, a.name, a.nameFa), num(lang, a.answered), num(lang, a.visits), num(lang, a.letters)]), t.noTrafficText, { hideCaption: true }))
    + `</section>`;
  return `${form}${heads}${liveHtml(lang, live.reading, live.rates)}<section aria-labelledby="traffic-h"><h2 id="traffic-h" class="visually-hidden">${esc(t.inquiries)}</h2>${traffic}</section>${avoided}${healthHtml(lang, health, now)}`;
}
