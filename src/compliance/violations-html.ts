// The inspectors' monthly list as a printable Persian document: right to left, Persian digits and
// Jalali dates, A4 pages, no external resource (no font, image or script is fetched), and every
// value escaped, agencies' names included, since they are registry data typed by people.
import { escapeHtml } from '../html/escape.ts';
import { formatInstant, toPersianDigits } from '../dates/jalali.ts';
import type { ViolationsReport } from './violations.ts';

const MONTHS = ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'];
const CRITERIA: Record<string, string> = { 'availability': 'دسترس‌پذیری', 'p95-latency': 'زمان پاسخ (صدک ۹۵)' };
const STATUS: Record<string, string> = { 'not-met': 'محقق نشده', 'overdue': 'پس از مهلت، انجام نشده' };


const fa = (s: string | number) => escapeHtml(toPersianDigits(String(s)));
/** A number with Persian digits and the Persian decimal separator (U+066B). */
const num = (n: number) => escapeHtml(toPersianDigits(n.toLocaleString('en-US', { maximumFractionDigits: 2 }).replace(/,/g, '٬').replace('.', '٫')));
const measure = (n: number, unit: string) => (unit === 'percent' ? `${num(n)}٪` : `${num(n)} میلی‌ثانیه`);

export function violationsHtml(r: ViolationsReport): string {
  const [year, month] = r.month.split('/').map(Number) as [number, number];
  const title = `گزارش تخلفات دستگاه‌ها — ${MONTHS[month - 1]} ${fa(year)}`;
  const sections = r.agencies.map((a) => {
    const who = a.memberId === null ? 'همه دستگاه‌ها' : `${escapeHtml(a.nameFa ?? a.name ?? a.memberId)} <span class="id" dir="ltr">${escapeHtml(a.memberId)}</span>`;
    const sla = a.sla.length === 0 ? '' : `
      <h3>نقض سطح خدمت</h3>
      <table>
        <thead><tr><th>خدمت</th><th>شاخص</th><th>تعهد</th><th>عملکرد</th><th>فاصله</th><th>شواهد</th></tr></thead>
        <tbody>${a.sla.map((v) => `
          <tr><td dir="ltr">${escapeHtml(v.serviceId)}</td><td>${escapeHtml(CRITERIA[v.criterion] ?? v.criterion)}</td>
          <td>${measure(v.target, v.unit)}</td><td>${measure(v.actual, v.unit)}</td><td>${measure(v.off, v.unit)}</td>
          <td>${num(v.answered)} پاسخ، ${num(v.providerFailed)} خطای ارائه‌دهنده در ساعات پشتیبانی (<span dir="ltr">${fa(v.supportHours)}</span>)</td></tr>`).join('')}
        </tbody>
      </table>`;
    const mandates = a.mandates.length === 0 ? '' : `
      <h3>مصوبات انجام‌نشده</h3>
      <table>
        <thead><tr><th>مصوبه</th><th>عنوان</th><th>مهلت</th><th>وضعیت</th><th>شواهد</th></tr></thead>
        <tbody>${a.mandates.map((m) => `
          <tr><td dir="ltr">${escapeHtml(m.id)}</td><td>${escapeHtml(m.titleFa)}<br><small>${fa(m.resolution)}</small></td>
          <td>${fa(m.deadline)}</td><td>${escapeHtml(STATUS[m.status] ?? m.status)}</td><td dir="ltr">${escapeHtml(m.evidence)}</td></tr>`).join('')}
        </tbody>
      </table>`;
    return `
    <section>
      <h2>${who}</h2>${sla}${mandates}
    </section>`;
  }).join('');
  const none = r.agencies.length === 0 ? '<p>در این ماه تخلفی ثبت نشده است.</p>' : '';
  return `<!doctype html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<title>${title}</title>
<style>
  @page { size: A4; margin: 18mm 15mm; }
  body { font-family: Vazirmatn, Tahoma, "Noto Naskh Arabic", sans-serif; font-size: 11pt; line-height: 1.6; color: #000; }
  h1 { font-size: 16pt; margin: 0 0 4mm; }
  h2 { font-size: 13pt; margin: 6mm 0 2mm; border-bottom: 1px solid #444; }
  h3 { font-size: 11pt; margin: 3mm 0 1mm; }
  table { width: 100%; border-collapse: collapse; margin-bottom: 3mm; }
  th, td { border: 1px solid #888; padding: 1mm 2mm; vertical-align: top; text-align: right; }
  th { background: #eee; }
  td[dir="ltr"], .id { text-align: left; font-family: monospace; font-size: 9pt; }
  section { break-inside: avoid-page; }
  thead { display: table-header-group; }
  .meta { color: #333; }
</style>
</head>
<body>
<h1>${title}</h1>
<p class="meta">دوره: ${fa(r.from)} تا ${fa(r.to)} — تهیه‌شده در ${escapeHtml(formatInstant(new Date(r.generatedAt), { digits: 'persian' }))} از داده‌های همین گره —
${num(r.counts.agencies)} دستگاه، ${num(r.counts.slaBreaches)} نقض سطح خدمت، ${num(r.counts.mandatesMissed)} مصوبه انجام‌نشده؛ ${num(r.servicesEvaluated)} خدمت دارای سند سطح خدمت ارزیابی شد.</p>
${none}${sections}
</body>
</html>
`;
}
