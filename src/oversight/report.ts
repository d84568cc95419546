// The annual report of the exchange, as Iran's 1399 report gives its figures, computed from this
// node's own rollups (never raw records) and registry: inquiries per Jalali year and their growth
// from the first year with traffic, the provider agencies and services with traffic each year, the
// largest providers and consumers with their shares, and the in-person visits and paper letters the
// answered inquiries replaced (DESIGN section 8; the issue "Oversight", items 4 and 5).
//
// Counting rules, stated once:
// - an inquiry is an exchange the node recorded, whatever its outcome (answered, refused, failed),
//   as the report counts transactions; the share answered is given beside it;
// - a provider agency (a member) or a service counts for a year when it had at least one exchange
//   that year; agencies and consumers are members (all of an agency's subsystems together);
// - visits and letters avoided are answered inquiries × what one answered inquiry of the service
//   replaces, as the registry declares it; a service without a declaration avoids nothing;
// - the development plan's cut in visits, per agency with a declared baseline: the visits its
//   services avoided in the year beyond those they already avoided in the base year, against the
//   visits declared for the base year (demand held at the base year's level).
import { jalaliMonthLength, type JalaliDate } from '../dates/jalali.ts';
import { Errors, fail } from '../errors/catalogue.ts';
import { normalizeDigits } from '../dates/jalali.ts';
import type { StatsQueries } from './rollup-reader.ts';
import type { Directory, StatsLine } from './stats.ts';
import { VISITS_CUT_TARGET_PERCENT, visitsCutPercent } from './visits-cut.ts';

/** Years a report may be asked for: four-digit Jalali years of this century and the next. */
export const REPORT_YEAR_MIN = 1300;
export const REPORT_YEAR_MAX = 1499;

export interface ReportYear {
  year: number;
  inquiries: number;
  answered: number;
  /** inquiries / the year before's − 1; null for the first year or after a year without traffic. */
  growth: number | null;
  providers: number;
  services: number;
  /** Visits and letters avoided that year; null when no service declares its savings. */
  visitsAvoided: number | null;
  lettersAvoided: number | null;
}

export interface ReportParty {
  /** Member id, INSTANCE/CLASS/MEMBER. */
  id: string;
  name: string | null;
  nameFa: string | null;
  inquiries: number;
  /** Of the year's inquiries, 0–1. */
  share: number;
}

export interface ReportBaseline {
  memberId: string;
  name: string | null;
  nameFa: string | null;
  baseYear: number;
  baselineVisits: number;
  /** Visits the agency's services avoided in the report's year, and in the base year. */
  avoided: number;
  avoidedInBaseYear: number;
  /** (avoided − avoidedInBaseYear) / baselineVisits × 100; null when the base year is not before the report's year. */
  cutPercent: number | null;
  meetsTarget: boolean | null;
}

export interface ReportSavings {
  /** False when no service declares what an answered inquiry saves: the section is "not declared". */
  declared: boolean;
  servicesDeclared: number;
  visits: number;
  letters: number;
  /** Agencies whose services avoided the most visits in the year. */
  byProvider: { id: string; name: string | null; nameFa: string | null; visits: number; letters: number }[];
  targetPercent: number;
  baselines: ReportBaseline[];
}

export interface Report {
  year: number;
  /** The first Jalali year with traffic on this node; null when there is none up to the report's year. */
  firstYear: number | null;
  /** From the first year with traffic to the report's year. */
  years: ReportYear[];
  inquiries: number;
  answered: number;
  successRate: number | null;
  growth: number | null;
  providers: number;
  services: number;
  consumers: number;
  p50Ms: number | null;
  p95Ms: number | null;
  topProviders: ReportParty[];
  topConsumers: ReportParty[];
  savings: ReportSavings;
}

export interface SavingsDeclaration { serviceId: string; visits: number; letters: number }
export interface BaselineDeclaration { memberId: string; year: number; visits: number }

export interface ReportInput {
  reader: StatsQueries;
  year: number;
  directory?: Directory | undefined;
  savings: readonly SavingsDeclaration[];
  baselines: readonly BaselineDeclaration[];
  /** Lines in the top providers and consumers (10 by default). */
  top?: number | undefined;
}

/** Parses a report year: four digits (Persian or Arabic-Indic digits read as Latin), 1300–1499. */
export function reportYear(input: string): number {
  const text = normalizeDigits(String(input)).trim();
  const year = /^\d{4}$/.test(text) ? Number(text) : NaN;
  if (!(year >= REPORT_YEAR_MIN && year <= REPORT_YEAR_MAX)) {
    fail(Errors.InvalidInput, `the report's year must be a four-digit Jalali year from ${REPORT_YEAR_MIN} to ${REPORT_YEAR_MAX}`);
  }
  return year;
}

const memberOf = (id: string) => id.split('/').slice(0, 3).join('/');
const startOf = (year: number): JalaliDate => ({ year, month: 1, day: 1 });
const endOf = (year: number): JalaliDate => ({ year, month: 12, day: jalaliMonthLength(year, 12) });

