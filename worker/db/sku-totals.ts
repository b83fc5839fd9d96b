// sku_totals: running totals per place level, place and SKU, so a SKU report
// reads two rows per (place, SKU) whatever its range. A row (p, place, sku, day)
// holds the sums of every visitor-day of the pair up to and including `day`:
// visitor-days, views, dwell, consult-days, appointment-days and the dwell
// histogram h0..h39. A row exists for each day the pair had a visitor; the total
// at any day is the latest row at or before it. So over [from, to]
//   visitors  = Δvdays − Σ sku_chains.visitors  (repeat rows: from ≤ prev, day ≤ to)
//   consults  = Δconsults − Σ sku_chains.consults (likewise appointments)
//   views, dwell_ms, h* = Δ of the running totals
// where Δ = total at `to` − total before `from`: exact, as a visitor's days in
// range after their first one are exactly the repeat rows with prev ≥ from.
// sku_pairs lists every (p, place, sku) a site has, the read's driving list.
//
// The fold keeps both in step in its batch, from the same signed ledger rows as
// sku_chains: per (pair, day) the difference is added to that day's row (made
// from the latest earlier row when new) and to the pair's later rows (a late
// event only: normally there are none). The recomputation builds them from
// scratch with a window sum over the same per-visitor-day rows (`x`).
import { contributions, HIST_COLUMNS, ST_JSON, stFrom } from './sku-chains';

export const TOTAL_COLS = ['vdays', 'views', 'dwell_ms', 'consults', 'appointments', ...HIST_COLUMNS];
const KEY = 'p, place, sku';
const same = (a: string, b: string) => `${a}.p = ${b}.p AND ${a}.place = ${b}.place AND ${a}.sku = ${b}.sku`;

// Per (pair, day): what the signed visitor-day rows of `x` add.
const DAY_SUMS = `SELECT ${KEY}, day, SUM(s) AS vdays, SUM(s * vw) AS views, SUM(s * dw) AS dwell_ms, SUM(s * c) AS consults,
  SUM(s * a) AS appointments, ${HIST_COLUMNS.map((h, k) => `SUM(s * (bk = ${k})) AS ${h}`).join(', ')} FROM x GROUP BY ${KEY}, day`;

/**
 * The fold's statement for sku_totals (?1 = site, ?2 = the JSON of
 * skuChainsDelta): every target row (the changed days and the pair's later
 * rows) is written once as the latest total at or before its day plus the
 * changes up to it; ON CONFLICT replaces an existing row with that value.
 */
export function skuTotalsDelta(db: D1Database, siteKey: string, stJson: string): D1PreparedStatement {
  return db
    .prepare(
      `WITH ${ST_JSON}
       ${contributions()},
       dd AS (${DAY_SUMS} HAVING SUM(s) <> 0 OR SUM(s * vw) <> 0 OR SUM(s * dw) <> 0 OR SUM(s * c) <> 0 OR SUM(s * a) <> 0),
       tg AS (SELECT ${KEY}, day FROM dd
         UNION SELECT t.p, t.place, t.sku, t.day FROM sku_totals t
           JOIN (SELECT ${KEY}, MIN(day) AS d0 FROM dd GROUP BY ${KEY}) m ON t.site_key = ?1 AND ${same('t', 'm')} AND t.day > m.d0),
       inc AS (SELECT tg.p, tg.place, tg.sku, tg.day, ${TOTAL_COLS.map((c) => `SUM(dd.${c}) AS ${c}`).join(', ')}
         FROM tg JOIN dd ON ${same('dd', 'tg')} AND dd.day <= tg.day GROUP BY tg.p, tg.place, tg.sku, tg.day)
       INSERT INTO sku_totals (site_key, ${KEY}, day, ${TOTAL_COLS.join(', ')})
       SELECT ?1, i.p, i.place, i.sku, i.day, ${TOTAL_COLS.map((c) => `coalesce(b.${c}, 0) + i.${c}`).join(', ')}
       FROM inc i LEFT JOIN sku_totals b ON b.site_key = ?1 AND ${same('b', 'i')} AND b.day = (
         SELECT MAX(z.day) FROM sku_totals z WHERE z.site_key = ?1 AND ${same('z', 'i')} AND z.day <= i.day)
       WHERE true
       ON CONFLICT DO UPDATE SET ${TOTAL_COLS.map((c) => `${c} = excluded.${c}`).join(', ')}`,
    )
    .bind(siteKey, stJson);
}

