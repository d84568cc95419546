// Small-cell suppression of the open data (statistical disclosure control by the threshold rule).
//
// Primary: a count from 1 to THRESHOLD − 1 is withheld (written empty in CSV, null in JSON), never
// rounded; a row whose own count is withheld has every cell withheld. A zero is published: it singles
// out nobody.
//
// Secondary (complementary) suppression: a withheld cell must not be recoverable by subtraction. The
// published figures obey sums: a row's inquiries are its answered + refused + failed; a column of a
// month's file sums to the month's total (which any other file of the month gives away); a provider's
// row sums its services' rows in the services file. Every such sum is a Relation; while a relation has
// exactly one withheld cell, the smallest published cell of it (a non-zero one first) is withheld too,
// so each withheld cell hides inside a sum of at least two unknowns. This is the usual greedy
// complementary suppression of national statistics offices; it does not search for the optimal pattern.

export const THRESHOLD = 10;

export interface Cell {
  readonly value: number;
  suppressed: boolean;
}

/** Cells that sum to a total: `total` is a published cell, or 'known' when the total is public anyway. */
export interface Relation {
  total: Cell | 'known';
  parts: Cell[];
}

export const cell = (value: number): Cell => ({ value, suppressed: value > 0 && value < THRESHOLD });

/** Withholds every cell of a row whose own count is withheld: a small row tells nothing. */
export function suppressSmallRow(count: Cell, others: Cell[]): void {
  if (count.suppressed) for (const c of others) c.suppressed = true;
}

/** Adds complementary suppressions until no relation has exactly one withheld cell. */
export function protect(relations: readonly Relation[]): void {
  // Each pass only adds suppressions and there are finitely many cells, so this ends.
  for (let changed = true; changed;) {
    changed = false;
    for (const r of relations) {
      const cells = r.total === 'known' ? r.parts : [r.total, ...r.parts];
      const withheld = cells.filter((c) => c.suppressed).length;
      if (withheld !== 1) continue;
      const next = complement(r);
      if (next) {
        next.suppressed = true;
        changed = true;
      }
    }
  }
}

function complement(r: Relation): Cell | undefined {
  const open = r.parts.filter((c) => !c.suppressed);
  // A non-zero complement hides the withheld value better than a zero, which an adversary may guess.
  const pick = (cs: Cell[]) => cs.reduce<Cell | undefined>((best, c) => (best === undefined || c.value < best.value ? c : best), undefined);
  const chosen = pick(open.filter((c) => c.value > 0)) ?? pick(open);
  if (chosen) return chosen;
  // Every part is withheld but the total: withhold the total.
  return r.total !== 'known' && !r.total.suppressed ? r.total : undefined;
}
