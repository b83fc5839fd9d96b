// The regional SKU-interest rows: interest signals and store sales merged per
// (place, SKU), scored and ranked within the place, with the rank correlation
// between score and units sold (store feedback).
import type { Correlation } from '../../protocol/reports';
import type { StorePair } from '../auth/tokens';
import { interestRows, medianDwell, pairKey, salesRows, type Level, type SkuRow } from './sku-sql';
import { scoreRows, SIGNALS, type Scored, type Weights } from './score';
import { spearman } from './stats';

export type { SkuRow };

export type ScoredSkuRow = SkuRow & Scored;

/**
 * Every (place, SKU) with interest or sales in range, unscored, in the read's
 * order (sales-only rows last). `stores`: a token's pairs; the deal side
 * (units, revenue) counts only their deals, the interest side (online, before
 * any store) stays site-wide. `medians`: fill medianDwellMs of every row in
 * the same read (a full list needs them all).
 */
export async function skuRows(
  db: D1Database, sites: string[], from: string, to: string, level: Level, place: string | null, stores: StorePair[] | null = null,
  medians = false,
): Promise<SkuRow[]> {
  const [rows, sales] = await Promise.all([
    interestRows(db, sites, from, to, level, place, medians),
    salesRows(db, sites, from, to, level, place, stores),
  ]);
  for (const s of sales) {
    const k = pairKey(s.place, s.sku);
    const r = rows.get(k) ?? { place: s.place, sku: s.sku, views: 0, visitors: 0, dwellMs: 0, medianDwellMs: 0, consults: 0, appointments: 0, units: 0, revenue: 0 };
    r.units = s.units;
    r.revenue = s.revenue;
    rows.set(k, r);
  }
  return [...rows.values()];
}

/**
 * Fills medianDwellMs of `rows` (every row of the report when `all`, so no
 * pair list is sent): read apart because summing the histogram is the costly
 * part, and the weight fit and a top-N list need none or few of them.
 */
export async function withMedians<T extends { place: string; sku: string; medianDwellMs: number }>(db: D1Database, sites: string[], from: string,
  to: string, level: Level, place: string | null, rows: T[], all: boolean): Promise<T[]> {
  if (!rows.length) return rows;
  const m = await medianDwell(db, sites, from, to, level, place, all ? null : rows);
  for (const r of rows) r.medianDwellMs = m.get(pairKey(r.place, r.sku)) ?? 0;
  return rows;
}

/**
 * Spearman's rho between score and units, overall and per place (in the
 * order places first appear); null without sales. One pass groups the rows,
 * instead of filtering every row once per place.
 */
export function correlation(rows: ScoredSkuRow[]): Correlation | null {
  if (!rows.some((r) => r.units > 0)) return null;
  const places = new Map<string, { score: number[]; units: number[] }>();
  for (const r of rows) {
    const g = places.get(r.place) ?? places.set(r.place, { score: [], units: [] }).get(r.place)!;
    g.score.push(r.score);
    g.units.push(r.units);
  }
  const byPlace: Record<string, number | null> = {};
  for (const [p, g] of places) byPlace[p] = spearman(g.score, g.units);
  return { overall: spearman(rows.map((r) => r.score), rows.map((r) => r.units)), byPlace };
}

export function scoreSkuRows(rows: SkuRow[], w: Weights): ScoredSkuRow[] {
  return scoreRows(rows, w);
}

/** JSON shape of one row; `place` is reported under the level's name. */
export function present(r: ScoredSkuRow, level: Level, withParts: boolean) {
  const out: Record<string, unknown> = { [level]: r.place === '' ? null : r.place, sku: r.sku, rank: r.rank, score: r.score };
  for (const s of SIGNALS) out[s] = r[s];
  out.medianDwellMs = r.medianDwellMs;
  out.units = r.units;
  out.revenue = r.revenue;
  if (withParts) out.parts = r.parts;
  return out;
}

export const SKU_COLUMNS = (level: Level): string[] => [
  level, 'sku', 'rank', 'score', 'views', 'visitors', 'dwellMs', 'medianDwellMs', 'consults', 'appointments', 'units', 'revenue',
];
