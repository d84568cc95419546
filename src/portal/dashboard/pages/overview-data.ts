// The overview's figures, read from the rollups through the statistics reader (never raw records)
// and named from the registry once per request: the inquiries of each day of the current Jalali month
// and of each month of the period, the shares of provider and consumer agencies (members, all their
// subsystems together, as the 1399 report counts them), success rate and latency, and the visits and
// letters avoided. The period's totals are the same query GET /v1/stats answers, so the two agree.
import { visitsAvoided, type VisitsAvoided } from '../../../compliance/visits-avoided.ts';
import { addJalaliDays, formatJalali, instantToJalali, type JalaliDate } from '../../../dates/jalali.ts';
import { comparePeriod } from '../../../oversight/period-plan.ts';
import { registryDirectory } from '../../../oversight/stats-source.ts';
import type { StatsQueries } from '../../../oversight/rollup-reader.ts';
import type { StatsAnswer, StatsLine } from '../../../oversight/stats.ts';
import type { Registry } from '../../../registry/registry.ts';

export interface OverviewSources {
  stats: StatsQueries;
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

/**
 * The period's figures in as few reads as the answers allow (a year of rollups is thousands of keys ×
 * hundreds of day and month rows, and every grouping is a pass over them): the consumers with the
 * period before (the totals, their growth and the consumers' shares in one), the services once (the
 * providers' shares are their services' lines summed per member, and the visits avoided are counted
 * from the same lines), the months, and the days of the last month.
 */
export async function overviewData(src: OverviewSources, period: { from: JalaliDate; to: JalaliDate }): Promise<OverviewData> {
  const directory = await registryDirectory(src.registry);
  // The days of the last month of the period, in one read of the day rows; a day without traffic is a zero.
  const monthStart: JalaliDate = { ...period.to, day: 1 };
  const firstDay = comparePeriod(monthStart, period.from) < 0 ? period.from : monthStart;
  const [byConsumer, byService, byMonth, byDay] = await Promise.all([
    src.stats.query({ from: period.from, to: period.to, by: 'consumer', directory }),
    src.stats.query({ from: period.from, to: period.to, by: 'service', compare: false }),
    src.stats.query({ from: period.from, to: period.to, by: 'month', compare: false }),
    src.stats.query({ from: firstDay, to: period.to, by: 'day', compare: false }),
  ]);
  const perDay = new Map(byDay.lines.map((l) => [l.key, l]));
  const days: OverviewData['days'] = [];
  for (let d = firstDay; comparePeriod(d, period.to) <= 0; d = addJalaliDays(d, 1)) {
    const line = perDay.get(formatJalali(d));
    days.push({ day: formatJalali(d), count: line?.count ?? 0, answered: line?.answered ?? 0 });
  }
  const total = byConsumer.total.count;
  return {
    from: byConsumer.from,
    to: byConsumer.to,
    total: byConsumer.total,
    days,
    months: byMonth.lines.map((l) => ({ month: l.key, count: l.count, answered: l.answered })),
    providers: perMember(byService.lines, total, directory.memberName),
    consumers: perMember(byConsumer.lines, total, directory.memberName),
    avoided: await visitsAvoided(answering(src.stats, byService), src.registry, period),
  };
}

/** The reader, but the service lines of `answer`'s period are given from `answer` instead of read again. */
function answering(stats: StatsQueries, answer: StatsAnswer): StatsQueries {
  return {
    query: (q) => (q.by === 'service' && q.compare === false && formatJalali(q.from) === answer.from && formatJalali(q.to) === answer.to && !q.directory
      ? answer : stats.query(q)),
  };
}

/** The current Jalali year up to today in Tehran. */
export function yearToDate(now: Date): { from: JalaliDate; to: JalaliDate } {
  const today = instantToJalali(now);
  return { from: { year: today.year, month: 1, day: 1 }, to: today };
}
