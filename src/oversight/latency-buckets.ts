// Latency histograms with fixed log-scale buckets. Every hour, day and month row of every node uses
// the same bounds, so histograms merge by adding counts, and percentiles of any merge (a year, a
// province, the whole country) come from the merged counts instead of averaging percentiles, which
// would be wrong.
//
// Bucket 0 holds durations under 100 µs; bucket i (1 ≤ i < 39) holds [100·2^((i-1)/2), 100·2^(i/2)) µs,
// two buckets per doubling; bucket 39 holds everything from 100·2^19 µs (about 52 s) up. A percentile
// is interpolated inside its bucket, so its error is under the bucket's width (41 %), and usually far
// less.

export const BUCKETS = 40;
const BASE_US = 100;

/** The bucket columns of the rollup tables, l00 … l39. */
export const BUCKET_COLUMNS = Array.from({ length: BUCKETS }, (_, i) => `l${String(i).padStart(2, '0')}`);

/** Lower bound (µs) of bucket i. */
export function bucketLowerUs(i: number): number {
  return i === 0 ? 0 : BASE_US * 2 ** ((i - 1) / 2);
}

export function bucketOf(durationUs: number): number {
  if (!(durationUs >= BASE_US)) return 0; // also NaN and negatives
  return Math.min(BUCKETS - 1, Math.floor(2 * Math.log2(durationUs / BASE_US)) + 1);
}

/**
 * The q-quantile (0 < q < 1), in milliseconds, of a histogram; null when it is empty. Linear inside
 * the bucket that holds the rank; the open last bucket answers its lower bound (a floor, stated as
 * such by callers that show it).
 */
export function percentileMs(counts: ArrayLike<number>, q: number): number | null {
  let total = 0;
  for (let i = 0; i < counts.length; i++) total += counts[i]!;
  if (total === 0) return null;
  const rank = q * total;
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    const c = counts[i]!;
    if (c === 0) continue;
    if (seen + c >= rank) {
      const lower = bucketLowerUs(i);
      if (i === BUCKETS - 1) return lower / 1000;
      const upper = bucketLowerUs(i + 1);
      return (lower + ((rank - seen) / c) * (upper - lower)) / 1000;
    }
    seen += c;
  }
  return bucketLowerUs(BUCKETS - 1) / 1000;
}
