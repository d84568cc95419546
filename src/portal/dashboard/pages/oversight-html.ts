// The oversight pages' bodies: SLA compliance per service and month with the breaches, the mandates
// and their status, the inspectors' violations list, the UN survey tracker, the open-data catalogue
// and the report of the year. Pure functions of the figures src/compliance and src/oversight compute.
import type { MandateStatus } from '../../../compliance/mandate-status.ts';
import type { SlaMonthResult } from '../../../compliance/sla-evaluation.ts';
import { supportHoursText } from '../../../compliance/support-hours.ts';
import type { SurveyStatus } from '../../../compliance/survey-status.ts';
import type { ViolationsReport } from '../../../compliance/violations.ts';
import type { Report } from '../../../oversight/report.ts';
import { chart, code, dec, digits, esc, figure, figures, monthName, ms, named, notice, num, pct, table, type Lang } from './format.ts';

export const OVERSIGHT_PATHS = {
  sla: '/dashboard/oversight/sla',
  mandates: '/dashboard/oversight/mandates',
  violations: '/dashboard/oversight/violations',
  violationsDocument: '/dashboard/oversight/violations/document',
  violationsCsv: '/dashboard/oversight/violations/csv',
  survey: '/dashboard/oversight/survey',
  openData: '/dashboard/oversight/open-data',
  report: '/dashboard/oversight/report',
  reportDocument: '/dashboard/oversight/report/document',
} as const;

export const OVERSIGHT_TITLES = {
  sla: { fa: 'سطح خدمت', en: 'Service levels' },
  mandates: { fa: 'مصوبات کارگروه', en: 'Working-group mandates' },
  violations: { fa: 'گزارش تخلفات دستگاه‌ها', en: 'Agencies\' violations' },
  survey: { fa: 'پیمایش دولت الکترونیک سازمان ملل', en: 'UN e-government survey' },
  openData: { fa: 'داده‌های باز', en: 'Open data' },
  report: { fa: 'گزارش سال', en: 'Yearly report' },
} as const;

