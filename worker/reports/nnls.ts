// Non-negative least squares for a handful of features: minimise |Xw − y|²
// subject to w ≥ 0. With k ≤ ~8 features the exact answer is found by trying
// every support set (2^k small least-squares solves) and keeping the best
// feasible one: no step sizes or tolerances to tune, and exact on exact data.

/** Solves A x = b by Gaussian elimination with partial pivoting; null if singular. */
function solve(A: number[][], b: number[]): number[] | null {
  const n = b.length;
  const M = A.map((row, i) => [...row, b[i]]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(M[r][c]) > Math.abs(M[p][c])) p = r;
    if (Math.abs(M[p][c]) < 1e-12) return null;
    [M[c], M[p]] = [M[p], M[c]];
    for (let r = 0; r < n; r++) {
      if (r === c) continue;
      const f = M[r][c] / M[c][c];
      for (let k = c; k <= n; k++) M[r][k] -= f * M[c][k];
    }
  }
  return M.map((row, i) => row[n] / row[i]);
}

export function sse(X: number[][], y: number[], w: number[]): number {
  let s = 0;
  for (let i = 0; i < X.length; i++) {
    let p = 0;
    for (let j = 0; j < w.length; j++) p += X[i][j] * w[j];
    s += (p - y[i]) ** 2;
  }
  return s;
}

export function nnls(X: number[][], y: number[]): { w: number[]; sse: number } {
  const k = X[0]?.length ?? 0;
  // XᵀX and Xᵀy once, in one pass over the samples (each sum added in sample
  // order, so every support's normal equations are the same numbers a sum per
  // support gave); a support then costs a k×k solve, not a pass over the rows.
  const G = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const Xy = new Array<number>(k).fill(0);
  for (let i = 0; i < X.length; i++) {
    const row = X[i];
    for (let a = 0; a < k; a++) {
      Xy[a] += row[a] * y[i];
      for (let b = 0; b < k; b++) G[a][b] += row[a] * row[b];
    }
  }
  let best = { w: new Array<number>(k).fill(0), sse: sse(X, y, new Array<number>(k).fill(0)) };
  for (let mask = 1; mask < 1 << k; mask++) {
    const cols = [...Array(k).keys()].filter((j) => mask & (1 << j));
    // Normal equations restricted to the support: (XsᵀXs) ws = Xsᵀy.
    const ws = solve(cols.map((a) => cols.map((b) => G[a][b])), cols.map((a) => Xy[a]));
    if (!ws || ws.some((x) => x < 0)) continue;
    const w = new Array<number>(k).fill(0);
    cols.forEach((c, i) => (w[c] = ws[i]));
    const e = sse(X, y, w);
    if (e < best.sse - 1e-15) best = { w, sse: e };
  }
  return best;
}
