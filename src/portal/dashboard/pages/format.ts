// Shared pieces of the dashboard's pages: escaping, numbers and dates in the page's language
// (Persian digits and Jalali dates first), tables, chart blocks with their text alternative, and the
// notices that tell a person what to do. Every value that reaches HTML goes through `esc`: member
// names, titles and contract texts are registry data that any registrant typed.
import { formatInstant, toPersianDigits } from '../../../dates/jalali.ts';
import { escapeHtml } from '../../../html/escape.ts';
import type { Lang } from '../context.ts';

export type { Lang };

/** Text for an HTML text node or a quoted attribute value. */
export const esc = escapeHtml;

/** Latin digits in English, Persian digits in Persian. */
export const digits = (lang: Lang, text: string | number): string => (lang === 'fa' ? toPersianDigits(String(text)) : String(text));

const FORMATS = {
  fa: { whole: new Intl.NumberFormat('fa-IR', { maximumFractionDigits: 0 }), one: new Intl.NumberFormat('fa-IR', { minimumFractionDigits: 1, maximumFractionDigits: 1 }), two: new Intl.NumberFormat('fa-IR', { maximumFractionDigits: 2 }) },
  en: { whole: new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 }), one: new Intl.NumberFormat('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 }), two: new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 }) },
} as const;

export const num = (lang: Lang, n: number): string => FORMATS[lang].whole.format(Math.round(n));
export const dec = (lang: Lang, n: number): string => FORMATS[lang].two.format(n);
/** A ratio 0–1 as a percentage with one decimal; a dash when there is nothing to divide. */
export const pct = (lang: Lang, r: number | null | undefined): string =>
  (r === null || r === undefined ? '–' : `${FORMATS[lang].one.format(r * 100)}${lang === 'fa' ? '٪' : ' %'}`);
export const ms = (lang: Lang, v: number | null | undefined): string =>
  (v === null || v === undefined ? '–' : `${FORMATS[lang].whole.format(Math.round(v))} ${lang === 'fa' ? 'میلی‌ثانیه' : 'ms'}`);
/** An instant on Tehran's wall clock, Jalali. */
export const when = (lang: Lang, iso: string | Date | null | undefined): string => {
  if (iso === null || iso === undefined) return '–';
  const d = iso instanceof Date ? iso : new Date(iso);
  return Number.isNaN(d.getTime()) ? '–' : formatInstant(d, { digits: lang === 'fa' ? 'persian' : 'latin' });
};

export const MONTHS: Record<Lang, readonly string[]> = {
  fa: ['فروردین', 'اردیبهشت', 'خرداد', 'تیر', 'مرداد', 'شهریور', 'مهر', 'آبان', 'آذر', 'دی', 'بهمن', 'اسفند'],
  en: ['Farvardin', 'Ordibehesht', 'Khordad', 'Tir', 'Mordad', 'Shahrivar', 'Mehr', 'Aban', 'Azar', 'Dey', 'Bahman', 'Esfand'],
};

/** '1403/07' → «مهر ۱۴۰۳» / "Mehr 1403". */
export function monthName(lang: Lang, label: string): string {
  const [y, m] = label.split('/').map(Number) as [number, number];
  const name = MONTHS[lang][m - 1];
  return name === undefined ? digits(lang, label) : `${name} ${digits(lang, y)}`;
}

/** An identifier (left to right inside right-to-left text). */
export const code = (id: string): string => `<code dir="ltr">${esc(id)}</code>`;

/** A name as a person reads it, the identifier beside it. */
export function named(lang: Lang, id: string, name: string | null | undefined, nameFa: string | null | undefined): string {
  const shown = lang === 'fa' ? nameFa ?? name : name ?? nameFa;
  return shown ? `${esc(shown)} <small class="id">${code(id)}</small>` : code(id);
}

export interface Column {
  head: string;
  numeric?: boolean;
  /** Kept on one line (a date, a short status): a narrow screen scrolls the table instead of breaking it. */
  nowrap?: boolean;
  /** Running text (a legal basis, a title) that needs room to be read, not a column a word wide. */
  wide?: boolean;
}

const cellClass = (c: Column | undefined): string => {
  const names = [c?.numeric ? 'num' : '', c?.nowrap ? 'nowrap' : '', c?.wide ? 'wide' : ''].filter(Boolean);
  return names.length ? ` class="${names.join(' ')}"` : '';
};

/**
 * A table with a caption; `rows` are already-escaped cell HTML. `hideCaption`: the heading just above
 * (the page's h1, a section's h2, a chart's summary) already says it, so the caption is for a screen
 * reader's table list only and is not shown a second time.
 */
