// The approximate median engaged dwell of a (place, SKU) row, from the
// sku_chains histogram: per-visitor-day dwell counted in log buckets 20% wide
// (worker/rollups/sku-chains.ts), zero-dwell visitor-days = vdays − Σ buckets. The middle
// rank's bucket gives its value as the bucket's geometric centre, so a median
// between 1 s and the last bucket's floor (~19.6 min) is within ±9.6%
// (√1.2 − 1) of the exact median of per-visitor-day dwell; one under 1 s is
// reported as 500 ms, one above the floor as the floor's centre.
import { DWELL_BUCKETS, DWELL_LO_MS, DWELL_RATIO } from './sku-chains';

/** The value a histogram bucket stands for. */
export function bucketValue(k: number): number {
  if (k === 0) return DWELL_LO_MS / 2;
  return DWELL_LO_MS * DWELL_RATIO ** (k - 0.5);
}

/** The bucket a dwell (ms > 0) falls in: the same rule as the SQL, for tests and docs. */
export function bucketOf(ms: number): number {
  if (ms < DWELL_LO_MS) return 0;
  return Math.min(DWELL_BUCKETS - 1, Math.floor(Math.log(ms / DWELL_LO_MS) / Math.log(DWELL_RATIO)) + 1);
}

/** Median over `vdays` visitor-days (the mean of the two middle ones for an even count), rounded to ms. */
export function histMedian(vdays: number, hist: number[]): number {
  if (!vdays) return 0;
  const zeros = vdays - hist.reduce((s, n) => s + n, 0);
  const at = (rank: number): number => {
    let seen = zeros;
    if (rank <= seen) return 0;
    for (let k = 0; k < hist.length; k++) {
      seen += hist[k];
      if (rank <= seen) return bucketValue(k);
    }
    return 0; // unreachable while the histogram sums to at most vdays
  };
  return Math.round((at(Math.floor((vdays + 1) / 2)) + at(Math.floor((vdays + 2) / 2))) / 2);
}