const T = {
  fa: {
    month: 'ماه', year: 'سال', show: 'نمایش', monthHint: 'ماه خورشیدی به شکل ۱۴۰۳/۰۷؛ فقط ماه‌های پایان‌یافته ارزیابی می‌شوند.', yearHint: 'سال خورشیدی چهاررقمی، مانند ۱۴۰۳',
    badPeriod: 'این دوره پذیرفته نشد',
    service: 'خدمت', agency: 'دستگاه', availability: 'دسترس‌پذیری', p95: 'زمان پاسخ (صدک ۹۵)', target: 'تعهد', actual: 'عملکرد', verdict: 'نتیجه', hours: 'ساعات پشتیبانی',
    met: 'رعایت شد', breached: 'نقض شد', noTraffic: 'بدون ترافیک', answered: 'پاسخ', providerFailed: 'خطای ارائه‌دهنده', rateLimited: 'رد به سبب سقف نرخ',
    noSla: 'هیچ خدمتی سند سطح خدمت ندارد', noSlaText: 'کارگروه یا گردانندهٔ تبادل سند سطح خدمت هر خدمت را با «tabadol sla set» ثبت می‌کند؛ سپس ماه‌های پایان‌یافته اینجا ارزیابی می‌شوند.',
    breaches: 'نقض‌ها', slaSummary: (n: string, b: string) => `${n} خدمت ارزیابی شد؛ ${b} خدمت سطح تعهدشده را رعایت نکرد.`,
    mandate: 'مصوبه', resolution: 'شمارهٔ مصوبه', deadline: 'مهلت', status: 'وضعیت', evidence: 'شواهد', responsible: 'مسئول', everyAgency: 'همهٔ دستگاه‌ها',
    statuses: { 'met': 'انجام شد', 'not-met': 'محقق نشد', 'pending': 'در جریان', 'overdue': 'مهلت گذشته، انجام نشده' } as Record<string, string>,
    noMandates: 'هیچ مصوبه‌ای ثبت نشده است', noMandatesText: 'مصوبات کارگروه با «tabadol mandate add» ثبت می‌شوند و وضعیتشان اینجا سنجیده می‌شود.',
    violationsSummary: (a: string, s: string, m: string) => `${a} دستگاه، ${s} نقض سطح خدمت، ${m} مصوبهٔ انجام‌نشده.`,
    noViolations: 'در این ماه تخلفی ثبت نشده است', noViolationsText: 'همهٔ خدمات ارزیابی‌شده سطح تعهدشده را رعایت کردند و مصوبه‌ای از مهلت نگذشت.',
    slaBreaches: 'نقض سطح خدمت', mandatesMissed: 'مصوبات انجام‌نشده', criterion: 'شاخص', off: 'فاصله',
    criteria: { 'availability': 'دسترس‌پذیری', 'p95-latency': 'زمان پاسخ (صدک ۹۵)' } as Record<string, string>,
    print: 'چاپ و PDF', printText: 'برای چاپ یا ذخیره به صورت PDF، سند چاپی فارسی را بگیرید و در مرورگر با «چاپ ← ذخیره به صورت PDF» چاپ کنید؛ همین صفحه نیز با چاپ مرورگر بدون منو چاپ می‌شود.',
    document: 'سند چاپی فارسی (HTML، برگهٔ A4)', csv: 'جدول CSV',
    survey: 'خدمات پیمایش', code: 'کد', online: 'برخط', used: 'استفاده‌شده', yes: 'بله', no: 'خیر', mapped: 'خدمات تبادل',
    surveySummary: (o: string, t: string, u: string) => `${o} خدمت از ${t} خدمت پیمایش برخط است؛ ${u} خدمت در این دوره استفاده شده است.`,
    noSurvey: 'خدمات پیمایش ثبت نشده است', noSurveyText: 'خدمات پیمایش سازمان ملل با «tabadol survey set» به خدمات تبادل نگاشته می‌شوند.',
    catalogue: 'فهرست داده‌ها (DCAT-AP، JSON-LD)', months: 'ماه‌های منتشرشده', files: 'پرونده‌ها',
    noOpenData: 'هنوز ماهی منتشر نشده است', noOpenDataText: 'هر ماه پس از پایانش (و ده دقیقه فرصت) منتشر می‌شود؛ اگر گره تازه راه افتاده است چند دقیقه بعد دوباره ببینید.',
    tables: { providers: 'ارائه‌دهندگان', consumers: 'استعلام‌کنندگان', services: 'خدمات' } as Record<string, string>,
    openDataNote: 'شمارهای کوچک برای حفظ حریم خصوصی منتشر نمی‌شوند؛ پرونده‌ها بدون ورود در دسترس همگان‌اند.',
    inquiries: 'استعلام', growth: 'رشد', providers: 'دستگاه ارائه‌دهنده', services: 'خدمت', consumers: 'دستگاه استعلام‌کننده', success: 'پاسخ‌داده‌شده',
    perYear: 'استعلام‌ها در هر سال', topProviders: 'بزرگ‌ترین ارائه‌دهندگان', topConsumers: 'بزرگ‌ترین استعلام‌کنندگان', share: 'سهم', rank: 'رتبه',
    visits: 'مراجعهٔ حضوری کمتر', letters: 'نامهٔ کاغذی کمتر', notDeclared: 'اعلام نشده', p50: 'زمان پاسخ (میانه)',
    noReport: 'در این سال استعلامی ثبت نشده است', noReportText: 'سال دیگری را انتخاب کنید؛ گزارش از داده‌های همین گره ساخته می‌شود.',
    reportCli: 'همین گزارش را «tabadol report» در خط فرمان و GET /v1/reports/{year} در API مدیریت می‌دهند.',
  },
  en: {
    month: 'Month', year: 'Year', show: 'Show', monthHint: 'A Jalali month as 1403/07; only months that are over are evaluated.', yearHint: 'A four-digit Jalali year, e.g. 1403',
    badPeriod: 'This period was not accepted',
    service: 'Service', agency: 'Agency', availability: 'Availability', p95: 'Response time (95th percentile)', target: 'Target', actual: 'Actual', verdict: 'Verdict', hours: 'Support hours',
    met: 'met', breached: 'breached', noTraffic: 'no traffic', answered: 'answered', providerFailed: 'provider failures', rateLimited: 'refused over the rate limit',
    noSla: 'No service has an SLA document', noSlaText: 'The working group or an operator sets each service\'s SLA with "tabadol sla set"; closed months are then evaluated here.',
    breaches: 'Breaches', slaSummary: (n: string, b: string) => `${n} services evaluated; ${b} fell short of their service level.`,
    mandate: 'Mandate', resolution: 'Resolution', deadline: 'Deadline', status: 'Status', evidence: 'Evidence', responsible: 'Responsible', everyAgency: 'every agency',
    statuses: { 'met': 'met', 'not-met': 'not met', 'pending': 'pending', 'overdue': 'overdue' } as Record<string, string>,
    noMandates: 'No mandate is registered', noMandatesText: 'Working-group mandates are added with "tabadol mandate add" and their status is measured here.',
    violationsSummary: (a: string, s: string, m: string) => `${a} agencies, ${s} SLA breaches, ${m} mandates missed.`,
    noViolations: 'No violation this month', noViolationsText: 'Every service evaluated met its service level and no mandate passed its deadline unmet.',
    slaBreaches: 'SLA breaches', mandatesMissed: 'Mandates missed', criterion: 'Criterion', off: 'Off by',
    criteria: { 'availability': 'availability', 'p95-latency': 'response time (95th percentile)' } as Record<string, string>,
    print: 'Print and PDF', printText: 'To print or save as PDF, take the printable Persian document and print it from the browser (Print → Save as PDF); this page also prints without its menus.',
    document: 'Printable Persian document (HTML, A4)', csv: 'CSV table',
    survey: 'Survey services', code: 'Code', online: 'Online', used: 'Used', yes: 'yes', no: 'no', mapped: 'Tabadol services',
    surveySummary: (o: string, t: string, u: string) => `${o} of ${t} survey services are online; ${u} were used in the period.`,
    noSurvey: 'No survey service is registered', noSurveyText: 'The UN survey\'s services are mapped to Tabadol services with "tabadol survey set".',
    catalogue: 'Catalogue (DCAT-AP, JSON-LD)', months: 'Months published', files: 'Files',
    noOpenData: 'No month is published yet', noOpenDataText: 'Each month is published once it is over (plus ten minutes); if the node has just started, look again in a few minutes.',
    tables: { providers: 'providers', consumers: 'consumers', services: 'services' } as Record<string, string>,
    openDataNote: 'Small counts are withheld to protect privacy; the files are open to everyone without a login.',
    inquiries: 'Inquiries', growth: 'Growth', providers: 'Provider agencies', services: 'Services', consumers: 'Consumer agencies', success: 'Answered',
    perYear: 'Inquiries per year', topProviders: 'Largest providers', topConsumers: 'Largest consumers', share: 'Share', rank: 'Rank',
    visits: 'In-person visits avoided', letters: 'Paper letters avoided', notDeclared: 'not declared', p50: 'Response time (median)',
    noReport: 'No inquiries were recorded in this year', noReportText: 'Choose another year; the report is built from this node\'s own data.',
    reportCli: 'The same report is "tabadol report" on the command line and GET /v1/reports/{year} on the admin API.',
  },
} as const;

