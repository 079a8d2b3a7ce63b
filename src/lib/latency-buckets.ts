/**
 * Turn latency kept as a histogram in the daily rollup (`claude_usage_daily.latency_buckets`, 48 counters), because
 * percentiles cannot be averaged or summed across days but histograms can. Bucket 0 holds turns under 50 ms; bucket
 * b (1..46) holds [50·1.25^(b-1), 50·1.25^b) ms; bucket 47 everything from 50·1.25^46 ms (about 4.4 hours) up. The
 * SQL function `vf_latency_bucket(ms)` of the migrations computes the same index; a test keeps the two in step.
 */
export const LATENCY_BUCKETS = 48;
const BASE_MS = 50;
const GROWTH = 1.25;

/** The bucket of a turn that took `ms` milliseconds. */
export function latencyBucket(ms: number): number {
  if (!(ms >= BASE_MS)) return 0;
  return Math.min(LATENCY_BUCKETS - 1, 1 + Math.floor(Math.log(ms / BASE_MS) / Math.log(GROWTH)));
}

/** The upper bound (ms, exclusive) of bucket `b`; Infinity for the last one. */
export function bucketUpperMs(b: number): number {
  return b >= LATENCY_BUCKETS - 1 ? Infinity : BASE_MS * GROWTH ** b;
}

/**
 * The p-quantile (0 < p ≤ 1) of the turns counted in `buckets` (summed over any rows), interpolated linearly inside
 * its bucket, so the answer is within one bucket (25 %) of the exact value. Null when nothing was counted.
 */
export function percentileFromBuckets(buckets: readonly number[], p: number): number | null {
  const total = buckets.reduce((sum, count) => sum + count, 0);
  if (total === 0) return null;
  const rank = p * total;
  let seen = 0;
  for (let b = 0; b < buckets.length; b++) {
    const count = buckets[b] ?? 0;
    if (count > 0 && seen + count >= rank) {
      const lower = b === 0 ? 0 : bucketUpperMs(b - 1);
      const upper = Number.isFinite(bucketUpperMs(b)) ? bucketUpperMs(b) : lower * GROWTH;
      return lower + ((rank - seen) / count) * (upper - lower);
    }
    seen += count;
  }
  return bucketUpperMs(buckets.length - 2);
}

/** Adds histograms element by element (rows of different days, users or models). */
export function addBuckets(into: number[], more: readonly number[]): number[] {
  for (let b = 0; b < LATENCY_BUCKETS; b++) into[b] = (into[b] ?? 0) + (more[b] ?? 0);
  return into;
}
