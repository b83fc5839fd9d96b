// sku_chains: the SKU reports' signals without a per-visitor scan, so a 90-day
// report reads blocks × places × SKUs rows, not visitor-days. The day-chain
// trick of touch_days (worker/db/touch-days.ts) per place level, place and SKU,
// at two spans: 'd' (one local day) and 'b' (a ten-day block: days 1-10, 11-20,
// 21-end of a month). A visitor counts once per span, on their first day in it,
// under prev = their previous day with the same place and SKU before the span.
// A range = the days before its first whole block + whole blocks + the days
// after, and Σ visitors where prev < from is the exact distinct count (the
// visitor's first day in range is the only one whose prev is before `from`).
// Views and dwell are additive; the median reads a log-bucket histogram of
// per-visitor-day dwell (h0..h39; worker/reports/dwell-median.ts).
//
// The fold keeps it in step in SQL like touch_days: for the batch's changed
// (visitor, SKU) pairs, every contribution of their ledger rows before (sign
// −1) and after (+1) the batch, upserted as the difference.

/** Histogram: bucket 0 = (0, 1 s); bucket k ≥ 1 = [1 s · 1.2^(k−1), 1 s · 1.2^k); the last is open. */
export const DWELL_BUCKETS = 40;
export const DWELL_LO_MS = 1000;
export const DWELL_RATIO = 1.2;
const H = Array.from({ length: DWELL_BUCKETS }, (_, k) => `h${k}`);
const BUCKET = `CASE WHEN dw <= 0 THEN -1 WHEN dw < ${DWELL_LO_MS} THEN 0
  ELSE min(${DWELL_BUCKETS - 1}, CAST(floor(ln(dw / ${DWELL_LO_MS}.0) / ln(${DWELL_RATIO})) AS INTEGER) + 1) END`;
// A day's ten-day block, as its first day.
const BLOCK = `substr(day, 1, 8) || CASE WHEN substr(day, 9, 2) <= '10' THEN '01' WHEN substr(day, 9, 2) <= '20' THEN '11' ELSE '21' END`;
const COLS = ['vdays', 'visitors', 'views', 'dwell_ms', 'consults', 'appointments', ...H];

/**
 * CTEs from `st` (s = sign, visitor_id, day, region, city, sku, views,
 * dwell_ms, consults, appointments) to `parts`: one contribution per
 * sku_chains key column set plus the value columns.
 */
function contributions(): string {
  // D1 allows few terms per compound SELECT: levels and spans are joins with JSON lists.
  const unpivot = `SELECT s, visitor_id, l.value AS p, CASE l.value WHEN 'r' THEN region ELSE city END AS place, sku, day,
      SUM(views) AS vw, SUM(dwell_ms) AS dw, MAX(consults > 0) AS c, MAX(appointments > 0) AS a
    FROM st, json_each('["r","c"]') AS l GROUP BY s, visitor_id, p, place, sku, day`;
  const before = 'OVER (PARTITION BY s, visitor_id, p, place, sku ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)';
  const hist = H.map((_, k) => `(bk = ${k}) AS h${k}`).join(', ');
  return `u AS (${unpivot}),
    ch AS (SELECT s, p, place, sku, day, ${BLOCK} AS blk, vw, dw, c, a, ${BUCKET} AS bk,
             coalesce(MAX(day) ${before}, '') AS pv, coalesce(MAX(CASE WHEN c THEN day END) ${before}, '') AS pc,
             coalesce(MAX(CASE WHEN a THEN day END) ${before}, '') AS pa FROM u),
    x AS (SELECT s, p, place, sku, sp.value AS span, CASE sp.value WHEN 'd' THEN day ELSE blk END AS day, vw, dw, bk, pv, pc, pa,
            (sp.value = 'd' OR pv < blk) AS fv, c AND (sp.value = 'd' OR pc < blk) AS fc, a AND (sp.value = 'd' OR pa < blk) AS fa
          FROM ch, json_each('["d","b"]') AS sp),
    parts AS (
      SELECT s, p, span, day, place, sku, CASE WHEN fv THEN pv ELSE '' END AS prev, 1 AS vdays, fv AS visitors, vw AS views,
        dw AS dwell_ms, 0 AS consults, 0 AS appointments, ${hist} FROM x
      UNION ALL SELECT s, p, span, day, place, sku, pc, 0, 0, 0, 0, 1, 0, ${H.map(() => '0').join(', ')} FROM x WHERE fc
      UNION ALL SELECT s, p, span, day, place, sku, pa, 0, 0, 0, 0, 0, 1, ${H.map(() => '0').join(', ')} FROM x WHERE fa)`;
}

const SUMS = COLS.map((c) => `SUM(s * ${c}) AS ${c}`).join(', ');
const KEYS = 'site_key, p, span, day, place, sku, prev';

/**
 * The fold's statement. ?1 = site, ?2 = signed per-visitor rows as JSON
 * [sign, visitor, day, region, city, sku, views, dwell, consults, appointments]:
 * the changed (visitor, SKU) pairs' ledger rows before (−1) and after (+1) the batch.
 */
export function skuChainsDelta(db: D1Database, siteKey: string, stJson: string): D1PreparedStatement {
  const cols = ['s', 'visitor_id', 'day', 'region', 'city', 'sku', 'views', 'dwell_ms', 'consults', 'appointments'];
  return db
    .prepare(
      `WITH st AS (SELECT ${cols.map((c, i) => `j.value ->> ${i} AS ${c}`).join(', ')} FROM json_each(?2) AS j),
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
  WITH ${ctes} st AS (SELECT 1 AS s, visitor_id, day, region, city, sku, views, dwell_ms, consults, appointments FROM ${source} WHERE site_key = ?1),
  ${contributions()}
  SELECT ?1 AS site_key, p, span, day, place, sku, prev, ${SUMS} FROM parts GROUP BY p, span, day, place, sku, prev`;

export const SKU_CHAIN_COLUMNS = `${KEYS}, ${COLS.join(', ')}`;
export const HIST_COLUMNS = H;