/** The month or year chooser at the top of a page, with the refusal of a bad entry. */
export function periodForm(lang: Lang, action: string, o: { name: 'month' | 'year'; value: string; problem?: string }): string {
  const t = T[lang];
  return `<form method="get" action="${esc(action)}" class="toolbar"><label for="p-${o.name}">${esc(o.name === 'month' ? t.month : t.year)}</label> `
    + `<input id="p-${o.name}" name="${o.name}" value="${esc(o.value)}" dir="ltr" inputmode="numeric" aria-describedby="p-hint"${o.problem ? ' aria-invalid="true"' : ''}> `
    + `<button type="submit">${esc(t.show)}</button><p class="hint" id="p-hint">${esc(o.name === 'month' ? t.monthHint : t.yearHint)}</p></form>`
    + (o.problem ? notice('error', t.badPeriod, o.problem) : '');
}

const percentText = (lang: Lang, v: number | null) => (v === null ? '–' : `${dec(lang, v)}${lang === 'fa' ? '٪' : ' %'}`);
const measure = (lang: Lang, v: number | null, unit: string) => (unit === 'percent' ? percentText(lang, v) : ms(lang, v));

export function slaHtml(lang: Lang, month: string, results: readonly SlaMonthResult[], names: ReadonlyMap<string, { name: string; nameFa: string | null }>): string {
  const t = T[lang];
  if (results.length === 0) return notice('empty', t.noSla, t.noSlaText);
  const verdict = (met: boolean | null) => (met === null ? t.noTraffic : met ? t.met : `<strong>${esc(t.breached)}</strong>`);
  const breached = results.filter((r) => !r.compliant);
  const sorted = [...results].sort((a, b) => Number(a.compliant) - Number(b.compliant) || a.serviceId.localeCompare(b.serviceId));
  const rows = sorted.map((r) => {
    const n = names.get(r.agency);
    return [code(r.serviceId), named(lang, r.agency, n?.name, n?.nameFa), `<span dir="ltr">${esc(supportHoursText(r.supportHours))}</span>`,
      `${percentText(lang, r.availability.actual)} / ${percentText(lang, r.availability.target)}`, verdict(r.availability.met),
      `${ms(lang, r.p95Latency.actual)} / ${ms(lang, r.p95Latency.target)}`, verdict(r.p95Latency.met),
      `${num(lang, r.answered)} ${esc(t.answered)}، ${num(lang, r.providerFailed)} ${esc(t.providerFailed)}${r.rate.rateLimitedRefusals > 0 ? `، ${num(lang, r.rate.rateLimitedRefusals)} ${esc(t.rateLimited)}` : ''}`];
  });
  return `<p>${esc(t.slaSummary(num(lang, results.length), num(lang, breached.length)))}</p>`
    + table(`${lang === 'fa' ? 'سطح خدمت' : 'Service levels'} — ${monthName(lang, month)}`,
      [{ head: t.service }, { head: t.agency }, { head: t.hours }, { head: `${t.availability} (${t.actual} / ${t.target})` }, { head: t.verdict },
        { head: `${t.p95} (${t.actual} / ${t.target})` }, { head: t.verdict }, { head: t.evidence }], rows, t.noSlaText);
}

