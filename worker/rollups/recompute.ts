// The aggregates recomputed from scratch out of the stored events: the check
// that the fold's incremental differences are right (test/worker/rollup.test.ts)
// and the fast way to build them for bulk-loaded data (npm run bench:reports).
// Independent of the fold's ledgers: it groups the events themselves, with the
// touches each was credited with, into per-visitor day rows (the same rules as
// rollupFacts() in rollups.ts), then derives touch_days, sku_chains and
// sku_totals (with sku_pairs) with the same contribution SQL the fold uses.
import { gunzipLines, type ChunkLine } from '../archive/chunks';
import { SKU_CHAIN_COLUMNS, skuChainsSql } from './sku-chains';
import { SKU_PAIRS_FROM_TOTALS, SKU_TOTAL_COLUMNS, skuTotalsSql } from './sku-totals';
import { touchDaysSql } from './touch-days';

// The SKU an event is about: its page's, or the one an appointment names.
const SKU = `coalesce(sku, CASE WHEN type = 'appointment' AND json_type(data, '$.p.sku') = 'text'
  AND json_extract(data, '$.p.sku') <> '' THEN json_extract(data, '$.p.sku') END)`;
const DWELL = `CASE WHEN type = 'dwell' AND json_type(data, '$.d') IN ('integer', 'real') AND json_extract(data, '$.d') > 0
  THEN CAST(round(json_extract(data, '$.d')) AS INTEGER) ELSE 0 END`;

/** Per-visitor day rows out of `ev` (the events table's columns, or a CTE with them). */
const visitorDays = (ev: string) => `
  SELECT site_key, day, visitor_id, channel AS last_channel, coalesce(credit_campaign, '') AS last_campaign,
    coalesce(credit_promoter, '') AS last_promoter, coalesce(first_channel, 'direct') AS first_channel,
    coalesce(first_campaign, '') AS first_campaign, coalesce(first_promoter, '') AS first_promoter,
    SUM(type = 'view') AS views, SUM(type = 'consult') AS consults, SUM(type = 'appointment') AS appointments
  FROM ${ev} WHERE site_key = ?1
  GROUP BY day, visitor_id, last_channel, last_campaign, last_promoter, first_channel, first_campaign, first_promoter`;

const skuVisitorDays = (ev: string) => `
  SELECT site_key, day, coalesce(region, '') AS region, coalesce(city, '') AS city, ${SKU} AS sku, visitor_id,
    SUM(type = 'view') AS views, SUM(${DWELL}) AS dwell_ms, SUM(type = 'consult') AS consults,
    SUM(type = 'appointment') AS appointments
  FROM ${ev} WHERE site_key = ?1 AND ${SKU} IS NOT NULL
  GROUP BY day, region, city, ${SKU}, visitor_id`;

/** Both aggregates' rows from scratch out of `ev`, a table or a CTE defined in `ctes`. */
function fromScratch(ev: string, ctes = '') {
  return {
    touch: touchDaysSql('vd', `${ctes} vd AS (${visitorDays(ev)}),`),
    sku: skuChainsSql('sv', `${ctes} sv AS (${skuVisitorDays(ev)}),`),
    totals: skuTotalsSql('sv', `${ctes} sv AS (${skuVisitorDays(ev)}),`),
  };
}

// Chunk lines as the events table's columns: ?2 is the JSON array of lines.
const LINES_CTE = `ev AS (SELECT ?1 AS site_key, j.value ->> 'id' AS id, j.value ->> 'type' AS type, j.value ->> 'visitor' AS visitor_id,
  j.value ->> 'day' AS day, j.value ->> 'sku' AS sku, j.value ->> 'channel' AS channel, j.value ->> 'campaign' AS credit_campaign,
  j.value ->> 'promoter' AS credit_promoter, j.value ->> 'first_channel' AS first_channel, j.value ->> 'first_campaign' AS first_campaign,
  j.value ->> 'first_promoter' AS first_promoter, j.value -> 'data' AS data, j.value ->> 'region' AS region, j.value ->> 'city' AS city
  FROM json_each(?2) AS j),`;

