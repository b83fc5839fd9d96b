// All SQL of the ad platforms' tables (migrations 0014, 0017): connectors, the
// visitors' and leads' clicks, and the outbox. A conversion row is written by
// one INSERT … SELECT that finds the lead's click and the site's enabled
// connector mapping the stage, so a lead without a click id, a platform
// without a connector or a stage without a type writes nothing.
import type { AdPlatform, AdStage, AdTypes } from '../../protocol/adplatforms';
import type { Condition } from '../db/crm';

export interface ConnectorRow {
  site_key: string;
  platform: AdPlatform;
  secret_name: string | null;
  types: string; // JSON AdTypes
  settings: string; // JSON
  enabled: number;
  created_at: number;
  updated_at: number;
}

export const typesOf = (r: ConnectorRow): AdTypes => JSON.parse(r.types) as AdTypes;
export const settingsOf = (r: ConnectorRow) => JSON.parse(r.settings) as { accountId?: string; userActionSetId?: string; appKey?: string };

export async function getConnector(db: D1Database, siteKey: string, platform: string): Promise<ConnectorRow | null> {
  return db.prepare('SELECT * FROM ad_connectors WHERE site_key = ?1 AND platform = ?2').bind(siteKey, platform).first<ConnectorRow>();
}

export async function listConnectors(db: D1Database, siteKey: string): Promise<ConnectorRow[]> {
  return (await db.prepare('SELECT * FROM ad_connectors WHERE site_key = ?1 ORDER BY platform').bind(siteKey).all<ConnectorRow>()).results;
}

/** The platforms the site has a connector for (enabled or paused: a paused one still keeps its clicks). */
export async function connectedPlatforms(db: D1Database, siteKey: string): Promise<Set<AdPlatform>> {
  const { results } = await db.prepare('SELECT platform FROM ad_connectors WHERE site_key = ?1').bind(siteKey).all<{ platform: AdPlatform }>();
  return new Set(results.map((r) => r.platform));
}

export async function putConnector(db: D1Database, r: ConnectorRow): Promise<void> {
  await db
    .prepare(
      `INSERT INTO ad_connectors (site_key, platform, secret_name, types, settings, enabled, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
       ON CONFLICT (site_key, platform) DO UPDATE SET secret_name = excluded.secret_name, types = excluded.types,
         settings = excluded.settings, enabled = excluded.enabled, updated_at = excluded.updated_at`,
    )
    .bind(r.site_key, r.platform, r.secret_name, r.types, r.settings, r.enabled, r.created_at, r.updated_at)
    .run();
}

/** Removes the connector; its unsent conversions fail (the admin sees why), the sent ones stay listed. */
export async function deleteConnector(db: D1Database, siteKey: string, platform: string, now: number): Promise<boolean> {
  const [del] = await db.batch([
    db.prepare('DELETE FROM ad_connectors WHERE site_key = ?1 AND platform = ?2').bind(siteKey, platform),
    db.prepare(`UPDATE ad_deliveries SET status = 'failed', last_error = 'the connector was removed', next_at = ?3
                WHERE site_key = ?1 AND platform = ?2 AND status = 'pending'`).bind(siteKey, platform, now),
  ]);
  return del.meta.changes > 0;
}

/** One click of the visitor (0017 keeps their recent clicks); a replayed view writes nothing. */
export function insertClick(db: D1Database, c: { site: string; visitor: string; platform: AdPlatform; clickId: string; landingUrl: string; at: number }): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO ad_clicks (site_key, visitor_id, platform, at, click_id, landing_url) VALUES (?1, ?2, ?3, ?4, ?5, ?6)`,
    )
    .bind(c.site, c.visitor, c.platform, c.at, c.clickId, c.landingUrl);
}

/** Clicks kept per (visitor, platform): enough for a lead folded late to find the one before it. */
export const CLICKS_KEPT = 10;

/** Drops the visitor's clicks of the platform older than the newest CLICKS_KEPT (after the fold's leads took theirs). */
export function pruneClicks(db: D1Database, site: string, visitor: string, platform: AdPlatform): D1PreparedStatement {
  return db
    .prepare(
      `DELETE FROM ad_clicks WHERE site_key = ?1 AND visitor_id = ?2 AND platform = ?3
         AND at < (SELECT at FROM ad_clicks WHERE site_key = ?1 AND visitor_id = ?2 AND platform = ?3 ORDER BY at DESC LIMIT 1 OFFSET ?4)`,
    )
    .bind(site, visitor, platform, CLICKS_KEPT - 1);
}

/**
 * The appointment's lead keeps, per platform, the visitor's latest click at or
 * before it and inside the window (a later click of the same platform is
 * another visit's, never the booking's).
 */
export function leadClicksOf(db: D1Database, site: string, eventId: string, visitor: string, at: number, windowMs: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO ad_lead_clicks (site_key, lead_code, platform, click_id, landing_url, clicked_at)
       SELECT c.site_key, l.code, c.platform, c.click_id, c.landing_url, c.at
       FROM leads AS l JOIN ad_clicks AS c ON c.site_key = l.site_key AND c.visitor_id = l.visitor_id
       WHERE l.site_key = ?1 AND l.event_id = ?2 AND l.visitor_id = ?3 AND c.at <= ?4 AND c.at >= ?4 - ?5
         AND NOT EXISTS (SELECT 1 FROM ad_clicks AS n WHERE n.site_key = c.site_key AND n.visitor_id = c.visitor_id AND n.platform = c.platform
           AND n.at <= ?4 AND (n.at > c.at OR (n.at = c.at AND n.click_id > c.click_id)))`,
    )
    .bind(site, eventId, visitor, at, windowMs);
}

