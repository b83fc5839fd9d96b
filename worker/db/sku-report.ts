// Regional SKU-interest SQL: the interest signals from sku_visitor_days (one row
// per visitor, day, place and SKU, so distinct visitors and per-visitor dwell
// are exact) and the store feedback from non-voided deals' items, placed by the
// selling store's region or city. Every value is bound.
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
// The only spliced text: a column chosen from this closed map.
const PLACE: Record<Level, { interest: string; store: string }> = {
  region: { interest: 'region', store: "coalesce(st.region, '')" },
  city: { interest: 'city', store: "coalesce(st.city, '')" },
};

/**
 * Interest per (place, SKU) over [from, to]. `pv` folds each visitor's days into
 * one row; the window numbers those rows by dwell so the median is the middle
 * one (the mean of the two middle ones for an even count).
 */
export async function interestRows(db: D1Database, sites: string[], from: string, to: string, level: Level, place: string | null): Promise<InterestRow[]> {
  const col = PLACE[level].interest;
  const { results } = await db
    .prepare(
      `WITH pv AS (
         SELECT ${col} AS place, sku, site_key, visitor_id, SUM(views) AS v, SUM(dwell_ms) AS d,
           MAX(consults > 0) AS c, MAX(appointments > 0) AS a
         FROM sku_visitor_days
         WHERE site_key IN (${SITES}) AND day BETWEEN ?2 AND ?3 AND (?4 IS NULL OR ${col} = ?4)
         GROUP BY place, sku, site_key, visitor_id),
       r AS (
         SELECT *, ROW_NUMBER() OVER (PARTITION BY place, sku ORDER BY d) AS rn,
           COUNT(*) OVER (PARTITION BY place, sku) AS n
         FROM pv)
       SELECT place, sku, SUM(v) AS views, COUNT(*) AS visitors, SUM(d) AS dwellMs,
         AVG(CASE WHEN rn IN ((n + 1) / 2, (n + 2) / 2) THEN d END) AS medianDwellMs,
         SUM(c) AS consults, SUM(a) AS appointments
       FROM r GROUP BY place, sku`,
    )
    .bind(JSON.stringify(sites), from, to, place)
    .all<InterestRow>();
  return results;
}

/** Units and revenue per (place of the selling store, SKU) from non-voided deals in [from, to]. */
export async function salesRows(db: D1Database, sites: string[], from: string, to: string, level: Level, place: string | null): Promise<SalesRow[]> {
  const col = PLACE[level].store;
  const { results } = await db
    .prepare(
      `SELECT ${col} AS place, i.sku AS sku, SUM(i.qty) AS units, SUM(i.amount) AS revenue
       FROM deals x
       JOIN deal_items i ON i.site_key = x.site_key AND i.deal_id = x.id
       LEFT JOIN stores st ON st.site_key = x.site_key AND st.store_id = x.store_id
       WHERE x.site_key IN (${SITES}) AND x.day BETWEEN ?2 AND ?3 AND x.voided_at IS NULL
         AND (?4 IS NULL OR ${col} = ?4)
       GROUP BY place, i.sku`,
    )
    .bind(JSON.stringify(sites), from, to, place)
    .all<SalesRow>();
  return results;
}