export function mandatesHtml(lang: Lang, list: readonly MandateStatus[]): string {
  const t = T[lang];
  if (list.length === 0) return notice('empty', t.noMandates, t.noMandatesText);
  const counts = new Map<string, number>();
  for (const m of list) counts.set(m.status, (counts.get(m.status) ?? 0) + 1);
  const heads = figures(['met', 'pending', 'not-met', 'overdue'].map((s) => figure(t.statuses[s]!, num(lang, counts.get(s) ?? 0))));
  const rows = list.map((m) => [code(m.id), `${esc(lang === 'fa' ? m.titleFa : m.titleEn)}<br><small>${esc(digits(lang, m.resolution))}</small>`,
    m.responsibleMember === null ? esc(t.everyAgency) : code(m.responsibleMember), esc(digits(lang, m.deadline)),
    `<span class="status status-${esc(m.status)}">${esc(t.statuses[m.status] ?? m.status)}</span>`, `<span dir="ltr">${esc(m.evidence.summary)}</span>`]);
  return heads + table(OVERSIGHT_TITLES.mandates[lang], [{ head: t.mandate }, { head: t.resolution }, { head: t.responsible }, { head: t.deadline }, { head: t.status }, { head: t.evidence }], rows, t.noMandatesText, { hideCaption: true });
}