/** What a stage's conversion says: the lead (by code, or by the appointment event that made it), and the stage's facts. */
export interface StageFacts {
  lead?: string;
  event?: string;
  visitor?: string;
  stage: AdStage;
  value?: number | null;
  reason?: string | null;
  at: number;
}

/**
 * One conversion per platform the lead has a click of and the site maps the
 * stage for, idempotent per (lead, platform, stage). `onlyIf`: the change's own
 * row (parameters from ?6), so a row is written only when the change happened.
 */
export function insertConversions(db: D1Database, site: string, f: StageFacts, now: number, onlyIf?: Condition): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO ad_deliveries (site_key, id, lead_code, platform, stage, click_id, landing_url, value, reason, happened_at, next_at, created_at)
       SELECT lc.site_key, 'add_' || lower(hex(randomblob(8))), lc.lead_code, lc.platform, json_extract(?2, '$.stage'), lc.click_id, lc.landing_url,
              json_extract(?2, '$.value'), json_extract(?2, '$.reason'), json_extract(?2, '$.at'), ?3, ?3
       FROM ad_lead_clicks AS lc
       JOIN ad_connectors AS k ON k.site_key = lc.site_key AND k.platform = lc.platform AND k.enabled = 1
         AND json_extract(k.types, '$.' || json_extract(?2, '$.stage')) IS NOT NULL
       WHERE lc.site_key = ?1 AND lc.lead_code = coalesce(json_extract(?2, '$.lead'),
         (SELECT code FROM leads WHERE site_key = ?1 AND event_id = json_extract(?2, '$.event') AND visitor_id = json_extract(?2, '$.visitor')))
         AND ${onlyIf ? `EXISTS (${onlyIf.sql})` : 'true'}`,
    )
    .bind(site, JSON.stringify(f), now, ...(onlyIf ? [null, null, ...onlyIf.params] : [])); // ?4, ?5 unused: the condition's start at ?6
}

/** Which stages `reachedConversions` reports (bits, so one statement serves the fold and a void). */
export const REACHED = { screening: 1, arrival: 2, deal: 4 } as const;

/**
 * The conversions of the stages a lead has already reached, from the rows as
 * they are when the batch runs: its screening (at its last update), its first
 * arrival, its first non-voided deal with the amount. For a lead whose clicks
 * were only just taken (the fold that credits it, when staff were quicker than
 * the queue), and after a void (the next deal). Idempotent like the others.
 * `lead`: its code, or the appointment event (and visitor) that made it.
 */
export function reachedConversions(
  db: D1Database, site: string, lead: { code: string } | { event: string; visitor: string }, stages: number, reason: string | null, now: number,
): D1PreparedStatement {
  const [code, event, visitor] = 'code' in lead ? [lead.code, null, null] : [null, lead.event, lead.visitor];
  return db
    .prepare(
      `WITH l AS (SELECT code, status, updated_at FROM leads
                  WHERE site_key = ?1 AND (code = ?2 OR (?2 IS NULL AND event_id = ?3 AND visitor_id = ?4))),
       st (code, stage, value, reason, at) AS (
         SELECT code, status, NULL, CASE WHEN status = 'unqualified' THEN ?5 END, updated_at FROM l
           WHERE (?6 & 1) AND status IN ('qualified', 'unqualified')
         UNION ALL
         SELECT l.code, 'arrival', NULL, NULL, min(a.at) FROM l JOIN arrivals AS a ON a.site_key = ?1 AND a.lead_code = l.code
           WHERE (?6 & 2) GROUP BY l.code
         UNION ALL
         SELECT l.code, 'deal', d.amount, NULL, d.at FROM l JOIN deals AS d ON d.site_key = ?1 AND d.lead_code = l.code
           WHERE (?6 & 4) AND d.id = (SELECT f.id FROM deals AS f WHERE f.site_key = ?1 AND f.lead_code = l.code AND f.voided_at IS NULL ORDER BY f.at, f.id LIMIT 1)
       )
       INSERT OR IGNORE INTO ad_deliveries (site_key, id, lead_code, platform, stage, click_id, landing_url, value, reason, happened_at, next_at, created_at)
       SELECT ?1, 'add_' || lower(hex(randomblob(8))), st.code, lc.platform, st.stage, lc.click_id, lc.landing_url, st.value, st.reason, st.at, ?7, ?7
       FROM st JOIN ad_lead_clicks AS lc ON lc.site_key = ?1 AND lc.lead_code = st.code
       JOIN ad_connectors AS k ON k.site_key = ?1 AND k.platform = lc.platform AND k.enabled = 1 AND json_extract(k.types, '$.' || st.stage) IS NOT NULL`,
    )
    .bind(site, code, event, visitor, reason, stages, now);
}

/**
 * A voided deal's conversion, while not yet sent, is dropped (a sent one stays:
 * no platform documents a withdrawal). Matched by the deal's time and amount,
 * which its conversion carries.
 */
export function dropDealConversion(db: D1Database, site: string, d: { lead_code: string; at: number; amount: number }): D1PreparedStatement {
  return db
    .prepare(`DELETE FROM ad_deliveries WHERE site_key = ?1 AND lead_code = ?2 AND stage = 'deal' AND status = 'pending' AND happened_at = ?3 AND value = ?4`)
    .bind(site, d.lead_code, d.at, d.amount);
}

export interface AdDeliveryRow {
  site_key: string;
  id: string;
  lead_code: string;
  platform: AdPlatform;
  stage: AdStage;
  click_id: string;
  landing_url: string;
  value: number | null;
  reason: string | null;
  happened_at: number;
  conv_type: string | null;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  sent: string | null;
  answer: string | null;
  next_at: number;
  created_at: number;
  delivered_at: number | null;
}

/** Due pending rows; a paused connector's wait, unattempted, until it is on again (a removed one's were failed). */
export async function dueAdDeliveries(db: D1Database, now: number, siteKey: string | null, limit: number): Promise<AdDeliveryRow[]> {
  const { results } = await db
    .prepare(`SELECT * FROM ad_deliveries AS d WHERE status = 'pending' AND next_at <= ?1 AND (?2 IS NULL OR site_key = ?2)
         AND NOT EXISTS (SELECT 1 FROM ad_connectors AS k WHERE k.site_key = d.site_key AND k.platform = d.platform AND k.enabled = 0)
       ORDER BY next_at LIMIT ?3`)
    .bind(now, siteKey, limit)
    .all<AdDeliveryRow>();
  return results;
}

/** A lease past the attempt, so the cron and a request's waitUntil never send one row at once. True if ours. */
export async function leaseAdDelivery(db: D1Database, d: AdDeliveryRow, until: number): Promise<boolean> {
  const res = await db
    .prepare(`UPDATE ad_deliveries SET next_at = ?3 WHERE site_key = ?1 AND id = ?2 AND status = 'pending' AND next_at = ?4`)
    .bind(d.site_key, d.id, until, d.next_at)
    .run();
  return res.meta.changes === 1;
}

export interface Attempt {
  status: AdDeliveryRow['status'];
  httpStatus: number | null;
  error: string | null;
  type: string | null;
  sent: string | null;
  answer: string | null;
  nextAt: number;
  at: number;
}

export async function bookAdAttempt(db: D1Database, d: AdDeliveryRow, a: Attempt): Promise<void> {
  await db
    .prepare(
      `UPDATE ad_deliveries SET status = ?3, attempts = attempts + 1, last_status = ?4, last_error = ?5, conv_type = ?6, sent = ?7, answer = ?8,
         next_at = ?9, delivered_at = CASE WHEN ?3 = 'delivered' THEN ?10 ELSE delivered_at END
       WHERE site_key = ?1 AND id = ?2`,
    )
    .bind(d.site_key, d.id, a.status, a.httpStatus, a.error, a.type, a.sent, a.answer, a.nextAt, a.at)
    .run();
}

export async function listAdDeliveries(db: D1Database, siteKey: string, q: { status?: string; platform?: string; limit?: number }): Promise<AdDeliveryRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM ad_deliveries WHERE site_key = ?1 AND (?2 IS NULL OR status = ?2) AND (?3 IS NULL OR platform = ?3)
       ORDER BY created_at DESC, id LIMIT ?4`,
    )
    .bind(siteKey, q.status ?? null, q.platform ?? null, q.limit ?? 100)
    .all<AdDeliveryRow>();
  return results;
}

export async function adDeliveryCounts(db: D1Database, siteKey: string, platform: string): Promise<Record<'pending' | 'delivered' | 'failed', number>> {
  const { results } = await db
    .prepare('SELECT status, COUNT(*) AS n FROM ad_deliveries WHERE site_key = ?1 AND platform = ?2 GROUP BY status')
    .bind(siteKey, platform)
    .all<{ status: 'pending' | 'delivered' | 'failed'; n: number }>();
  const out = { pending: 0, delivered: 0, failed: 0 };
  for (const r of results) out[r.status] = r.n;
  return out;
}
