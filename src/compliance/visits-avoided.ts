// Visits and letters avoided (issue "Oversight", item 5): each answered inquiry of a service times
// the in-person visits and paper letters the service declares one answered inquiry replaces, per
// providing agency. Services that declared nothing are counted and listed as not declared, never
// guessed. The sixth development plan's indicator, a 12.5 % cut in citizens' visits, is a yearly
// figure (src/oversight/visits-cut.ts): it is given when the period is one whole Jalali year, for
// agencies that declared a baseline (the latest base year before it).
// Read from the rollups through the statistics reader, so the yearly report calls it as it is.
import { formatJalali, jalaliMonthLength, type JalaliDate } from '../dates/jalali.ts';
import type { StatsQueries } from '../oversight/rollup-reader.ts';
import type { StatsLine } from '../oversight/stats.ts';
import { VISITS_CUT_TARGET_PERCENT, visitsCutPercent } from '../oversight/visits-cut.ts';
import type { Registry } from '../registry/registry.ts';

export { VISITS_CUT_TARGET_PERCENT };

export interface ServiceAvoided {
  serviceId: string;
  answered: number;
  /** Declared per answered inquiry; null when the service declared nothing. */
  visitsPerInquiry: number | null;
  lettersPerInquiry: number | null;
  visits: number;
  letters: number;
}

export interface AgencyAvoided {
  memberId: string;
  name: string | null;
  nameFa: string | null;
  answered: number;
  visits: number;
  letters: number;
  /** Answered inquiries of services that declared no savings: not in visits and letters. */
  answeredNotDeclared: number;
  servicesNotDeclared: string[];
  baseline: null | {
    year: number;
    visits: number;
    /** Visits avoided that base year (already missing from its declared visits). */
    avoidedInBaseYear: number;
    /** (visits − avoidedInBaseYear) / baseline visits, percent. */
    cutPercent: number;
    targetPercent: number;
    met: boolean;
  };
  services: ServiceAvoided[];
}

export interface VisitsAvoided {
  from: string;
  to: string;
  /** True when the period is one whole Jalali year, for which the plan's indicator is given. */
  wholeYear: boolean;
  targetPercent: number;
  total: { answered: number; visits: number; letters: number; answeredNotDeclared: number };
  agencies: AgencyAvoided[];
  notDeclared: { serviceId: string; answered: number }[];
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;
const memberOf = (serviceId: string) => serviceId.split('/').slice(0, 3).join('/');

export async function visitsAvoided(stats: StatsQueries, registry: Registry, period: { from: JalaliDate; to: JalaliDate }): Promise<VisitsAvoided> {
  const [answer, savings, baselines, members] = await Promise.all([
    stats.query({ from: period.from, to: period.to, by: 'service', compare: false }),
    registry.oversight.listSavings(), registry.oversight.listBaselines(), registry.listMembers(),
  ]);
  const declared = new Map(savings.map((s) => [s.serviceId, s]));
  const names = new Map(members.map((m) => [m.id, { name: m.name, nameFa: m.name_fa }]));
  const agencies = new Map<string, AgencyAvoided>();
  const notDeclared: VisitsAvoided['notDeclared'] = [];
  const total = { answered: 0, visits: 0, letters: 0, answeredNotDeclared: 0 };

  for (const line of answer.lines) {
    if (line.key === '' || line.answered === 0) continue; // metaservices, and services nobody was answered by
    const memberId = memberOf(line.key);
    let a = agencies.get(memberId);
    if (!a) {
      const n = names.get(memberId);
      a = { memberId, name: n?.name ?? null, nameFa: n?.nameFa ?? null, answered: 0, visits: 0, letters: 0, answeredNotDeclared: 0, servicesNotDeclared: [], baseline: null, services: [] };
      agencies.set(memberId, a);
    }
    const s = declared.get(line.key);
    const row: ServiceAvoided = {
      serviceId: line.key, answered: line.answered,
      visitsPerInquiry: s?.visits ?? null, lettersPerInquiry: s?.letters ?? null,
      visits: s ? line.answered * s.visits : 0, letters: s ? line.answered * s.letters : 0,
    };
    a.services.push(row);
    a.answered += line.answered;
    total.answered += line.answered;
    if (!s) {
      a.answeredNotDeclared += line.answered;
      a.servicesNotDeclared.push(line.key);
      total.answeredNotDeclared += line.answered;
      notDeclared.push({ serviceId: line.key, answered: line.answered });
      continue;
    }
    a.visits += row.visits;
    a.letters += row.letters;
    total.visits += row.visits;
    total.letters += row.letters;
  }

  // An agency with a baseline and nothing answered still has an indicator: a cut of 0 %.
  for (const b of baselines) {
    if (agencies.has(b.memberId)) continue;
    const n = names.get(b.memberId);
    agencies.set(b.memberId, { memberId: b.memberId, name: n?.name ?? null, nameFa: n?.nameFa ?? null, answered: 0, visits: 0, letters: 0, answeredNotDeclared: 0, servicesNotDeclared: [], baseline: null, services: [] });
  }
  const wholeYear = period.from.year === period.to.year && period.from.month === 1 && period.from.day === 1 &&
    period.to.month === 12 && period.to.day === jalaliMonthLength(period.to.year, 12);
  const baseYearLines = new Map<number, StatsLine[]>();
  const avoidedIn = async (year: number, memberId: string): Promise<number> => {
    let lines = baseYearLines.get(year);
    if (!lines) {
      lines = (await stats.query({ from: { year, month: 1, day: 1 }, to: { year, month: 12, day: jalaliMonthLength(year, 12) }, by: 'service', compare: false })).lines;
      baseYearLines.set(year, lines);
    }
    return lines.reduce((sum, l) => sum + (memberOf(l.key) === memberId ? l.answered * (declared.get(l.key)?.visits ?? 0) : 0), 0);
  };
  for (const a of agencies.values()) {
    const before = baselines.filter((b) => b.memberId === a.memberId && b.year < period.from.year && b.visits > 0);
    const base = wholeYear ? before.at(-1) : undefined; // listed by year
    if (base) {
      const inBase = await avoidedIn(base.year, a.memberId);
      const cut = visitsCutPercent(a.visits, inBase, base.visits)!;
      a.baseline = {
        year: base.year, visits: base.visits, avoidedInBaseYear: round(inBase, 3), cutPercent: round(cut, 3),
        targetPercent: VISITS_CUT_TARGET_PERCENT, met: cut >= VISITS_CUT_TARGET_PERCENT,
      };
    }
    a.visits = round(a.visits, 3);
    a.letters = round(a.letters, 3);
    a.services.sort((x, y) => y.answered - x.answered || x.serviceId.localeCompare(y.serviceId));
  }
  total.visits = round(total.visits, 3);
  total.letters = round(total.letters, 3);
  return {
    from: formatJalali(period.from),
    to: formatJalali(period.to),
    wholeYear,
    targetPercent: VISITS_CUT_TARGET_PERCENT,
    total,
    agencies: [...agencies.values()].sort((x, y) => y.visits - x.visits || y.answered - x.answered || x.memberId.localeCompare(y.memberId)),
    notDeclared: notDeclared.sort((x, y) => y.answered - x.answered || x.serviceId.localeCompare(y.serviceId)),
  };
}

