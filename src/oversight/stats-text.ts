// Statistics as a person reads them in a terminal: a table with a bar for each line's share.
import Table from 'cli-table3';
import type { StatsAnswer, StatsLine } from './stats.ts';

const count = (n: number) => n.toLocaleString('en-US');
const percent = (r: number | null | undefined, digits = 1) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(digits)} %`);
const signed = (r: number | null | undefined) => (r === null || r === undefined ? '–' : `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)} %`);
const ms = (v: number | null) => (v === null ? '–' : v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`);

const BLOCKS = ['', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];

/** A bar of `width` cells for a share 0–1, in eighths of a cell. */
export function bar(share: number, width = 20): string {
  const eighths = Math.round(Math.max(0, Math.min(1, share)) * width * 8);
  return '█'.repeat(Math.floor(eighths / 8)) + BLOCKS[eighths % 8];
}

const label = (l: StatsLine) => (l.name ? `${l.name}\n${l.key}` : l.key === '' ? '(metaservices)' : l.key);

export function statsText(a: StatsAnswer, opts: { limit?: number } = {}): string {
  const lines = opts.limit === undefined ? a.lines : a.lines.slice(0, opts.limit);
  const byTime = a.by === 'day' || a.by === 'month' || a.by === 'year';
  const table = new Table({
    head: [a.by, 'inquiries', 'share', '', byTime ? '' : 'growth', 'answered', 'p50', 'p95', 'p99'],
    colAligns: ['left', 'right', 'right', 'left', 'right', 'right', 'right', 'right', 'right'],
    style: { head: [], border: [] },
  });
  for (const l of lines) {
    table.push([label(l), count(l.count), percent(l.share), bar(l.share), byTime ? '' : signed(l.growth), percent(l.successRate, 2), ms(l.p50Ms), ms(l.p95Ms), ms(l.p99Ms)]);
  }
  const t = a.total;
  const head = [
    `Inquiries ${a.from} – ${a.to}, by ${a.by}: ${count(t.count)}`,
    a.previous ? `  (${signed(t.growth)} against ${a.previous.from} – ${a.previous.to}: ${count(a.previous.count)})` : '',
    `\nanswered ${percent(t.successRate, 2)}, refused ${count(t.refused)}, failed at providers ${count(t.providerFailed)}, at the exchange ${count(t.exchangeFailed)}; latency p50 ${ms(t.p50Ms)}, p95 ${ms(t.p95Ms)}, p99 ${ms(t.p99Ms)}`,
  ].join('');
  const more = lines.length < a.lines.length ? `\n… and ${a.lines.length - lines.length} more (--limit, or --json for all)` : '';
  return `${head}\n${table.toString()}${more}\n`;
}
