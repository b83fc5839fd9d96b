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
import { SKU_ROW, signedRows } from './rows';
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
      `WITH ${signedRows('st', SKU_ROW)}
       INSERT INTO sku_pairs (site_key, p, place, sku)
       SELECT DISTINCT ?1, l.value, CASE l.value WHEN 'r' THEN region ELSE city END, sku
       FROM st, json_each('["r","c"]') AS l WHERE s = 1
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
 * Pairs per row of the reads below. D1 refuses a string over 2 MB
 * (SQLITE_TOOBIG): one JSON string for every pair failed past ~7k pairs with
 * both ends (a range not starting at the site's first day) or the city level.
 * 500 pairs of 45 columns at both ends are ~300 KB; a list reads a few rows.
 */
export const PAIRS_PER_ROW = 500;

/**
 * Rows of `j`, each a comma-separated run of the JSON arrays `item` (an
 * expression over the rows of `from`), PAIRS_PER_ROW at a time and in the
 * order `from` yields them; what follows `from` in the query is its WHERE.
 * Text concatenation, not json_group_array: a subquery's JSON loses its
 * subtype, and json() would parse every array again.
 */
const chunked = (item: string, from: string) => `SELECT group_concat(x, ',' ORDER BY n) AS j FROM (
  SELECT ${item} AS x, row_number() OVER () AS n ${from}) GROUP BY (n - 1) / ${PAIRS_PER_ROW} ORDER BY (n - 1) / ${PAIRS_PER_ROW}`;

/**
 * Per (site, place, SKU) of level ?3 (place ?4 or all) for the sites in ?1:
 * the running totals `cols` at `to` (?5) and before `from` (?2), each one
 * primary-key seek, so two seeks per pair whatever the range; `only`: an extra
 * condition on sku_pairs (pr). Rows of `j` (chunked above), each array
 * [place, sku, [day, ...cols] | null, [day, ...cols] | null], since D1 hands
 * back a few strings far faster than ten thousand rows.
 */
export function rangeEndsSql(cols: string[], only = ''): string {
  const end = (bound: string) => `coalesce((SELECT json_array(day, ${cols.join(', ')}) FROM sku_totals z
    WHERE z.site_key = pr.site_key AND z.p = ?3 AND z.place = pr.place AND z.sku = pr.sku AND z.day ${bound} ORDER BY z.day DESC LIMIT 1), 'null')`;
  return chunked(`'[' || json_quote(pr.place) || ',' || json_quote(pr.sku) || ',' || ${end('<= ?5')} || ',' || ${end('< ?2')} || ']'`,
    `FROM sku_pairs pr WHERE pr.site_key IN (SELECT value FROM json_each(?1)) AND pr.p = ?3 AND (?4 IS NULL OR pr.place = ?4) ${only}`);
}

/**
 * Repeat rows in [?2, ?5] per (place, SKU), what turns visitor-days into
 * distinct visitors: rows of `j` (chunked as above), each array [place, sku,
 * visitors, consults, appointments] to subtract.
 */
export const REPEATS_SQL = chunked('json_array(place, sku, v, c, a)', `FROM (
  SELECT place, sku, SUM(visitors) AS v, SUM(consults) AS c, SUM(appointments) AS a FROM sku_chains
  WHERE site_key IN (SELECT value FROM json_each(?1)) AND p = ?3 AND span = 'd' AND day > ?2 AND day <= ?5
    AND prev >= ?2 AND (?4 IS NULL OR place = ?4) GROUP BY place, sku)`);

/** The JSON arrays out of a chunked read's rows (an empty read has none). */
export const chunkItems = <T>(rows: { j?: string | null }[]): T[] =>
  rows.length ? JSON.parse(`[${rows.map((r) => r.j).filter(Boolean).join(',')}]`) as T[] : [];

export type RangeEnd = [string, ...number[]] | null; // [day, ...cols]
