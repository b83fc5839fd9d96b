// Percentiles by the nearest-rank method, chosen because every answer is a time
// that really happened (no interpolation between two conversations) and because
// it is easy to check by hand: sort the n values ascending; the p-th percentile
// is the value at 1-based rank ⌈p × n / 100⌉. So the median (p = 50) of an even
// count is the lower of the two middle values, and p90 of 10 values is the 9th.

/** The p-th percentile (0 < p ≤ 100) of ascending `sorted`, by nearest rank; null when empty. */
export function nearestRank(sorted: readonly number[], p: number): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  // p × n / 100 in integers where possible: 0.9 × 30 in floating point is 27.000000000000004.
  const rank = Math.max(1, Math.ceil(Math.round(p * n * 1e6) / 1e8));
  return sorted[Math.min(n, rank) - 1];
}

/** Ascending copy, for feeding `nearestRank` more than once. */
export const ascending = (xs: readonly number[]): number[] => [...xs].sort((a, b) => a - b);