interface YearData { lines: StatsLine[]; total: StatsLine }

export async function buildReport(input: ReportInput): Promise<Report> {
  const { reader, year, directory } = input;
  const top = input.top ?? 10;
  const savingsOf = new Map(input.savings.map((s) => [s.serviceId, s]));
  const declared = input.savings.length > 0;

  const perYear = new Map<number, YearData>();
  const yearData = async (y: number): Promise<YearData> => {
    let d = perYear.get(y);
    if (!d) {
      const a = await reader.query({ from: startOf(y), to: endOf(y), by: 'service', compare: false });
      d = { lines: a.lines.filter((l) => l.count > 0 && l.key !== ''), total: a.total };
      perYear.set(y, d);
    }
    return d;
  };
  const avoidedBy = (lines: readonly StatsLine[], member?: string) => {
    let visits = 0;
    let letters = 0;
    for (const l of lines) {
      const s = savingsOf.get(l.key);
      if (!s || (member !== undefined && memberOf(l.key) !== member)) continue;
      visits += l.answered * s.visits;
      letters += l.answered * s.letters;
    }
    return { visits, letters };
  };

  // The first year with traffic: each year's rows are read once, and a year without traffic costs
  // an empty index range (cheaper than one pass over every month row of every year).
  let firstYear: number | null = null;
  for (let y = year; y >= REPORT_YEAR_MIN; y--) if ((await yearData(y)).total.count > 0) firstYear = y;
  const years: ReportYear[] = [];
  if (firstYear !== null) {
    for (let y = firstYear; y <= year; y++) {
      const d = await yearData(y);
      const before = years[years.length - 1];
      const saved = avoidedBy(d.lines);
      years.push({
        year: y,
        inquiries: d.total.count,
        answered: d.total.answered,
        growth: before && before.inquiries > 0 ? d.total.count / before.inquiries - 1 : null,
        providers: new Set(d.lines.map((l) => memberOf(l.key))).size,
        services: d.lines.length,
        visitsAvoided: declared ? saved.visits : null,
        lettersAvoided: declared ? saved.letters : null,
      });
    }
  }

  const current = await yearData(year);
  const total = current.total;
  const name = (id: string) => {
    const m = directory?.memberName(id);
    return { name: m?.name ?? null, nameFa: m?.nameFa ?? null };
  };
  const parties = (counts: Map<string, number>): ReportParty[] => [...counts]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, top)
    .map(([id, n]) => ({ id, ...name(id), inquiries: n, share: total.count === 0 ? 0 : n / total.count }));
  const sumBy = (lines: readonly StatsLine[]) => {
    const m = new Map<string, number>();
    for (const l of lines) m.set(memberOf(l.key), (m.get(memberOf(l.key)) ?? 0) + l.count);
    return m;
  };
  const providerCounts = sumBy(current.lines);
  const consumerLines = (await reader.query({ from: startOf(year), to: endOf(year), by: 'consumer', compare: false })).lines.filter((l) => l.count > 0 && l.key !== '');
  const consumerCounts = sumBy(consumerLines);

  const byProvider = [...providerCounts.keys()].map((id) => ({ id, ...name(id), ...avoidedBy(current.lines, id) }))
    .filter((p) => p.visits > 0 || p.letters > 0)
    .sort((a, b) => b.visits - a.visits || b.letters - a.letters || a.id.localeCompare(b.id))
    .slice(0, top);
  const baselines: ReportBaseline[] = [];
  for (const b of input.baselines) {
    const avoided = avoidedBy(current.lines, b.memberId).visits;
    const inBase = b.year < year && b.year >= REPORT_YEAR_MIN ? avoidedBy((await yearData(b.year)).lines, b.memberId).visits : 0;
    const cutPercent = b.year < year ? visitsCutPercent(avoided, inBase, b.visits) : null;
    baselines.push({
      memberId: b.memberId, ...name(b.memberId), baseYear: b.year, baselineVisits: b.visits, avoided, avoidedInBaseYear: inBase,
      cutPercent, meetsTarget: cutPercent === null ? null : cutPercent >= VISITS_CUT_TARGET_PERCENT,
    });
  }
  baselines.sort((a, b) => a.memberId.localeCompare(b.memberId) || a.baseYear - b.baseYear);
  const saved = avoidedBy(current.lines);
  const last = years[years.length - 1];

  return {
    year,
    firstYear,
    years,
    inquiries: total.count,
    answered: total.answered,
    successRate: total.successRate,
    growth: last?.year === year ? last.growth : null,
    providers: providerCounts.size,
    services: current.lines.length,
    consumers: consumerCounts.size,
    p50Ms: total.p50Ms,
    p95Ms: total.p95Ms,
    topProviders: parties(providerCounts),
    topConsumers: parties(consumerCounts),
    savings: {
      declared,
      servicesDeclared: input.savings.length,
      visits: saved.visits,
      letters: saved.letters,
      byProvider,
      targetPercent: VISITS_CUT_TARGET_PERCENT,
      baselines,
    },
  };
}
