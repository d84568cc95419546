// The annual report as a person reads it in a terminal: the figures, then tables with a bar per line.
import Table from 'cli-table3';
import type { Report, ReportParty } from './report.ts';
import { bar } from './stats-text.ts';

const count = (n: number) => Math.round(n).toLocaleString('en-US');
const percent = (r: number | null | undefined, digits = 1) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(digits)} %`);
const signed = (r: number | null | undefined) => (r === null || r === undefined ? '–' : `${r >= 0 ? '+' : ''}${(r * 100).toFixed(1)} %`);
const ms = (v: number | null) => (v === null ? '–' : v >= 100 ? `${Math.round(v)} ms` : `${v.toFixed(1)} ms`);

/** 1 300 000 000 → "1.30 billion": the rounding the report itself uses. */
export function compactCount(n: number): string {
  const units: [number, string][] = [[1e9, 'billion'], [1e6, 'million'], [1e3, 'thousand']];
  for (const [size, word] of units) if (Math.abs(n) >= size) return `${(n / size).toFixed(n / size >= 100 ? 0 : 2)} ${word}`;
  return String(Math.round(n));
}

const table = (head: string[], aligns: ('left' | 'right')[]) => new Table({ head, colAligns: aligns, style: { head: [], border: [] } });
const who = (p: { id: string; name: string | null; nameFa: string | null }) => [p.name ?? p.id, p.nameFa, p.name ? p.id : null].filter(Boolean).join('\n');

function parties(title: string, list: readonly ReportParty[]): string {
  const t = table(['#', title, 'inquiries', 'share', ''], ['right', 'left', 'right', 'right', 'left']);
  list.forEach((p, i) => t.push([String(i + 1), who(p), count(p.inquiries), percent(p.share), bar(p.share)]));
  return t.toString();
}

export function reportText(r: Report): string {
  const out: string[] = [];
  out.push(`Tabadol annual report ${r.year}, from this node's own records${r.firstYear === null ? '' : ` (Jalali years ${r.firstYear}–${r.year})`}`);
  out.push('');
  out.push(`Inquiries in ${r.year}: ${count(r.inquiries)} (${compactCount(r.inquiries)}), ${signed(r.growth)} against ${r.year - 1}; answered ${percent(r.successRate, 2)}; latency p50 ${ms(r.p50Ms)}, p95 ${ms(r.p95Ms)}`);
  out.push(`Provider agencies: ${r.providers}; services: ${r.services}; consumer organisations: ${r.consumers}`);
  if (r.years.length > 0) {
    const peak = Math.max(...r.years.map((y) => y.inquiries));
    const t = table(['year', 'inquiries', '', 'growth', 'providers', 'services'], ['left', 'right', 'left', 'right', 'right', 'right']);
    for (const y of r.years) t.push([String(y.year), count(y.inquiries), bar(peak === 0 ? 0 : y.inquiries / peak), signed(y.growth), String(y.providers), String(y.services)]);
    out.push('', 'Inquiries per year', t.toString());
  }
  out.push('', `Largest providers in ${r.year}`, parties('provider agency', r.topProviders));
  out.push('', `Largest consumers in ${r.year}`, parties('consumer organisation', r.topConsumers));
  out.push('', `Visits and letters avoided in ${r.year}`);
  const s = r.savings;
  if (!s.declared) {
    out.push('not declared: no service declares the visits and letters one answered inquiry replaces (`tabadol savings set`, or PUT /v1/services/{id}/savings)');
  } else {
    out.push(`in-person visits: ${count(s.visits)} (${compactCount(s.visits)}); paper letters: ${count(s.letters)} (${compactCount(s.letters)}); ${s.servicesDeclared} services declare their savings`);
    if (s.byProvider.length > 0) {
      const t = table(['provider agency', 'visits avoided', 'letters avoided'], ['left', 'right', 'right']);
      for (const p of s.byProvider) t.push([who(p), count(p.visits), count(p.letters)]);
      out.push(t.toString());
    }
    if (r.years.some((y) => y.visitsAvoided !== null)) {
      out.push(`per year: ${r.years.map((y) => `${y.year} ${compactCount(y.visitsAvoided ?? 0)} visits`).join(', ')}`);
    }
  }
  out.push('', `Cut in citizens' visits against each agency's declared base year (development plan target ${s.targetPercent} %)`);
  if (s.baselines.length === 0) out.push('not declared: no agency declares its baseline visits (`tabadol baseline set`, or PUT /v1/members/{id}/baselines/{year})');
  else {
    const t = table(['agency', 'base year', 'baseline visits', `avoided ${r.year}`, 'avoided in base year', 'cut', 'target'], ['left', 'right', 'right', 'right', 'right', 'right', 'left']);
    for (const b of s.baselines) {
      t.push([who({ id: b.memberId, name: b.name, nameFa: b.nameFa }), String(b.baseYear), count(b.baselineVisits), count(b.avoided), count(b.avoidedInBaseYear),
        b.cutPercent === null ? '–' : `${b.cutPercent.toFixed(1)} %`, b.meetsTarget === null ? 'base year not before the report' : b.meetsTarget ? 'met' : 'not met']);
    }
    out.push(t.toString());
  }
  return `${out.join('\n')}\n`;
}