/** Every stored event of a site, out of its D1 chunks. */
export async function storedEvents(db: D1Database, siteKey: string): Promise<ChunkLine[]> {
  const { results } = await db.prepare('SELECT body FROM event_chunks WHERE site_key = ?1 ORDER BY day, id').bind(siteKey).all<{ body: ArrayBuffer | number[] }>();
  const out: ChunkLine[] = [];
  for (const r of results) out.push(...(await gunzipLines(r.body instanceof ArrayBuffer ? r.body : new Uint8Array(r.body).buffer)));
  return out;
}

/** The aggregates recomputed from the site's chunks, for comparison with the stored ones. */
export async function recomputedRollups(db: D1Database, siteKey: string) {
  const lines = JSON.stringify(await storedEvents(db, siteKey));
  const q = fromScratch('ev', LINES_CTE);
  const [t, c, k] = await db.batch<Record<string, unknown>>([q.touch, q.sku, q.totals].map((sql) => db.prepare(sql).bind(siteKey, lines)));
  const skuTotals = k.results.filter(nonZero);
  const pairs = new Map(skuTotals.map((r) => [`${r.p}\u0000${r.place}\u0000${r.sku}`, { site_key: r.site_key, p: r.p, place: r.place, sku: r.sku }]));
  return { touchDays: t.results.filter(nonZero), skuChains: c.results.filter(nonZero), skuTotals, skuPairs: [...pairs.values()] };
}

// The fold leaves a row at zero when a late event moves a visitor's day chain.
const nonZero = (r: Record<string, unknown>) => !!(r.visitors || r.views || r.consults || r.appointments || r.vdays || r.dwell_ms);

/** The aggregates as stored. */
export async function storedRollups(db: D1Database, siteKey: string) {
  const [t, c, k, p] = await db.batch<Record<string, unknown>>([
    db.prepare('SELECT site_key, dim, k, day, prev, visitors, views, consults, appointments FROM touch_days WHERE site_key = ?1').bind(siteKey),
    db.prepare(`SELECT ${SKU_CHAIN_COLUMNS} FROM sku_chains WHERE site_key = ?1`).bind(siteKey),
    db.prepare(`SELECT ${SKU_TOTAL_COLUMNS} FROM sku_totals WHERE site_key = ?1`).bind(siteKey),
    db.prepare('SELECT site_key, p, place, sku FROM sku_pairs WHERE site_key = ?1').bind(siteKey),
  ]);
  return { touchDays: t.results.filter(nonZero), skuChains: c.results.filter(nonZero), skuTotals: k.results.filter(nonZero), skuPairs: p.results };
}

/**
 * Replaces one site's aggregates with a recomputation out of the legacy
 * `events` table: how the report benchmark builds them for bulk-loaded events.
 */
export function rebuildStatements(db: D1Database, siteKey: string): D1PreparedStatement[] {
  const q = fromScratch('events');
  return [
    db.prepare('DELETE FROM touch_days WHERE site_key = ?1').bind(siteKey),
    db.prepare('DELETE FROM sku_chains WHERE site_key = ?1').bind(siteKey),
    db.prepare('DELETE FROM sku_totals WHERE site_key = ?1').bind(siteKey),
    db.prepare('DELETE FROM sku_pairs WHERE site_key = ?1').bind(siteKey),
    db.prepare(`INSERT INTO touch_days (site_key, dim, k, day, prev, visitors, views, consults, appointments) ${q.touch}`).bind(siteKey),
    db.prepare(`INSERT INTO sku_chains (${SKU_CHAIN_COLUMNS}) ${q.sku}`).bind(siteKey),
    db.prepare(`INSERT INTO sku_totals (${SKU_TOTAL_COLUMNS}) ${q.totals}`).bind(siteKey),
    db.prepare(`INSERT INTO sku_pairs (site_key, p, place, sku) ${SKU_PAIRS_FROM_TOTALS}`).bind(siteKey),
  ];
}
