// Compliance as a person reads it in a terminal: short tables, numbers rounded for reading (the
// JSON keeps them whole).
import Table from 'cli-table3';
import type { MandateStatus } from './mandate-status.ts';
import type { SlaMonthResult } from './sla-evaluation.ts';
import { supportHoursText } from './support-hours.ts';
import type { SurveyStatus } from './survey-status.ts';
import type { VisitsAvoided } from './visits-avoided.ts';

const count = (n: number) => n.toLocaleString('en-US', { maximumFractionDigits: 1 });
const table = (head: string[]) => new Table({ head, style: { head: [], border: [] } });

export function visitsAvoidedText(v: VisitsAvoided): string {
  const t = table(['agency', 'answered', 'visits avoided', 'letters avoided', 'not declared', `cut vs baseline (target ${v.targetPercent} %)`]);
  for (const a of v.agencies) {
    const cut = a.baseline ? `${a.baseline.cutPercent.toFixed(2)} % of ${count(a.baseline.visits)} (${a.baseline.year}) ${a.baseline.met ? 'met' : 'short'}` : '–';
    t.push([a.name ? `${a.name}\n${a.memberId}` : a.memberId, count(a.answered), count(a.visits), count(a.letters), count(a.answeredNotDeclared), cut]);
  }
  const note = v.wholeYear ? '' : '\n(the plan\'s indicator is a yearly figure: ask for one whole Jalali year to see it)';
  return `Visits and letters avoided ${v.from} – ${v.to}: ${count(v.total.visits)} visits, ${count(v.total.letters)} letters from ${count(v.total.answered)} answered inquiries` +
    `; ${count(v.total.answeredNotDeclared)} answered by ${v.notDeclared.length} services that declared no savings${note}\n${t.toString()}\n`;
}

const criterion = (c: SlaMonthResult['availability']) => (c.actual === null ? 'no traffic'
  : `${c.unit === 'percent' ? `${c.actual.toFixed(3)} %` : `${c.actual} ms`} / ${c.target}${c.unit === 'percent' ? ' %' : ' ms'}${c.met ? '' : ` ✗ off ${c.off}`}`);

export function slaText(month: string, results: readonly SlaMonthResult[]): string {
  const t = table(['service', 'support hours', 'availability / target', 'p95 / target', 'rate-limited', 'verdict']);
  for (const r of results) {
    t.push([r.serviceId, supportHoursText(r.supportHours), criterion(r.availability), criterion(r.p95Latency),
      `${count(r.rate.rateLimitedRefusals)} (${r.rate.clientsLimited} callers)`, r.compliant ? 'compliant' : 'BREACH']);
  }
  return `Service levels in ${month}: ${results.filter((r) => r.compliant).length} of ${results.length} compliant\n${t.toString()}\n`;
}

export function mandatesText(ms: readonly MandateStatus[]): string {
  const t = table(['mandate', 'deadline', 'status', 'evidence']);
  for (const m of ms) t.push([`${m.id}\n${m.titleEn}`, m.deadline, m.status, m.evidence.summary]);
  return `${t.toString()}\n`;
}

export function surveyText(s: SurveyStatus): string {
  const t = table(['survey service', 'online', 'used', 'answered', 'Tabadol services']);
  for (const x of s.services) t.push([x.titleEn, x.online ? 'yes' : 'no', x.used ? 'yes' : 'no', count(x.answered), x.services.map((m) => m.serviceId).join('\n') || '–']);
  return `UN e-government survey ${s.from} – ${s.to}: ${s.summary}, ${s.used} used\n${t.toString()}\n`;
}