/** How to print a page's document or save it as PDF, and the downloads (hidden when printing). */
function printSection(lang: Lang, downloads: readonly { href: string; text: string }[], hint?: string): string {
  const t = T[lang];
  return `<section aria-labelledby="print-h" class="no-print"><h2 id="print-h">${esc(t.print)}</h2><p>${esc(t.printText)}</p>`
    + `<ul>${downloads.map((d) => `<li><a href="${esc(d.href)}" download>${esc(d.text)}</a></li>`).join('')}</ul>`
    + (hint ? `<p class="hint">${esc(hint)}</p>` : '') + '</section>';
}

export function violationsPageHtml(lang: Lang, r: ViolationsReport): string {
  const t = T[lang];
  const q = `?month=${encodeURIComponent(r.month)}`;
  const print = printSection(lang, [{ href: `${OVERSIGHT_PATHS.violationsDocument}${q}`, text: t.document }, { href: `${OVERSIGHT_PATHS.violationsCsv}${q}`, text: t.csv }]);
  const summary = `<p>${esc(monthName(lang, r.month))}: ${esc(t.violationsSummary(num(lang, r.counts.agencies), num(lang, r.counts.slaBreaches), num(lang, r.counts.mandatesMissed)))}</p>`;
  if (r.agencies.length === 0) return summary + notice('ok', t.noViolations, t.noViolationsText) + print;
  const sections = r.agencies.map((a) => {
    const who = a.memberId === null ? esc(t.everyAgency) : named(lang, a.memberId, a.name, a.nameFa);
    const sla = a.sla.length === 0 ? '' : table(t.slaBreaches, [{ head: t.service }, { head: t.criterion }, { head: t.target }, { head: t.actual }, { head: t.off }, { head: t.evidence }],
      a.sla.map((v) => [code(v.serviceId), esc(t.criteria[v.criterion] ?? v.criterion), measure(lang, v.target, v.unit), measure(lang, v.actual, v.unit), measure(lang, v.off, v.unit),
        `${num(lang, v.answered)} ${esc(t.answered)}، ${num(lang, v.providerFailed)} ${esc(t.providerFailed)}`]), '');
    const mandates = a.mandates.length === 0 ? '' : table(t.mandatesMissed, [{ head: t.mandate }, { head: t.deadline }, { head: t.status }, { head: t.evidence }],
      a.mandates.map((m) => [`${code(m.id)} ${esc(lang === 'fa' ? m.titleFa : m.titleEn)}`, esc(digits(lang, m.deadline)), esc(t.statuses[m.status] ?? m.status), `<span dir="ltr">${esc(m.evidence)}</span>`]), '');
    return `<section class="agency"><h2>${who}</h2>${sla}${mandates}</section>`;
  }).join('');
  return summary + sections + print;
}

export function surveyHtml(lang: Lang, s: SurveyStatus): string {
  const t = T[lang];
  if (s.total === 0) return notice('empty', t.noSurvey, t.noSurveyText);
  const yesNo = (b: boolean) => (b ? t.yes : `<strong>${esc(t.no)}</strong>`);
  return figures([figure(t.online, `${num(lang, s.online)} / ${num(lang, s.total)}`), figure(t.used, `${num(lang, s.used)} / ${num(lang, s.total)}`)])
    + `<p>${esc(t.surveySummary(num(lang, s.online), num(lang, s.total), num(lang, s.used)))} <small>(${esc(digits(lang, s.from))} – ${esc(digits(lang, s.to))})</small></p>`
    + table(t.survey, [{ head: t.code }, { head: t.service }, { head: t.online }, { head: t.used }, { head: t.answered, numeric: true }, { head: t.mapped }],
      s.services.map((x) => [code(x.code), esc(lang === 'fa' ? x.titleFa : x.titleEn), yesNo(x.online), yesNo(x.used), num(lang, x.answered),
        x.services.length === 0 ? '–' : x.services.map((m) => code(m.serviceId)).join('<br>')]), t.noSurveyText);
}

