// The sixth development plan's indicator: a 12.5 % cut in citizens' in-person visits, against a
// baseline year. An agency declares the visits citizens made to it in a base year; the visits its
// services avoided that year were already missing from that count, so the cut in a later year is
// what its services avoided beyond the base year's, against the base year's declared visits (demand
// held at the base year's level). One definition, used by the yearly report and the savings report.

/** The sixth development plan's target. */
export const VISITS_CUT_TARGET_PERCENT = 12.5;

/** Percent; null when there is no baseline to measure against. */
export function visitsCutPercent(avoided: number, avoidedInBaseYear: number, baselineVisits: number): number | null {
  return baselineVisits > 0 ? ((avoided - avoidedInBaseYear) / baselineVisits) * 100 : null;
}
