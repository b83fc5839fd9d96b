// sku_chains: the SKU reports' distinct counts without a per-visitor scan. The
// day-chain trick of touch_days (worker/rollups/touch-days.ts) per place level, place
// and SKU, one row per local day (span 'd'): a visitor-day counts under prev =
// the visitor's previous day with the same place and SKU ('' = none). Over
// [from, to], Σ visitors where prev < from is the exact distinct count; the
// reports take it as visitor-days in range (running totals, sku_totals in
// worker/rollups/sku-totals.ts) minus the repeat rows with prev ≥ from, read through the
// partial index sku_chains_repeats (migration 0009), so a report reads two
// totals rows per (place, SKU) and the repeats in range, whatever its length.
// Views and dwell are additive; the median reads a log-bucket histogram of
// per-visitor-day dwell (h0..h39; worker/rollups/dwell.ts).
//
// The fold keeps it in step in SQL like touch_days: for the batch's changed
// (visitor, SKU) pairs, every contribution of their ledger rows before (sign
// −1) and after (+1) the batch, upserted as the difference. Ten-day block rows
// (span 'b') are no longer written (migration 0009 deleted them): the running
// totals replaced them.
import { SKU_ROW, signedRows } from './rows';

/** Histogram: bucket 0 = (0, 1 s); bucket k ≥ 1 = [1 s · 1.2^(k−1), 1 s · 1.2^k); the last is open. */
export const DWELL_BUCKETS = 40;
export const DWELL_LO_MS = 1000;
export const DWELL_RATIO = 1.2;
const H = Array.from({ length: DWELL_BUCKETS }, (_, k) => `h${k}`);
const BUCKET = `CASE WHEN dw <= 0 THEN -1 WHEN dw < ${DWELL_LO_MS} THEN 0
  ELSE min(${DWELL_BUCKETS - 1}, CAST(floor(ln(dw / ${DWELL_LO_MS}.0) / ln(${DWELL_RATIO})) AS INTEGER) + 1) END`;
export const COLS = ['vdays', 'visitors', 'views', 'dwell_ms', 'consults', 'appointments', ...H];

/**
 * CTEs from `st` (s = sign, visitor_id, day, region, city, sku, views,
 * dwell_ms, consults, appointments): `x`, one row per signed visitor-day per
 * place level with its dwell bucket and previous days (the running totals'
 * input, worker/rollups/sku-totals.ts), and `parts`, its repeat contributions: only rows
 * with a previous day (prev <> ''), the only ones a report subtracts.
 */
export function contributions(): string {
  // D1 allows few terms per compound SELECT: the levels are a join with a JSON list.
  const unpivot = `SELECT s, visitor_id, l.value AS p, CASE l.value WHEN 'r' THEN region ELSE city END AS place, sku, day,
      SUM(views) AS vw, SUM(dwell_ms) AS dw, MAX(consults > 0) AS c, MAX(appointments > 0) AS a
    FROM st, json_each('["r","c"]') AS l GROUP BY s, visitor_id, p, place, sku, day`;
  const before = 'OVER (PARTITION BY s, visitor_id, p, place, sku ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)';
  const hist = H.map((_, k) => `(bk = ${k}) AS h${k}`).join(', ');
  return `u AS (${unpivot}),
    x AS (SELECT s, p, place, sku, day, vw, dw, c, a, ${BUCKET} AS bk,
             coalesce(MAX(day) ${before}, '') AS pv, coalesce(MAX(CASE WHEN c THEN day END) ${before}, '') AS pc,
             coalesce(MAX(CASE WHEN a THEN day END) ${before}, '') AS pa FROM u),
    parts AS (
      SELECT s, p, 'd' AS span, day, place, sku, pv AS prev, 1 AS vdays, 1 AS visitors, vw AS views,
        dw AS dwell_ms, 0 AS consults, 0 AS appointments, ${hist} FROM x WHERE pv <> ''
      UNION ALL SELECT s, p, 'd', day, place, sku, pc, 0, 0, 0, 0, 1, 0, ${H.map(() => '0').join(', ')} FROM x WHERE c AND pc <> ''
      UNION ALL SELECT s, p, 'd', day, place, sku, pa, 0, 0, 0, 0, 0, 1, ${H.map(() => '0').join(', ')} FROM x WHERE a AND pa <> '')`;
}

/** The CTE `st` out of the fold's JSON parameter ?2. */
export const ST_JSON = `${signedRows('st', SKU_ROW)},`;
/** The CTE `st` out of per-visitor SKU day rows of site ?1 in `source`. */
export const stFrom = (source: string) =>
  `st AS (SELECT 1 AS s, visitor_id, day, region, city, sku, views, dwell_ms, consults, appointments FROM ${source} WHERE site_key = ?1),`;

const SUMS = COLS.map((c) => `SUM(s * ${c}) AS ${c}`).join(', ');
const KEYS = 'site_key, p, span, day, place, sku, prev';

/**
 * The fold's statement. ?1 = site, ?2 = signed per-visitor rows as JSON
 * [sign, visitor, day, region, city, sku, views, dwell, consults, appointments]:
 * the changed (visitor, SKU) pairs' ledger rows before (−1) and after (+1) the batch.
 */
export function skuChainsDelta(db: D1Database, siteKey: string, stJson: string): D1PreparedStatement {
  return db
    .prepare(
      `WITH ${ST_JSON}
       ${contributions()}
       INSERT INTO sku_chains (${KEYS}, ${COLS.join(', ')})
       SELECT ?1, p, span, day, place, sku, prev, ${SUMS} FROM parts WHERE true
       GROUP BY p, span, day, place, sku, prev
       HAVING ${COLS.slice(0, 6).map((c) => `SUM(s * ${c}) <> 0`).join(' OR ')}
       ON CONFLICT DO UPDATE SET ${COLS.map((c) => `${c} = ${c} + excluded.${c}`).join(', ')}`,
    )
    .bind(siteKey, stJson);
}

/** sku_chains rows of site ?1 computed from scratch out of `source` (per-visitor SKU day rows). */
export const skuChainsSql = (source: string, ctes = '') => `
  WITH ${ctes} ${stFrom(source)}
  ${contributions()}
  SELECT ?1 AS site_key, p, span, day, place, sku, prev, ${SUMS} FROM parts GROUP BY p, span, day, place, sku, prev`;

export const SKU_CHAIN_COLUMNS = `${KEYS}, ${COLS.join(', ')}`;
export const HIST_COLUMNS = H;
