// The working group's mandates evaluated against the registry and the rollups (issue "Oversight",
// item 7). A condition is either something to deliver (sla-coverage, service-offered,
// open-data-published: judged on the registry and the catalogue as they stand) or a level to keep
// each Jalali month (min-monthly-usage, max-error-rate: judged on the month's rollups). Status:
// - met: the condition holds;
// - pending: it does not hold yet and the deadline has not passed;
// - overdue: something to deliver was not delivered by the deadline;
// - not-met: the deadline has passed and the month measured fell short of the level.
// Failure shares are the provider's: providerFailed / (answered + providerFailed), as for SLAs.
import { instantToJalali, type JalaliDate } from '../dates/jalali.ts';
import type { Mandate } from '../registry/oversight-data.ts';
import type { Registry } from '../registry/registry.ts';
import { deadlinePassedOn, firstDay, monthLabel, monthOf, nextMonth, previousMonth, type JalaliMonth } from './jalali-month.ts';
import type { RollupReader } from '../oversight/rollup-reader.ts';

export type MandateStatusValue = 'met' | 'not-met' | 'pending' | 'overdue';

export interface MeasuredItem {
  /** A consumer (member or group id), a service id, or 'total'. */
  key: string;
  value: number;
  threshold: number;
  met: boolean;
}

export interface MandateEvidence {
  /** One sentence with the numbers. */
  summary: string;
  /** The Jalali month measured, for monthly conditions. */
  month?: string;
  servicesInScope?: number;
  servicesWithSla?: number;
  servicesWithoutSla?: string[];
  registered?: boolean;
  datasets?: number | null;
  measured?: MeasuredItem[];
}

/** A mandate as the registry holds it (without its condition and times), and where it stands. */
export interface MandateStatus extends Pick<Mandate, 'id' | 'titleFa' | 'titleEn' | 'resolution' | 'responsibleMember' | 'deadline'> {
  kind: Mandate['condition']['kind'];
  status: MandateStatusValue;
  /** The agencies answerable for a shortfall: the responsible member, or those whose services fall short when the mandate names none. */
  agencies: string[];
  evidence: MandateEvidence;
}

export interface MandateContext {
  registry: Registry;
  /** The rollups the monthly levels are measured on (compliance.stats). */
  rollups: Pick<RollupReader, 'servicesOfMonth' | 'answeredByClient'>;
  /** Datasets in the node's open-data catalogue; undefined when no catalogue is available to the evaluation. */
  openDataDatasets?: () => number | undefined;
}

const LIST_LIMIT = 50;
const memberOf = (id: string) => id.split('/').slice(0, 3).join('/');
const percent = (x: number) => Math.round(x * 10_000) / 10_000;

/**
 * Every mandate as of a day: monthly levels are measured on `month` (by default the last month
 * closed on that day), and deadlines are compared with the day.
 */
