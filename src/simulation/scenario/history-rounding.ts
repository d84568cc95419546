// Whole numbers from shares, exactly: the history splits a year's total over keys, a key's year over
// days and a day's count over latency buckets, and every split must add up to its total to the unit
// (the report's 1.3 billion is 1 300 000 000, not about that).
//
// Cumulative (systematic) rounding: item i gets floor(T·Cᵢ/W + φ) − floor(T·Cᵢ₋₁/W + φ), Cᵢ the
// running sum of the weights and φ ∈ [0, 1) a phase. The parts add up to T exactly, every run of
// consecutive items is within one unit of its exact share (so a consumer's keys, listed together,
// keep the consumer's share to the unit), and an item never gets more than the ceiling of its exact
// share, so thinning counts (weights that are counts, T not above their sum) never takes more than
// an item holds. The phase, varied from split to split (multiples of the golden ratio), keeps small
// counts from always landing on the same items.

/** Splits `total` over `weights` into `out` (same length); items of weight 0 get 0. */
export function splitTotal(total: number, weights: ArrayLike<number>, phase: number, out: Float64Array | number[]): void {
  let sum = 0;
  let last = -1;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (w > 0) {
      sum += w;
      last = i;
    }
  }
  let acc = 0;
  let prev = 0;
  for (let i = 0; i < weights.length; i++) {
    const w = weights[i]!;
    if (!(w > 0) || total === 0) {
      out[i] = 0;
      continue;
    }
    acc += w;
    // The last weighted item closes the total exactly, whatever the floating-point sum did.
    const cur = i === last ? total : Math.min(total, Math.floor((total * acc) / sum + phase));
    out[i] = Math.max(0, cur - prev);
    prev = Math.max(prev, cur);
  }
}
