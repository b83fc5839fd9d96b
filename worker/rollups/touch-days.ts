// touch_days: the channel report's exact distinct counts without a per-visitor
// scan. A visitor is counted in [from, to] for a key exactly once: on their
// first day in the range with that key, i.e. the day whose previous day with the
// same key (and stage) is before `from`. So each row counts, per (dimension, key,
// day, prev), the visitors whose previous day was `prev` ('' = none), and
//   visitors in [from, to] = Σ visitors over rows with day in range and prev < from
// which is exact, and reads dims × keys × days × (distinct prev days) rows, not
// visitor-days. Views are additive and summed over every row.
//
// The fold keeps it in step in SQL, inside its batch's transaction: for the
// visitors whose ledger changed it computes every contribution of their day rows
// before (sign −1) and after (+1) the batch's new events, and upserts the
// difference. A late event on an earlier day re-links the chain (the next day's
// prev changes) by the same subtraction, so out-of-order delivery stays exact.

import { DAY_ROW, signedRows } from './rows';

// Dimension code → per-visitor day column (DAY_ROW's names). The only text spliced into SQL.
export const DIMS = {
  lc: 'last_channel', lk: 'last_campaign', lp: 'last_promoter',
  fc: 'first_channel', fk: 'first_campaign', fp: 'first_promoter',
} as const;
export type Dim = keyof typeof DIMS;
const TOUCH = Object.values(DIMS).join(', ');

/**
 * SQL of every contribution of the per-visitor rows in CTE `st` (columns s =
 * sign, visitor_id, day, the six touch columns, views, consults, appointments),
 * summed per touch_days key. `st` must be defined by the caller's WITH.
 */
function contributions(): string {
  // D1 allows few terms per compound SELECT, so the six dimensions are a join
  // with a JSON list of their codes rather than a UNION of six SELECTs.
  const pick = Object.entries(DIMS).map(([d, col]) => `WHEN '${d}' THEN ${col}`).join(' ');
  const unpivot = `SELECT s, visitor_id, d.value AS dim, CASE d.value ${pick} END AS k, day, SUM(views) AS vw,
      MAX(consults > 0) AS c, MAX(appointments > 0) AS a
    FROM st, json_each('${JSON.stringify(Object.keys(DIMS))}') AS d GROUP BY s, visitor_id, dim, k, day`;
  const before = 'OVER (PARTITION BY s, visitor_id, dim, k ORDER BY day ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)';
  return `u AS (${unpivot}),
    ch AS (SELECT s, dim, k, day, vw, c, a, MAX(day) ${before} AS pv,
             MAX(CASE WHEN c THEN day END) ${before} AS pc, MAX(CASE WHEN a THEN day END) ${before} AS pa FROM u),
    parts AS (
      SELECT s, dim, k, day, coalesce(pv, '') AS prev, 1 AS visitors, vw AS views, 0 AS consults, 0 AS appointments FROM ch
      UNION ALL SELECT s, dim, k, day, coalesce(pc, ''), 0, 0, 1, 0 FROM ch WHERE c
      UNION ALL SELECT s, dim, k, day, coalesce(pa, ''), 0, 0, 0, 1 FROM ch WHERE a)`;
}

const SUMS = `SUM(s * visitors) AS visitors, SUM(s * views) AS views, SUM(s * consults) AS consults, SUM(s * appointments) AS appointments`;

/**
 * The fold's statement. ?1 = site, ?2 = signed per-visitor day rows as JSON
 * (rollups/rows.ts, DAY_ROW):
 * each changed visitor's ledger rows before the batch (−1) and after it (+1)
 * (worker/ingest/fold.ts). Their contributions' difference is upserted.
 */
export function touchDaysDelta(db: D1Database, siteKey: string, stJson: string): D1PreparedStatement {
  return db
    .prepare(
      `WITH ${signedRows('st', DAY_ROW)},
       ${contributions()}
       INSERT INTO touch_days (site_key, dim, k, day, prev, visitors, views, consults, appointments)
       SELECT ?1, dim, k, day, prev, ${SUMS} FROM parts WHERE true
       GROUP BY dim, k, day, prev
       HAVING SUM(s * visitors) <> 0 OR SUM(s * views) <> 0 OR SUM(s * consults) <> 0 OR SUM(s * appointments) <> 0
       ON CONFLICT DO UPDATE SET visitors = visitors + excluded.visitors, views = views + excluded.views,
         consults = consults + excluded.consults, appointments = appointments + excluded.appointments`,
    )
    .bind(siteKey, stJson);
}

/**
 * touch_days rows of site ?1 computed from scratch out of per-visitor rows
 * (`source`: a table or a CTE named in `ctes`, with per-visitor day columns).
 */
export const touchDaysSql = (source: string, ctes = '') => `
  WITH ${ctes} st AS (SELECT 1 AS s, visitor_id, day, ${TOUCH}, views, consults, appointments FROM ${source} WHERE site_key = ?1),
  ${contributions()}
  SELECT ?1 AS site_key, dim, k, day, prev, ${SUMS} FROM parts GROUP BY dim, k, day, prev`;

export interface TouchCounts {
  ps: string; // the first day of the row's period (the range's `from` without periods)
  k: string;
  visitors: number;
  views: number;
  consults: number;
  appointments: number;
}

/**
 * Exact online stage counts per key of `dim` over [from, to], summed over a
 * group of sites. `start`: SQL of each row's period start from its `day`
 * (reports/periods.ts, a closed map; it may use ?2 = from); by default the
 * whole range is one period. A period counts the visitors whose previous day is
 * before the period's start, exactly as a report of that period alone would.
 */
export async function touchCounts(db: D1Database, sites: string[], from: string, to: string, dim: Dim, start = '?2'): Promise<TouchCounts[]> {
  return chainCounts(db, 'touch_days', 'dim', sites, from, to, dim, start, (first) => `${first('visitors')} > 0 OR SUM(views) > 0`);
}

/**
 * The day-chain read touch_days and credit_days share: per period start and k,
 * the rows of `col` = ?4 over [?2, ?3] of the sites ?1; `having` keeps a row.
 */
export async function chainCounts(db: D1Database, table: 'touch_days' | 'credit_days', col: 'dim' | 'model', sites: string[], from: string,
  to: string, key: string, start: string, having: (first: (col: string) => string) => string): Promise<TouchCounts[]> {
  const first = (c: string) => `SUM(CASE WHEN prev < ${start} THEN ${c} ELSE 0 END)`;
  const { results } = await db
    .prepare(
      `SELECT ${start} AS ps, k, ${first('visitors')} AS visitors, SUM(views) AS views,
         ${first('consults')} AS consults, ${first('appointments')} AS appointments
       FROM ${table} WHERE site_key IN (SELECT value FROM json_each(?1)) AND ${col} = ?4 AND day BETWEEN ?2 AND ?3
       GROUP BY ps, k HAVING ${having(first)}`,
    )
    .bind(JSON.stringify(sites), from, to, key)
    .all<TouchCounts>();
  return results;
}
