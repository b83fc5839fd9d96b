// Fitting the score's weights to what stores actually sold. Each (place, SKU)
// row is a sample: features are the five signals normalised by the place's max
// (exactly the score's inputs), the target is units (or revenue) normalised by
// the place's max. Non-negative least squares finds the weights; they are
// reported rescaled to sum to 1 (rescaling changes no rank). "Current" weights
// are judged fairly: scaled by their own best factor before their error is taken.
import type { FitResult, FitTarget as Target } from '../../protocol/reports';
import { badRequest } from '../errors';
import { nnls, sse } from './nnls';
import { normalise, SIGNALS, type Weights } from './score';
import type { SkuRow } from './sku';
import { ranks, spearmanRanked } from './stats';

export const MIN_SALES_ROWS = 3;

const r6 = (x: number) => Math.round(x * 1e6) / 1e6;

export function fitWeights(rows: SkuRow[], current: Weights, target: Target): FitResult {
  const sold = rows.filter((r) => r[target] > 0);
  if (sold.length < MIN_SALES_ROWS) {
    throw badRequest('not_enough_sales', `a fit needs sales of at least ${MIN_SALES_ROWS} (place, SKU) pairs in range; found ${sold.length}`);
  }
  const X = normalise(rows).map((n) => SIGNALS.map((s) => n[s]));
  const maxBy = new Map<string, number>();
  for (const r of rows) maxBy.set(r.place, Math.max(maxBy.get(r.place) ?? 0, r[target]));
  const y = rows.map((r) => (maxBy.get(r.place)! > 0 ? r[target] / maxBy.get(r.place)! : 0));

  const fit = nnls(X, y);
  const wc = SIGNALS.map((s) => current[s]);
  const pc = X.map((row) => row.reduce((s, x, j) => s + x * wc[j], 0));
  const dot = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i], 0);
  const alpha = dot(pc, pc) > 0 ? Math.max(0, dot(pc, y) / dot(pc, pc)) : 0;
  const sseCurrent = sse(X, y, wc.map((w) => w * alpha));
  const pf = X.map((row) => row.reduce((s, x, j) => s + x * fit.w[j], 0));
  const mean = y.reduce((s, v) => s + v, 0) / y.length;
  const sst = y.reduce((s, v) => s + (v - mean) ** 2, 0);
  const sum = fit.w.reduce((s, w) => s + w, 0);
  const fitted = {} as Weights;
  SIGNALS.forEach((s, j) => (fitted[s] = sum > 0 ? r6(fit.w[j] / sum) : 0));
  const ry = ranks(y); // the target's ranks, once for both rhos
  const rhoC = spearmanRanked(ranks(pc), ry);
  const rhoF = spearmanRanked(ranks(pf), ry);
  return {
    samples: rows.length,
    target,
    current: { weights: current, sse: r6(sseCurrent), r2: sst > 0 ? r6(1 - sseCurrent / sst) : null, spearman: rhoC },
    fitted: { weights: fitted, sse: r6(fit.sse), r2: sst > 0 ? r6(1 - fit.sse / sst) : null, spearman: rhoF },
    improvement: {
      sse: sseCurrent > 0 ? r6((sseCurrent - fit.sse) / sseCurrent) : null,
      spearman: rhoC !== null && rhoF !== null ? r6(rhoF - rhoC) : null,
    },
  };
}
