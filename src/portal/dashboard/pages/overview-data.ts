// The overview's figures, read from the rollups through the statistics reader (never raw records)
// and named from the registry once per request: the inquiries of each day of the current Jalali month
// and of each month of the period, the shares of provider and consumer agencies (members, all their
// subsystems together, as the 1399 report counts them), success rate and latency, and the visits and
// letters avoided. The period's totals are the same query GET /v1/stats answers, so the two agree.
import { visitsAvoided, type VisitsAvoided } from '../../../compliance/visits-avoided.ts';
import { addJalaliDays, formatJalali, instantToJalali, type JalaliDate } from '../../../dates/jalali.ts';
import { comparePeriod } from '../../../oversight/period-plan.ts';
import { registryDirectory } from '../../../oversight/stats-source.ts';
import type { StatsLine, StatsReader } from '../../../oversight/stats.ts';
import type { Registry } from '../../../registry/registry.ts';

export interface OverviewSources {
  stats: StatsReader;
  registry: Registry;
}

export interface Share { id: string; name: string | null; nameFa: string | null; count: number; share: number }

export interface OverviewData {
  from: string;
  to: string;
  total: StatsLine;
  /** Days of the month that contains `to`, up to `to`. */
  days: { day: string; count: number; answered: number }[];
  months: { month: string; count: number; answered: number }[];
  providers: Share[];
  consumers: Share[];
  avoided: VisitsAvoided;
}

const memberOf = (id: string) => id.split('/').slice(0, 3).join('/');

/** Lines of subsystems summed per member, largest first; the rest of a long tail in one line. */
function perMember(lines: readonly StatsLine[], total: number, names: (id: string) => { name: string; nameFa: string | null } | undefined): Share[] {
  const sums = new Map<string, number>();
  for (const l of lines) if (l.key !== '' && l.count > 0) sums.set(memberOf(l.key), (sums.get(memberOf(l.key)) ?? 0) + l.count);
  return [...sums].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([id, count]) => {
    const n = names(id);
    return { id, name: n?.name ?? null, nameFa: n?.nameFa ?? null, count, share: total === 0 ? 0 : count / total };
  });
}

export async function overviewData(src: OverviewSources, period: { from: JalaliDate; to: JalaliDate }): Promise<OverviewData> {
  const directory = await registryDirectory(src.registry);
  const byProvider = src.stats.query({ from: period.from, to: period.to, by: 'provider', directory });
  const byConsumer = src.stats.query({ from: period.from, to: period.to, by: 'consumer', compare: false, directory });
  const byMonth = src.stats.query({ from: period.from, to: period.to, by: 'month', compare: false });
  const days: OverviewData['days'] = [];
  // One day-row range per day: at most 31 indexed reads.
  const monthStart: JalaliDate = { ...period.to, day: 1 };
  for (let d = comparePeriod(monthStart, period.from) < 0 ? period.from : monthStart; comparePeriod(d, period.to) <= 0; d = addJalaliDays(d, 1)) {
    const t = src.stats.query({ from: d, to: d, by: 'year', compare: false }).total;
    days.push({ day: formatJalali(d), count: t.count, answered: t.answered });
  }
  const total = byProvider.total.count;
  return {
    from: byProvider.from,
    to: byProvider.to,
    total: byProvider.total,
    days,
    months: byMonth.lines.map((l) => ({ month: l.key, count: l.count, answered: l.answered })),
    providers: perMember(byProvider.lines, total, directory.memberName),
    consumers: perMember(byConsumer.lines, byConsumer.total.count, directory.memberName),
    avoided: await visitsAvoided(src.stats, src.registry, period),
  };
}

/** The current Jalali year up to today in Tehran. */
export function yearToDate(now: Date): { from: JalaliDate; to: JalaliDate } {
  const today = instantToJalali(now);
  return { from: { year: today.year, month: 1, day: 1 }, to: today };
}
