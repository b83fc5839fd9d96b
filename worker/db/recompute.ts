// The rollups recomputed from scratch out of the raw events still kept: the
// check that ingest's incremental upserts are right (test/worker/rollup.test.ts)
// and the fast way to build them for bulk-loaded data (npm run bench:reports).
// Mirrors rollupFacts() in rollups.ts: same stages, same SKU and dwell rules;
// touch_days and sku_chains are derived from visitor_days and sku_visitor_days
// by the same SQL ingest uses.
import { SKU_CHAIN_COLUMNS, skuChainsSql } from './sku-chains';
import { touchDaysSql } from './touch-days';

// The SKU an event is about: its page's, or the one an appointment names.
const SKU = `coalesce(sku, CASE WHEN type = 'appointment' AND json_type(data, '$.p.sku') = 'text'
  AND json_extract(data, '$.p.sku') <> '' THEN json_extract(data, '$.p.sku') END)`;
const DWELL = `CASE WHEN type = 'dwell' AND json_type(data, '$.d') IN ('integer', 'real') AND json_extract(data, '$.d') > 0
  THEN CAST(round(json_extract(data, '$.d')) AS INTEGER) ELSE 0 END`;

/** visitor_days rows for one site, as SELECT column list (ordered like the table). */
export const VISITOR_DAYS_SQL = `
  SELECT site_key, day, visitor_id, channel AS last_channel, coalesce(credit_campaign, '') AS last_campaign,
    coalesce(credit_promoter, '') AS last_promoter, coalesce(first_channel, 'direct') AS first_channel,
    coalesce(first_campaign, '') AS first_campaign, coalesce(first_promoter, '') AS first_promoter,
    SUM(type = 'view') AS views, SUM(type = 'consult') AS consults, SUM(type = 'appointment') AS appointments
  FROM events WHERE site_key = ?1
  GROUP BY day, visitor_id, last_channel, last_campaign, last_promoter, first_channel, first_campaign, first_promoter`;

/** sku_visitor_days rows for one site. */
export const SKU_VISITOR_DAYS_SQL = `
  SELECT site_key, day, coalesce(region, '') AS region, coalesce(city, '') AS city, ${SKU} AS s, visitor_id,
    SUM(type = 'view') AS views, SUM(${DWELL}) AS dwell_ms, SUM(type = 'consult') AS consults,
    SUM(type = 'appointment') AS appointments
  FROM events WHERE site_key = ?1 AND ${SKU} IS NOT NULL
  GROUP BY day, region, city, s, visitor_id`;

/** Rows of both rollups as recomputed, for comparison with the stored ones. */
export async function recomputedRollups(db: D1Database, siteKey: string) {
  const [v, s, t, c] = await db.batch<Record<string, unknown>>([
    db.prepare(VISITOR_DAYS_SQL).bind(siteKey), db.prepare(SKU_VISITOR_DAYS_SQL).bind(siteKey),
    db.prepare(touchDaysSql('vd', `vd AS (${VISITOR_DAYS_SQL}),`)).bind(siteKey),
    db.prepare(skuChainsSql('sv', `sv AS (SELECT site_key, day, region, city, s AS sku, visitor_id, views, dwell_ms, consults, appointments
      FROM (${SKU_VISITOR_DAYS_SQL})),`)).bind(siteKey),
  ]);
  return { visitorDays: v.results, skuVisitorDays: s.results, touchDays: t.results.filter(nonZero), skuChains: c.results.filter(nonZero) };
}

// Ingest leaves a row at zero when a late event moves a visitor's day chain.
const nonZero = (r: Record<string, unknown>) => !!(r.visitors || r.views || r.consults || r.appointments || r.vdays || r.dwell_ms);

/** Rows of both rollups as stored. */
export async function storedRollups(db: D1Database, siteKey: string) {
  const [v, s, t, c] = await db.batch<Record<string, unknown>>([
    db.prepare('SELECT * FROM visitor_days WHERE site_key = ?1').bind(siteKey),
    db.prepare('SELECT site_key, day, region, city, sku AS s, visitor_id, views, dwell_ms, consults, appointments FROM sku_visitor_days WHERE site_key = ?1').bind(siteKey),
    db.prepare('SELECT site_key, dim, k, day, prev, visitors, views, consults, appointments FROM touch_days WHERE site_key = ?1').bind(siteKey),
    db.prepare(`SELECT ${SKU_CHAIN_COLUMNS} FROM sku_chains WHERE site_key = ?1`).bind(siteKey),
  ]);
  return { visitorDays: v.results, skuVisitorDays: s.results, touchDays: t.results.filter(nonZero), skuChains: c.results.filter(nonZero) };
}

/**
 * Replaces one site's rollups with the recomputation. Only right while the
 * site's raw events are all kept (the cron purges them; the rollups stay).
 */
export function rebuildStatements(db: D1Database, siteKey: string): D1PreparedStatement[] {
  return [
    db.prepare('DELETE FROM visitor_days WHERE site_key = ?1').bind(siteKey),
    db.prepare('DELETE FROM sku_visitor_days WHERE site_key = ?1').bind(siteKey),
    db.prepare('DELETE FROM touch_days WHERE site_key = ?1').bind(siteKey),
    db.prepare('DELETE FROM sku_chains WHERE site_key = ?1').bind(siteKey),
    db.prepare(`INSERT INTO visitor_days ${VISITOR_DAYS_SQL}`).bind(siteKey),
    db.prepare(`INSERT INTO sku_visitor_days ${SKU_VISITOR_DAYS_SQL}`).bind(siteKey),
    db.prepare(`INSERT INTO touch_days (site_key, dim, k, day, prev, visitors, views, consults, appointments) ${touchDaysSql()}`).bind(siteKey),
    db.prepare(`INSERT INTO sku_chains (${SKU_CHAIN_COLUMNS}) ${skuChainsSql()}`).bind(siteKey),
  ];
}