/** The fold's statement for sku_pairs: the pairs of the batch's rows; a known pair writes nothing. */
export function skuPairsInsert(db: D1Database, siteKey: string, stJson: string): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO sku_pairs (site_key, p, place, sku)
       SELECT DISTINCT ?1, l.value, CASE l.value WHEN 'r' THEN j.value ->> 3 ELSE j.value ->> 4 END, j.value ->> 5
       FROM json_each(?2) AS j, json_each('["r","c"]') AS l WHERE j.value ->> 0 = 1
       ON CONFLICT DO NOTHING`,
    )
    .bind(siteKey, stJson);
}

/** sku_totals rows of site ?1 from scratch out of `source` (per-visitor SKU day rows; CTEs in `ctes`). */
export const skuTotalsSql = (source: string, ctes = '') => `
  WITH ${ctes} ${stFrom(source)}
  ${contributions()},
  dd AS (${DAY_SUMS})
  SELECT ?1 AS site_key, ${KEY}, day,
    ${TOTAL_COLS.map((c) => `SUM(${c}) OVER (PARTITION BY ${KEY} ORDER BY day ROWS UNBOUNDED PRECEDING) AS ${c}`).join(', ')}
  FROM dd`;

/** sku_pairs rows of site ?1 out of its sku_totals. */
export const SKU_PAIRS_FROM_TOTALS = 'SELECT DISTINCT site_key, p, place, sku FROM sku_totals WHERE site_key = ?1';

export const SKU_TOTAL_COLUMNS = `site_key, ${KEY}, day, ${TOTAL_COLS.join(', ')}`;

/**
 * The range's totals per (site, place, SKU) of level ?3 (place ?4 or all) over
 * [?2, ?5] for the sites in ?1, as CTE `rt` with columns site_key, place, sku
 * and `cols` (Δ of the running totals). Only pairs with a visitor-day in range:
 * the latest row at or before `to` is on or after `from`. `only`: an extra
 * condition on sku_pairs (pr).
 */
export function rangeTotalsCte(cols: string[], only = ''): string {
  const at = (bound: string) => `(SELECT MAX(z.day) FROM sku_totals z
    WHERE z.site_key = pr.site_key AND z.p = ?3 AND z.place = pr.place AND z.sku = pr.sku AND z.day ${bound})`;
  const row = (alias: string, day: string) => `sku_totals ${alias} ON ${alias}.site_key = e.site_key AND ${alias}.p = ?3
    AND ${alias}.place = e.place AND ${alias}.sku = e.sku AND ${alias}.day = e.${day}`;
  return `pr AS (SELECT site_key, place, sku FROM sku_pairs
      WHERE site_key IN (SELECT value FROM json_each(?1)) AND p = ?3 AND (?4 IS NULL OR place = ?4) ${only}),
    e AS (SELECT site_key, place, sku, ${at('<= ?5')} AS dt, ${at('< ?2')} AS df FROM pr),
    rt AS (SELECT e.site_key, e.place, e.sku, ${cols.map((c) => `a.${c} - coalesce(b.${c}, 0) AS ${c}`).join(', ')}
      FROM e JOIN ${row('a', 'dt')} LEFT JOIN ${row('b', 'df')} WHERE e.dt >= ?2)`;
}

/** Repeat rows in [?2, ?5] per (place, SKU): what turns visitor-days into distinct visitors (CTE `rp`). */
export const REPEATS_CTE = `rp AS (SELECT place, sku, SUM(visitors) AS v, SUM(consults) AS c, SUM(appointments) AS a FROM sku_chains
    WHERE site_key IN (SELECT value FROM json_each(?1)) AND p = ?3 AND span = 'd' AND day > ?2 AND day <= ?5
      AND prev >= ?2 AND (?4 IS NULL OR place = ?4) GROUP BY place, sku)`;
