// Spearman rank correlation: Pearson correlation of the ranks, ties getting the
// mean of the ranks they span (the usual "fractional ranking").

export function ranks(xs: number[]): number[] {
  // Indices sorted by value: no [value, index] pair per element.
  const idx = Array.from(xs.keys()).sort((a, b) => xs[a] - xs[b]);
  const out = new Array<number>(xs.length);
  for (let i = 0; i < idx.length; ) {
    let j = i;
    while (j + 1 < idx.length && xs[idx[j + 1]] === xs[idx[i]]) j++;
    const r = (i + j) / 2 + 1;
    for (let k = i; k <= j; k++) out[idx[k]] = r;
    i = j + 1;
  }
  return out;
}

export function pearson(a: number[], b: number[]): number | null {
  const n = a.length;
  if (n < 2) return null;
  const ma = a.reduce((s, x) => s + x, 0) / n;
  const mb = b.reduce((s, x) => s + x, 0) / n;
  let sab = 0, saa = 0, sbb = 0;
  for (let i = 0; i < n; i++) {
    sab += (a[i] - ma) * (b[i] - mb);
    saa += (a[i] - ma) ** 2;
    sbb += (b[i] - mb) ** 2;
  }
  return saa === 0 || sbb === 0 ? null : sab / Math.sqrt(saa * sbb);
}

/** Spearman's rho, or null with fewer than 2 pairs or a constant side. */
export function spearman(a: number[], b: number[]): number | null {
  return spearmanRanked(ranks(a), ranks(b));
}

/** Spearman's rho from both sides' ranks (one side's ranks can then serve several rhos). */
export function spearmanRanked(ra: number[], rb: number[]): number | null {
  const r = pearson(ra, rb);
  return r === null ? null : Math.round(r * 1e6) / 1e6;
}
