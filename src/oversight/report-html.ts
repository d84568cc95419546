// The annual report as a printable Persian document: one self-contained HTML file (right to left,
// Persian digits, Jalali dates, A4 print styles), with no external resource of any kind (no font,
// script, image or style sheet is fetched), and every value escaped: member names are registry data
// that any registrant chose.
import { formatInstant, toPersianDigits } from '../dates/jalali.ts';
import { escapeHtml } from '../html/escape.ts';
import type { Report, ReportParty } from './report.ts';


const whole = new Intl.NumberFormat('fa-IR', { maximumFractionDigits: 0 });
const oneDecimal = new Intl.NumberFormat('fa-IR', { minimumFractionDigits: 1, maximumFractionDigits: 1 });

const num = (n: number) => whole.format(Math.round(n));
const pct = (r: number | null | undefined) => (r === null || r === undefined ? '–' : `${oneDecimal.format(r * 100)}٪`);
const signedPct = (r: number | null | undefined) => (r === null || r === undefined ? '–' : `${r >= 0 ? '+' : '−'}${oneDecimal.format(Math.abs(r) * 100)}٪`);
const year = (y: number) => toPersianDigits(String(y));

/** 1 300 000 000 → «۱٫۳ میلیارد». */
export function compactPersian(n: number): string {
  const units: [number, string][] = [[1e9, 'میلیارد'], [1e6, 'میلیون'], [1e3, 'هزار']];
  for (const [size, word] of units) {
    if (Math.abs(n) >= size) return `${new Intl.NumberFormat('fa-IR', { maximumFractionDigits: n / size >= 100 ? 0 : 2 }).format(n / size)} ${word}`;
  }
  return num(n);
}

const nameOf = (p: { id: string; name: string | null; nameFa: string | null }) =>
  `${escapeHtml(p.nameFa ?? p.name ?? p.id)}<span class="id">${escapeHtml(p.id)}</span>`;

/** A bar as wide as the share (0–1), in CSS only. */
const bar = (share: number) => `<span class="bar" style="inline-size:${(Math.max(0, Math.min(1, share)) * 100).toFixed(1)}%"></span>`;

function partiesTable(title: string, list: readonly ReportParty[]): string {
  const rows = list.map((p, i) => `<tr><td>${num(i + 1)}</td><td>${nameOf(p)}</td><td class="n">${num(p.inquiries)}</td><td class="n">${pct(p.share)}</td><td class="b">${bar(p.share)}</td></tr>`);
  return `<table><thead><tr><th>رتبه</th><th>${escapeHtml(title)}</th><th>استعلام</th><th>سهم</th><th></th></tr></thead><tbody>${rows.join('')}</tbody></table>`;
}

const STYLE = `
@page { size: A4; margin: 18mm 16mm; }
* { box-sizing: border-box; }
body { font-family: Vazirmatn, "B Nazanin", Tahoma, "Noto Naskh Arabic", sans-serif; font-size: 11pt; line-height: 1.7; color: #111; margin: 0 auto; max-width: 180mm; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 13pt; margin: 7mm 0 2mm; border-bottom: 1px solid #999; page-break-after: avoid; }
p.meta { color: #444; margin: 0 0 5mm; }
.figures { display: flex; flex-wrap: wrap; gap: 3mm; margin: 3mm 0; }
.figure { border: 1px solid #bbb; border-radius: 2mm; padding: 2mm 4mm; min-inline-size: 38mm; }
.figure b { display: block; font-size: 15pt; }
table { border-collapse: collapse; inline-size: 100%; margin: 2mm 0; page-break-inside: auto; }
tr { page-break-inside: avoid; }
th, td { border-bottom: 1px solid #ddd; padding: 1mm 2mm; text-align: start; vertical-align: top; }
th { background: #f0f0f0; }
td.n { text-align: end; white-space: nowrap; }
td.b { inline-size: 30mm; }
.bar { display: inline-block; block-size: 3mm; background: #2b6cb0; -webkit-print-color-adjust: exact; print-color-adjust: exact; }
.id { display: block; color: #666; font-size: 8pt; direction: ltr; unicode-bidi: isolate; text-align: end; }
.note { color: #444; font-size: 9pt; }
.missing { color: #8a4b00; }
`;

