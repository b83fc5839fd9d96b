// Regional SKU-interest SQL: the interest signals from sku_totals and
// sku_chains (exact distinct counts and totals, approximate median dwell;
// db/sku-totals.ts) and the store feedback from non-voided deals' items,
// placed by the selling store's region or city. Every value is bound.
import type { StorePair } from '../auth/tokens';
import { histMedian } from '../reports/dwell-median';
import { HIST_COLUMNS } from './sku-chains';
import { rangeTotalsCte, REPEATS_CTE } from './sku-totals';
import { inStorePairs, pairsParam } from './store-scope';

export type Level = 'region' | 'city';

export interface InterestRow {
  place: string; // '' when Cloudflare gave no region / city
  sku: string;
  views: number;
  visitors: number;
  dwellMs: number;
  medianDwellMs: number;
  consults: number;
  appointments: number;
}

export interface SalesRow {
  place: string;
  sku: string;
  units: number;
  revenue: number;
}

const SITES = 'SELECT value FROM json_each(?1)';
const LEVEL: Record<Level, string> = { region: 'r', city: 'c' };
// The only spliced text: a column chosen from this closed map.
const PLACE: Record<Level, { store: string }> = {
  region: { store: "coalesce(st.region, '')" },
  city: { store: "coalesce(st.city, '')" },
};

/**
 * Interest per (place, SKU) over [from, to]: the running totals' difference
 * (two rows per pair, db/sku-totals.ts) less the repeat rows in range, so the
 * distinct counts are exact and the cost does not grow with the range.
 * medianDwellMs is left 0 here: the histogram is costly to sum, so
 * medianDwell() reads it for the rows kept.
 */
export async function interestRows(db: D1Database, sites: string[], from: string, to: string, level: Level, place: string | null): Promise<InterestRow[]> {
  const { results } = await db
    .prepare(
      `WITH ${rangeTotalsCte(['vdays', 'views', 'dwell_ms', 'consults', 'appointments'])}, ${REPEATS_CTE}
       SELECT g.place, g.sku, g.views, g.vdays - coalesce(rp.v, 0) AS visitors, g.dwellMs, g.consults - coalesce(rp.c, 0) AS consults,
         g.appointments - coalesce(rp.a, 0) AS appointments, 0 AS medianDwellMs
       FROM (SELECT place, sku, SUM(views) AS views, SUM(vdays) AS vdays, SUM(dwell_ms) AS dwellMs, SUM(consults) AS consults,
               SUM(appointments) AS appointments FROM rt GROUP BY place, sku) g
       LEFT JOIN rp ON rp.place = g.place AND rp.sku = g.sku`,
    )
    .bind(JSON.stringify(sites), from, LEVEL[level], place, to)
    .all<InterestRow>();
  return results;
}

/**
 * Approximate median per-visitor-day dwell (reports/dwell-median.ts) per
 * (place, SKU) over [from, to], from the running histograms' difference;
 * `pairs` limits it to those rows (null = all).
 */
export async function medianDwell(db: D1Database, sites: string[], from: string, to: string, level: Level, place: string | null,
  pairs: { place: string; sku: string }[] | null): Promise<Map<string, number>> {
  const only = 'AND (?6 IS NULL OR (place, sku) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?6)))';
  const { results } = await db
    .prepare(
      `WITH ${rangeTotalsCte(['vdays', ...HIST_COLUMNS], only)}
       SELECT place, sku, SUM(vdays) AS vdays, ${HIST_COLUMNS.map((h) => `SUM(${h}) AS ${h}`).join(', ')} FROM rt GROUP BY place, sku`,
    )
    .bind(JSON.stringify(sites), from, LEVEL[level], place, to, pairs ? JSON.stringify(pairs.map((p) => [p.place, p.sku])) : null)
    .all<Record<string, number | string>>();
  return new Map(results.map((r) => [pairKey(r.place as string, r.sku as string), histMedian(r.vdays as number, HIST_COLUMNS.map((h) => r[h] as number))]));
}

export const pairKey = (place: string, sku: string) => `${place}\u0000${sku}`;

/** Units and revenue per (place of the selling store, SKU) from non-voided deals in [from, to]; `stores`: only these stores' deals. */
export async function salesRows(
  db: D1Database, sites: string[], from: string, to: string, level: Level, place: string | null, stores: StorePair[] | null = null,
): Promise<SalesRow[]> {
  const col = PLACE[level].store;
  const { results } = await db
    .prepare(
      `SELECT ${col} AS place, i.sku AS sku, SUM(i.qty) AS units, SUM(i.amount) AS revenue
       FROM deals x
       JOIN deal_items i ON i.site_key = x.site_key AND i.deal_id = x.id
       LEFT JOIN stores st ON st.site_key = x.site_key AND st.store_id = x.store_id
       WHERE x.site_key IN (${SITES}) AND x.day BETWEEN ?2 AND ?3 AND x.voided_at IS NULL
         AND (?4 IS NULL OR ${col} = ?4) AND ${inStorePairs('?5', 'x.site_key', 'x.store_id')}
       GROUP BY place, i.sku`,
    )
    .bind(JSON.stringify(sites), from, to, place, pairsParam(stores))
    .all<SalesRow>();
  return results;
}