export function table(caption: string, columns: readonly Column[], rows: readonly (readonly string[])[], empty: string, o: { hideCaption?: boolean } = {}): string {
  if (rows.length === 0) return notice('empty', caption, empty);
  const head = columns.map((c) => `<th scope="col"${cellClass(c)}>${esc(c.head)}</th>`).join('');
  const body = rows.map((r) => `<tr>${r.map((cell, i) => `<td${cellClass(columns[i])}>${cell}</td>`).join('')}</tr>`).join('');
  // A wide table scrolls inside its frame: the frame takes focus so a keyboard can scroll it too (WCAG 2.1.1).
  return `<div class="table-wrap" tabindex="0" role="region" aria-label="${esc(caption)}"><table><caption${o.hideCaption ? ' class="visually-hidden"' : ''}>${esc(caption)}</caption><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table></div>`;
}

/** A state a person should notice: what happened and what to do. */
export function notice(kind: 'empty' | 'error' | 'ok' | 'info', title: string, text: string): string {
  const role = kind === 'error' ? ' role="alert"' : kind === 'ok' ? ' role="status"' : '';
  return `<div class="notice notice-${kind}"${role}><p><strong>${esc(title)}</strong></p><p>${esc(text)}</p></div>`;
}

/** JSON inside a <script type="application/json"> block: `<` escaped so no text can close the element. */
export function jsonBlock(id: string, data: unknown): string {
  const json = JSON.stringify(data).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
  return `<script type="application/json" id="${esc(id)}">${json}</script>`;
}

export interface ChartSpec {
  id: string;
  kind: 'line' | 'bar' | 'pie';
  title: string;
  /** Category labels (x axis, or pie slices). */
  labels: string[];
  series: { name: string; values: number[] }[];
}

/** The ECharts option /assets/dashboard.js draws (it adds the font and the right-to-left legend). */
export function chartOption(spec: ChartSpec): object {
  const tooltip = { trigger: spec.kind === 'pie' ? 'item' : 'axis' };
  if (spec.kind === 'pie') {
    return {
      tooltip, legend: { type: 'scroll', bottom: 0 },
      series: [{ type: 'pie', name: spec.series[0]?.name ?? '', radius: ['35%', '65%'], label: { formatter: '{b}: {d}%' },
        data: spec.labels.map((name, i) => ({ name, value: spec.series[0]?.values[i] ?? 0 })) }],
    };
  }
  return {
    tooltip, legend: { top: 0 }, grid: { left: 56, right: 24, top: 36, bottom: 32, containLabel: true },
    xAxis: { type: 'category', data: spec.labels }, yAxis: { type: 'value', minInterval: 1 },
    series: spec.series.map((x) => ({ type: spec.kind, name: x.name, data: x.values, ...(spec.kind === 'line' ? { smooth: true, areaStyle: { opacity: 0.08 } } : {}) })),
  };
}

/**
 * A chart drawn by /assets/dashboard.js from its JSON block (an ECharts option), with its text
 * alternative beside it: the table carries the same numbers for a screen reader, a print or a
 * browser without script.
 */
export function chart(spec: ChartSpec, alternative: { columns: readonly Column[]; rows: readonly (readonly string[])[]; empty: string }, lang: Lang): string {
  // The summary names the table, so its caption is for screen readers only.
  const alt = table(spec.title, alternative.columns, alternative.rows, alternative.empty, { hideCaption: true });
  const label = lang === 'fa' ? `${spec.title}؛ همین ارقام در جدول زیر آمده است` : `${spec.title}; the table below gives the same figures`;
  // dir="ltr": ECharts lays its SVG out for left to right; inside a right-to-left page, SVG text
  // inherits `direction: rtl`, which flips every text-anchor (SVG 2 §11.10.1) and puts the axis
  // labels on the bars and the legend's texts on their symbols. Persian labels still read right to left.
  return `<figure><div class="chart" dir="ltr" data-chart="${esc(spec.id)}" role="img" aria-label="${esc(label)}"></div>${jsonBlock(spec.id, chartOption(spec))}`
    + `<figcaption>${esc(spec.title)}</figcaption>`
    + `<details class="alternative"><summary>${esc(lang === 'fa' ? `جدول: ${spec.title}` : `Table: ${spec.title}`)}</summary>${alt}</details></figure>`;
}

/** A headline figure. */
export const figure = (label: string, value: string, note = ''): string =>
  `<div class="card"><div class="label">${esc(label)}</div><div class="figure">${value}</div>${note ? `<div class="hint">${note}</div>` : ''}</div>`;

export const figures = (items: readonly string[]): string => `<div class="cards">${items.join('')}</div>`;
