// The inspection organisation's monthly list (issue "Oversight", item 8): for a closed Jalali month,
// the agencies that breached an SLA or missed a mandate, with the evidence. SLA verdicts are the kept
// evaluations (a service without one is evaluated now and kept); mandates are judged as of the end of
// the month (mandate-status.ts).
import { formatJalali } from '../dates/jalali.ts';
import type { Registry } from '../registry/registry.ts';
import type { Compliance } from './compliance.ts';
import { firstDay, lastDay, monthLabel, type JalaliMonth } from './jalali-month.ts';
import { mandateStatusesOfMonth, type MandateContext, type MandateStatus } from './mandate-status.ts';
import { breachesOf, type CriterionResult } from './sla-evaluation.ts';
import { supportHoursText } from './support-hours.ts';

export interface SlaViolation {
  serviceId: string;
  criterion: CriterionResult['criterion'];
  unit: CriterionResult['unit'];
  target: number;
  actual: number;
  off: number;
  supportHours: string;
  basis: string;
  answered: number;
  providerFailed: number;
  slaVersion: string;
  evaluatedAt: string;
}

export interface MandateViolation {
  id: string;
  titleFa: string;
  titleEn: string;
  resolution: string;
  deadline: string;
  status: 'not-met' | 'overdue';
  evidence: string;
}

export interface AgencyViolations {
  /** INSTANCE/CLASS/MEMBER; null: a mandate of every agency whose shortfall names none in particular. */
  memberId: string | null;
  name: string | null;
  nameFa: string | null;
  sla: SlaViolation[];
  mandates: MandateViolation[];
}

export interface ViolationsReport {
  month: string;
  from: string;
  to: string;
  generatedAt: string;
  servicesEvaluated: number;
  counts: { agencies: number; slaBreaches: number; mandatesMissed: number };
  agencies: AgencyViolations[];
}

export async function violationsReport(
  compliance: Compliance, ctx: MandateContext & { registry: Registry }, month: JalaliMonth, now: Date,
): Promise<ViolationsReport> {
  const verdicts = await compliance.verdicts(ctx.registry, month, now);
  const mandates = await mandateStatusesOfMonth(ctx, month);
  const names = new Map((await ctx.registry.listMembers()).map((m) => [m.id, m]));
  const agencies = new Map<string | null, AgencyViolations>();
  const agency = (id: string | null) => {
    let a = agencies.get(id);
    if (!a) {
      const m = id === null ? undefined : names.get(id);
      agencies.set(id, (a = { memberId: id, name: m?.name ?? null, nameFa: m?.name_fa ?? null, sla: [], mandates: [] }));
    }
    return a;
  };
  for (const r of verdicts) {
    for (const c of breachesOf(r)) {
      agency(r.agency).sla.push({
        serviceId: r.serviceId, criterion: c.criterion, unit: c.unit, target: c.target, actual: c.actual!, off: c.off!,
        supportHours: supportHoursText(r.supportHours), basis: r.basis, answered: r.answered, providerFailed: r.providerFailed,
        slaVersion: r.slaVersion, evaluatedAt: r.evaluatedAt,
      });
    }
  }
  for (const m of mandates) {
    if (m.status !== 'not-met' && m.status !== 'overdue') continue;
    const v = mandateViolation(m);
    for (const id of m.agencies.length > 0 ? m.agencies : [null]) agency(id).mandates.push(v);
  }
  const list = [...agencies.values()]
    .sort((a, b) => (a.memberId === null ? 1 : b.memberId === null ? -1 : a.memberId.localeCompare(b.memberId)));
  for (const a of list) a.sla.sort((x, y) => x.serviceId.localeCompare(y.serviceId) || x.criterion.localeCompare(y.criterion));
  return {
    month: monthLabel(month),
    from: formatJalali(firstDay(month)),
    to: formatJalali(lastDay(month)),
    generatedAt: now.toISOString(),
    servicesEvaluated: verdicts.length,
    counts: {
      agencies: list.filter((a) => a.memberId !== null).length,
      slaBreaches: list.reduce((n, a) => n + a.sla.length, 0),
      mandatesMissed: mandates.filter((m) => m.status === 'not-met' || m.status === 'overdue').length,
    },
    agencies: list,
  };
}

function mandateViolation(m: MandateStatus): MandateViolation {
  return {
    id: m.id, titleFa: m.titleFa, titleEn: m.titleEn, resolution: m.resolution, deadline: m.deadline,
    status: m.status as MandateViolation['status'], evidence: m.evidence.summary,
  };
}