export function reportHtml(r: Report, generatedAt: Date = new Date()): string {
  const s = r.savings;
  const peak = Math.max(0, ...r.years.map((y) => y.inquiries));
  const yearRows = r.years.map((y) => `<tr><td>${year(y.year)}</td><td class="n">${num(y.inquiries)}</td><td class="b">${bar(peak === 0 ? 0 : y.inquiries / peak)}</td>`
    + `<td class="n">${signedPct(y.growth)}</td><td class="n">${num(y.providers)}</td><td class="n">${num(y.services)}</td>`
    + `<td class="n">${y.visitsAvoided === null ? '–' : num(y.visitsAvoided)}</td></tr>`);

  const savings = !s.declared
    ? '<p class="missing">اعلام نشده: هیچ خدمتی اعلام نکرده است که هر استعلام پاسخ‌داده‌شده جای چند مراجعهٔ حضوری و چند نامهٔ کاغذی را می‌گیرد.</p>'
    : `<div class="figures"><div class="figure">مراجعهٔ حضوری کمتر<b>${compactPersian(s.visits)}</b>${num(s.visits)}</div>`
      + `<div class="figure">نامهٔ کاغذی کمتر<b>${compactPersian(s.letters)}</b>${num(s.letters)}</div>`
      + `<div class="figure">خدمات دارای اعلام<b>${num(s.servicesDeclared)}</b></div></div>`
      + (s.byProvider.length === 0 ? '' : `<table><thead><tr><th>دستگاه ارائه‌دهنده</th><th>مراجعهٔ حضوری کمتر</th><th>نامهٔ کاغذی کمتر</th></tr></thead><tbody>${
        s.byProvider.map((p) => `<tr><td>${nameOf(p)}</td><td class="n">${num(p.visits)}</td><td class="n">${num(p.letters)}</td></tr>`).join('')}</tbody></table>`);

  const baselines = s.baselines.length === 0
    ? '<p class="missing">اعلام نشده: هیچ دستگاهی مراجعات حضوری سال پایهٔ خود را اعلام نکرده است.</p>'
    : `<table><thead><tr><th>دستگاه</th><th>سال پایه</th><th>مراجعات سال پایه</th><th>کاهش در ${year(r.year)}</th><th>درصد کاهش</th><th>هدف ${oneDecimal.format(s.targetPercent)}٪</th></tr></thead><tbody>${
      s.baselines.map((b) => `<tr><td>${nameOf({ id: b.memberId, name: b.name, nameFa: b.nameFa })}</td><td>${year(b.baseYear)}</td><td class="n">${num(b.baselineVisits)}</td>`
        + `<td class="n">${num(b.avoided - b.avoidedInBaseYear)}</td><td class="n">${b.cutPercent === null ? '–' : `${oneDecimal.format(b.cutPercent)}٪`}</td>`
        + `<td>${b.meetsTarget === null ? 'سال پایه پیش از سال گزارش نیست' : b.meetsTarget ? 'محقق شد' : 'محقق نشد'}</td></tr>`).join('')}</tbody></table>`;

  return `<!doctype html>
<html lang="fa" dir="rtl">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>گزارش سال ${year(r.year)} مرکز تبادل اطلاعات</title>
<style>${STYLE}</style>
</head>
<body>
<h1>گزارش عملکرد مرکز تبادل اطلاعات — سال ${year(r.year)}</h1>
<p class="meta">برگرفته از داده‌های خود این گره (سوابق و آمار ثبت‌شده)${r.firstYear === null ? '' : `، سال‌های ${year(r.firstYear)} تا ${year(r.year)}`}؛ تهیه‌شده در ${escapeHtml(formatInstant(generatedAt, { digits: 'persian' }))} به وقت تهران.</p>

<div class="figures">
<div class="figure">استعلام در سال ${year(r.year)}<b>${compactPersian(r.inquiries)}</b>${num(r.inquiries)}</div>
<div class="figure">رشد نسبت به ${year(r.year - 1)}<b>${signedPct(r.growth)}</b></div>
<div class="figure">دستگاه ارائه‌دهنده<b>${num(r.providers)}</b></div>
<div class="figure">خدمت<b>${num(r.services)}</b></div>
<div class="figure">دستگاه استعلام‌کننده<b>${num(r.consumers)}</b></div>
<div class="figure">پاسخ‌داده‌شده<b>${pct(r.successRate)}</b></div>
</div>

<h2>استعلام‌ها در هر سال</h2>
<table><thead><tr><th>سال</th><th>استعلام</th><th></th><th>رشد</th><th>دستگاه ارائه‌دهنده</th><th>خدمت</th><th>مراجعهٔ حضوری کمتر</th></tr></thead>
<tbody>${yearRows.join('')}</tbody></table>

<h2>بزرگ‌ترین دستگاه‌های ارائه‌دهنده در ${year(r.year)}</h2>
${partiesTable('دستگاه ارائه‌دهنده', r.topProviders)}

<h2>بزرگ‌ترین دستگاه‌های استعلام‌کننده در ${year(r.year)}</h2>
${partiesTable('دستگاه استعلام‌کننده', r.topConsumers)}

<h2>مراجعات حضوری و نامه‌های کاغذی کاهش‌یافته در ${year(r.year)}</h2>
${savings}

<h2>کاهش مراجعات حضوری نسبت به سال پایه (هدف برنامهٔ ششم توسعه: ${oneDecimal.format(s.targetPercent)}٪)</h2>
${baselines}

<p class="note">استعلام: هر تبادلی که این گره ثبت کرده است، با هر نتیجه. دستگاه یا خدمتی در یک سال شمرده می‌شود که در آن سال دست‌کم یک تبادل داشته است. کاهش مراجعات: استعلام‌های پاسخ‌داده‌شده ضرب در آنچه هر خدمت اعلام کرده است؛ درصد کاهش: کاهش این سال بیش از کاهش سال پایه، نسبت به مراجعات اعلام‌شدهٔ سال پایه.</p>
</body>
</html>
`;
}