export async function mandateStatuses(ctx: MandateContext, o: { on: JalaliDate; month?: JalaliMonth }): Promise<MandateStatus[]> {
  const month = monthLabel(o.month ?? previousMonth(monthOf(o.on)));
  const [mandates, services, levels, groups] = await Promise.all([
    ctx.registry.oversight.listMandates(), ctx.registry.listServices(), ctx.registry.oversight.listSlas(), ctx.registry.listGroups(),
  ]);
  const serviceIds = services.map((s) => s.id);
  const withSla = new Set(levels.map((l) => l.serviceId));
  const groupMembers = new Map(groups.map((g) => [g.id, new Set(g.members)]));
  const byService = await ctx.rollups.servicesOfMonth(month);
  const out: MandateStatus[] = [];
  for (const m of mandates) {
    const passed = deadlinePassedOn(m.deadline, o.on);
    const scope = (service?: string) => (service !== undefined ? [service]
      : m.responsibleMember !== null ? serviceIds.filter((s) => memberOf(s) === m.responsibleMember) : serviceIds);
    let holds: boolean;
    let measure = false;
    let failing: string[] = [];
    let evidence: MandateEvidence;
    const c = m.condition;
    switch (c.kind) {
      case 'sla-coverage': {
        const inScope = scope();
        const missing = inScope.filter((s) => !withSla.has(s));
        holds = inScope.length > 0 && missing.length === 0;
        failing = missing;
        evidence = {
          summary: `${inScope.length - missing.length} of ${inScope.length} services have an SLA document`,
          servicesInScope: inScope.length, servicesWithSla: inScope.length - missing.length, servicesWithoutSla: missing.slice(0, LIST_LIMIT),
        };
        break;
      }
      case 'service-offered': {
        holds = serviceIds.includes(c.service);
        evidence = { summary: `${c.service} is ${holds ? '' : 'not '}registered`, registered: holds };
        break;
      }
      case 'open-data-published': {
        const datasets = ctx.openDataDatasets?.();
        holds = datasets !== undefined && datasets >= c.atLeast;
        evidence = {
          summary: datasets === undefined ? 'no open-data catalogue was available to the evaluation' : `${datasets} datasets in the open-data catalogue, ${c.atLeast} required`,
          datasets: datasets ?? null,
        };
        break;
      }
      case 'min-monthly-usage': {
        measure = true;
        const answered = await ctx.rollups.answeredByClient(c.service, month);
        const counted = (consumer: string) => {
          const inGroup = groupMembers.get(consumer);
          let n = 0;
          for (const [client, count] of answered) {
            if (inGroup ? inGroup.has(client) : memberOf(client) === consumer) n += count;
          }
          return n;
        };
        const consumers = c.consumers ?? [];
        const items: MeasuredItem[] = consumers.length > 0 && c.per === 'consumer'
          ? consumers.map((k) => ({ key: k, value: counted(k), threshold: c.atLeast, met: counted(k) >= c.atLeast }))
          : [(() => {
            const v = consumers.length > 0 ? consumers.reduce((n, k) => n + counted(k), 0) : [...answered.values()].reduce((n, x) => n + x, 0);
            return { key: 'total', value: v, threshold: c.atLeast, met: v >= c.atLeast };
          })()];
        holds = items.every((i) => i.met);
        evidence = {
          summary: `${items.filter((i) => i.met).length} of ${items.length} ${c.per === 'consumer' ? 'consumers' : 'counts'} reached ${c.atLeast} answered inquiries of ${c.service} in ${month}`,
          month, measured: items,
        };
        break;
      }
      case 'max-error-rate': {
        measure = true;
        const items: MeasuredItem[] = [];
        for (const s of scope(c.service)) {
          const o = byService.get(s);
          const reached = o ? o.answered + o.providerFailed : 0;
          if (!o || reached === 0) continue;
          const share = percent((100 * o.providerFailed) / reached);
          items.push({ key: s, value: share, threshold: c.percent, met: share <= c.percent });
        }
        const over = items.filter((i) => !i.met).sort((a, b) => b.value - a.value);
        holds = over.length === 0;
        failing = over.map((i) => i.key);
        evidence = {
          summary: `${over.length} of ${items.length} services with traffic in ${month} failed more than ${c.percent} % of the exchanges that reached them`,
          month, measured: [...over, ...items.filter((i) => i.met)].slice(0, LIST_LIMIT),
        };
        break;
      }
    }
    const status: MandateStatusValue = holds ? 'met' : !passed ? 'pending' : measure ? 'not-met' : 'overdue';
    const agencies = m.responsibleMember !== null ? [m.responsibleMember] : [...new Set(failing.map(memberOf))].sort();
    out.push({
      id: m.id, titleFa: m.titleFa, titleEn: m.titleEn, resolution: m.resolution, responsibleMember: m.responsibleMember,
      deadline: m.deadline, kind: c.kind, status, agencies: status === 'met' || status === 'pending' ? [] : agencies, evidence,
    });
  }
  return out;
}

/** As of now in Tehran. */
export function mandateStatusesNow(ctx: MandateContext, now: Date): Promise<MandateStatus[]> {
  return mandateStatuses(ctx, { on: instantToJalali(now) });
}

/** As the inspectors read a month once it is over: its levels measured, deadlines up to its last day passed. */
export function mandateStatusesOfMonth(ctx: MandateContext, month: JalaliMonth): Promise<MandateStatus[]> {
  return mandateStatuses(ctx, { on: firstDay(nextMonth(month)), month });
}

