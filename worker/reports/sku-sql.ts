// Regional SKU-interest SQL: the interest signals from sku_totals and
// sku_chains (exact distinct counts and totals, approximate median dwell;
// worker/rollups/sku-totals.ts) and the store feedback from non-voided deals' items,
// placed by the selling store's region or city. Every value is bound.
import type { Level } from '../../protocol/reports';
import type { StorePair } from '../auth/tokens';
import { histMedian } from '../rollups/dwell';
import { HIST_COLUMNS } from '../rollups/sku-chains';
import { rangeEndsSql, rangeSums, REPEATS_SQL } from '../rollups/sku-totals';
import { inStorePairs, pairsParam } from '../db/store-scope';

export type { Level };

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

const INTEREST = ['vdays', 'views', 'dwell_ms', 'consults', 'appointments'];

/**
 * Interest per (place, SKU) over [from, to]: the running totals' difference
 * (two primary-key seeks per pair, worker/rollups/sku-totals.ts) less the repeat rows in
 * range, so the distinct counts are exact and the cost does not grow with the
 * range. With `medians` the dwell histogram comes in the same seeks and
 * medianDwellMs is filled; otherwise it is left 0 and medianDwell() reads it
 * for the rows kept.
 */
export async function interestRows(db: D1Database, sites: string[], from: string, to: string, level: Level, place: string | null,
  medians = false): Promise<InterestRow[]> {
  const args = [JSON.stringify(sites), from, LEVEL[level], place, to];
  const cols = medians ? [...INTEREST, ...HIST_COLUMNS] : INTEREST;
  const [ends, reps] = await db.batch([db.prepare(rangeEndsSql(cols)).bind(...args), db.prepare(REPEATS_SQL).bind(...args)]);
  const rep = JSON.parse((reps.results[0] as { j?: string } | undefined)?.j ?? '[]') as [string, string, number, number, number][];
  const repeats = new Map(rep.map(([p, sku, v, c, a]) => [pairKey(p, sku), { v, c, a }]));
  const out: InterestRow[] = [];
  for (const [k, { place: p, sku, v }] of rangeSums((ends.results[0] as { j?: string } | undefined)?.j, from, pairKey)) {
    const r = repeats.get(k);
    out.push({
      place: p, sku, views: v[1], visitors: v[0] - (r?.v ?? 0), dwellMs: v[2], consults: v[3] - (r?.c ?? 0), appointments: v[4] - (r?.a ?? 0),
      medianDwellMs: medians ? histMedian(v[0], v.slice(INTEREST.length)) : 0,
    });
  }
  return out;
}

/**
 * Approximate median per-visitor-day dwell (worker/rollups/dwell.ts) per
 * (place, SKU) over [from, to], from the running histograms' difference;
 * `pairs` limits it to those rows (null = all).
 */
export async function medianDwell(db: D1Database, sites: string[], from: string, to: string, level: Level, place: string | null,
  pairs: { place: string; sku: string }[] | null): Promise<Map<string, number>> {
  const only = 'AND (?6 IS NULL OR (pr.place, pr.sku) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?6)))';
  const row = await db
    .prepare(rangeEndsSql(['vdays', ...HIST_COLUMNS], only))
    .bind(JSON.stringify(sites), from, LEVEL[level], place, to, pairs ? JSON.stringify(pairs.map((p) => [p.place, p.sku])) : null)
    .first<{ j: string }>();
  return new Map([...rangeSums(row?.j, from, pairKey)].map(([k, { v }]) => [k, histMedian(v[0], v.slice(1))]));
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