export function openDataHtml(lang: Lang, months: readonly string[], datasets: number): string {
  const t = T[lang];
  const head = `<p><a href="/open-data/catalog.json">${esc(t.catalogue)}</a> — ${num(lang, datasets)} ${lang === 'fa' ? 'مجموعه‌داده' : 'datasets'}</p><p class="hint">${esc(t.openDataNote)}</p>`;
  if (months.length === 0) return head + notice('empty', t.noOpenData, t.noOpenDataText);
  const rows = [...months].reverse().map((m) => [esc(monthName(lang, m)), ['providers', 'consumers', 'services'].map((tb) =>
    `${esc(t.tables[tb]!)}: <a href="/open-data/${esc(m)}/${tb}.csv">CSV</a> · <a href="/open-data/${esc(m)}/${tb}.json">JSON</a>`).join('<br>')]);
  return head + table(t.months, [{ head: t.month }, { head: t.files }], rows, t.noOpenDataText);
}

export function reportPageHtml(lang: Lang, r: Report): string {
  const t = T[lang];
  const doc = printSection(lang, [{ href: `${OVERSIGHT_PATHS.reportDocument}?year=${r.year}`, text: t.document }], t.reportCli);
  if (r.inquiries === 0 && r.years.length === 0) return notice('empty', t.noReport, t.noReportText) + doc;
  const growth = (g: number | null) => (g === null ? '–' : `${g >= 0 ? '+' : '−'}${pct(lang, Math.abs(g))}`);
  const s = r.savings;
  const heads = figures([
    figure(`${t.inquiries} ${digits(lang, r.year)}`, num(lang, r.inquiries)), figure(t.growth, growth(r.growth)), figure(t.providers, num(lang, r.providers)),
    figure(t.services, num(lang, r.services)), figure(t.consumers, num(lang, r.consumers)), figure(t.success, pct(lang, r.successRate)),
    figure(t.p50, ms(lang, r.p50Ms)), figure(t.p95, ms(lang, r.p95Ms)),
    figure(t.visits, s.declared ? num(lang, s.visits) : esc(t.notDeclared)), figure(t.letters, s.declared ? num(lang, s.letters) : esc(t.notDeclared)),
  ]);
  const years = chart({ id: 'chart-years', kind: 'bar', title: t.perYear, labels: r.years.map((y) => digits(lang, y.year)), series: [{ name: t.inquiries, values: r.years.map((y) => y.inquiries) }] },
    { columns: [{ head: t.year }, { head: t.inquiries, numeric: true }, { head: t.growth, numeric: true }, { head: t.providers, numeric: true }, { head: t.services, numeric: true }, { head: t.visits, numeric: true }],
      rows: r.years.map((y) => [esc(digits(lang, y.year)), num(lang, y.inquiries), growth(y.growth), num(lang, y.providers), num(lang, y.services), y.visitsAvoided === null ? '–' : num(lang, y.visitsAvoided)]), empty: t.noReportText }, lang);
  const parties = (title: string, list: Report['topProviders']) => table(title, [{ head: t.rank, numeric: true }, { head: t.agency }, { head: t.inquiries, numeric: true }, { head: t.share, numeric: true }],
    list.map((p, i) => [num(lang, i + 1), named(lang, p.id, p.name, p.nameFa), num(lang, p.inquiries), pct(lang, p.share)]), t.noReportText);
  return heads + years + parties(t.topProviders, r.topProviders) + parties(t.topConsumers, r.topConsumers)
    + doc;
}
