// Regional SKU-interest SQL: the interest signals from sku_totals and
// sku_chains (exact distinct counts and totals, approximate median dwell;
// worker/rollups/sku-totals.ts) and the store feedback from non-voided deals' items,
// placed by the selling store's region or city. Every value is bound.
import type { Level, Signal } from '../../protocol/reports';
import type { StorePair } from '../auth/tokens';
import { histMedian } from '../rollups/dwell';
import { HIST_COLUMNS } from '../rollups/sku-chains';
import { chunkItems, rangeEndsSql, REPEATS_SQL, type RangeEnd } from '../rollups/sku-totals';
import { inStorePairs, pairsParam } from '../db/store-scope';

export type { Level };

/** A (place, SKU) row of a report before scoring: interest, approximate median dwell, and what stores sold. */
export interface SkuRow extends Record<Signal, number> {
  place: string; // '' when Cloudflare gave no region / city
  sku: string;
  medianDwellMs: number;
  units: number;
  revenue: number;
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

type Ends = [place: string, sku: string, to: RangeEnd, before: RangeEnd];
type Repeats = [place: string, sku: string, visitors: number, consults: number, appointments: number];

/**
 * Interest per (place, SKU) over [from, to], keyed by pairKey, in the read's
 * order (units and revenue 0): the running totals' difference (two
 * primary-key seeks per pair, worker/rollups/sku-totals.ts) less the repeat
 * rows in range, so the distinct counts are exact and the cost does not grow
 * with the range. A site group's pairs are summed. With `medians` the dwell
 * histogram comes in the same seeks and medianDwellMs is filled; otherwise it
 * is left 0 and medianDwell() reads it for the rows kept. One object per row
 * and no intermediate arrays: a full list is ten thousand rows or more.
 */
export async function interestRows(db: D1Database, sites: string[], from: string, to: string, level: Level, place: string | null,
  medians = false): Promise<Map<string, SkuRow>> {
  const args = [JSON.stringify(sites), from, LEVEL[level], place, to];
  const cols = medians ? [...INTEREST, ...HIST_COLUMNS] : INTEREST;
  const [ends, reps] = await db.batch<{ j: string | null }>([db.prepare(rangeEndsSql(cols)).bind(...args), db.prepare(REPEATS_SQL).bind(...args)]);
  const rows = new Map<string, SkuRow>();
  // h0..h39 per pair, with `medians`: summed over a group's sites first; one
  // site's (the usual case) go straight into the median through one scratch array.
  const hists = new Map<string, number[]>();
  const scratch = new Array<number>(HIST_COLUMNS.length).fill(0);
  const oneSite = sites.length === 1;
  for (const [p, sku, t, f] of chunkItems<Ends>(ends.results)) {
    if (!t || t[0] < from) continue; // no visitor-day in range
    const k = pairKey(p, sku);
    let r = rows.get(k);
    if (!r) {
      r = { place: p, sku, views: 0, visitors: 0, dwellMs: 0, medianDwellMs: 0, consults: 0, appointments: 0, units: 0, revenue: 0 };
      rows.set(k, r);
    }
    // [day, vdays, views, dwell_ms, consults, appointments, h0..]: visitors holds visitor-days until the repeats are taken off.
    r.visitors += (t[1] as number) - (f ? (f[1] as number) : 0);
    r.views += (t[2] as number) - (f ? (f[2] as number) : 0);
    r.dwellMs += (t[3] as number) - (f ? (f[3] as number) : 0);
    r.consults += (t[4] as number) - (f ? (f[4] as number) : 0);
    r.appointments += (t[5] as number) - (f ? (f[5] as number) : 0);
    if (!medians) continue;
    const h = oneSite ? scratch.fill(0) : hists.get(k) ?? hists.set(k, new Array<number>(HIST_COLUMNS.length).fill(0)).get(k)!;
    for (let i = 0; i < HIST_COLUMNS.length; i++) h[i] += (t[6 + i] as number) - (f ? (f[6 + i] as number) : 0);
    // Before the repeats come off: the median is over visitor-days.
    if (oneSite) r.medianDwellMs = histMedian(r.visitors, h);
  }
  for (const [k, h] of hists) rows.get(k)!.medianDwellMs = histMedian(rows.get(k)!.visitors, h);
  for (const [p, sku, v, c, a] of chunkItems<Repeats>(reps.results)) {
    const r = rows.get(pairKey(p, sku));
    if (!r) continue;
    r.visitors -= v;
    r.consults -= c;
    r.appointments -= a;
  }
  return rows;
}

/**
 * Approximate median per-visitor-day dwell (worker/rollups/dwell.ts) per
 * (place, SKU) over [from, to], from the running histograms' difference;
 * `pairs` limits it to those rows (null = all).
 */
export async function medianDwell(db: D1Database, sites: string[], from: string, to: string, level: Level, place: string | null,
  pairs: { place: string; sku: string }[] | null): Promise<Map<string, number>> {
  const only = 'AND (?6 IS NULL OR (pr.place, pr.sku) IN (SELECT value ->> 0, value ->> 1 FROM json_each(?6)))';
  const { results } = await db
    .prepare(rangeEndsSql(['vdays', ...HIST_COLUMNS], only))
    .bind(JSON.stringify(sites), from, LEVEL[level], place, to, pairs ? JSON.stringify(pairs.map((p) => [p.place, p.sku])) : null)
    .all<{ j: string | null }>();
  const sums = new Map<string, number[]>(); // vdays, h0..h39, summed over a group's sites
  for (const [p, sku, t, f] of chunkItems<Ends>(results)) {
    if (!t || t[0] < from) continue;
    const k = pairKey(p, sku);
    const v = sums.get(k) ?? sums.set(k, new Array<number>(t.length - 1).fill(0)).get(k)!;
    for (let i = 1; i < t.length; i++) v[i - 1] += (t[i] as number) - (f ? (f[i] as number) : 0);
  }
  return new Map([...sums].map(([k, v]) => [k, histMedian(v[0], v.slice(1))]));
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
