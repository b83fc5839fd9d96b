// Raw events, the visitor row and bot counts. All SQL for the ingest path lives here.

/** A marketing touch: what brought the visitor (GA vocabulary for source / medium). */
export interface Touch {
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  promoter: string | null;
}

/** An event after validation and server-side enrichment, as stored. */
export interface StoredEvent {
  siteKey: string;
  id: string;
  type: string;
  visitorId: string;
  sessionId: string;
  pageviewId: string | null;
  ts: number;
  receivedAt: number;
  day: string;
  path: string | null;
  sku: string | null;
  channel: string; // = last.channel
  first: Touch; // the visitor's first touch, for first-touch reports
  last: Touch; // the touch this event is credited to: last non-direct within the window
  data: Record<string, unknown> | null;
  country: string | null;
  region: string | null;
  city: string | null;
  device: string | null;
}

/**
 * The batch's events in one INSERT OR IGNORE: (site_key, id) is the key, so a
 * replayed event changes nothing and meta.changes counts the new ones. One JSON
 * parameter carries every row (D1 caps bound parameters per statement). Each row
 * keeps the touches it was credited with, so the rollups can be recomputed.
 */
export function insertEvents(db: D1Database, siteKey: string, rows: StoredEvent[]): D1PreparedStatement {
  const json = rows.map((e) => [
    e.id, e.type, e.visitorId, e.sessionId, e.pageviewId, e.ts, e.receivedAt, e.day, e.path, e.sku, e.channel,
    e.data ? JSON.stringify(e.data) : null, e.country, e.region, e.city, e.device,
    e.last.campaign, e.last.promoter, e.first.channel, e.first.campaign, e.first.promoter,
  ]);
  return db
    .prepare(
      `INSERT OR IGNORE INTO events (site_key, id, type, visitor_id, session_id, pageview_id, ts, received_at, day,
         path, sku, channel, data, country, region, city, device,
         credit_campaign, credit_promoter, first_channel, first_campaign, first_promoter)
       SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6,
         j.value ->> 7, j.value ->> 8, j.value ->> 9, j.value ->> 10, j.value ->> 11, j.value ->> 12, j.value ->> 13,
         j.value ->> 14, j.value ->> 15, j.value ->> 16, j.value ->> 17, j.value ->> 18, j.value ->> 19, j.value ->> 20
       FROM json_each(?2) AS j`,
    )
    .bind(siteKey, JSON.stringify(json));
}

export interface VisitorRow {
  visitor_id: string;
  first_seen: number;
  last_seen: number;
  first_channel: string;
  first_source: string | null;
  first_medium: string | null;
  first_campaign: string | null;
  first_promoter: string | null;
  first_at: number;
  last_channel: string;
  last_source: string | null;
  last_medium: string | null;
  last_campaign: string | null;
  last_promoter: string | null;
  last_at: number;
  last_session: string | null; // session of the latest view: weak landings count only on a session's first view
}

const VISITOR_COLS = `visitor_id, first_seen, last_seen, first_channel, first_source, first_medium, first_campaign, first_promoter,
  first_at, last_channel, last_source, last_medium, last_campaign, last_promoter, last_at, last_session`;

export async function getVisitors(db: D1Database, siteKey: string, ids: string[]): Promise<Map<string, VisitorRow>> {
  const out = new Map<string, VisitorRow>();
  if (ids.length === 0) return out;
  // json_each keeps one bound parameter however many visitors a batch holds.
  const { results } = await db
    .prepare(`SELECT ${VISITOR_COLS} FROM visitors WHERE site_key = ?1 AND visitor_id IN (SELECT value FROM json_each(?2))`)
    .bind(siteKey, JSON.stringify(ids))
    .all<VisitorRow>();
  for (const r of results) out.set(r.visitor_id, r);
  return out;
}

export interface VisitorUpdate extends VisitorRow {
  country: string | null;
  region: string | null;
  city: string | null;
  device: string | null;
}

/** The visitor's touches as the Touch pair events are credited with. */
export function touchesOf(v: VisitorRow | null | undefined): { first: Touch; last: Touch } {
  if (!v) {
    const direct: Touch = { channel: 'direct', source: '(direct)', medium: '(none)', campaign: null, promoter: null };
    return { first: direct, last: direct };
  }
  return {
    first: { channel: v.first_channel, source: v.first_source, medium: v.first_medium, campaign: v.first_campaign, promoter: v.first_promoter },
    last: { channel: v.last_channel, source: v.last_source, medium: v.last_medium, campaign: v.last_campaign, promoter: v.last_promoter },
  };
}

/**
 * Writes the touch state of every visitor a batch moved, as the ingest path
 * computed it, in one statement (one JSON parameter). SET expressions read the
 * row as it was, so a late batch never takes back the newer session.
 */
export function upsertVisitors(db: D1Database, siteKey: string, vs: VisitorUpdate[]): D1PreparedStatement {
  const json = vs.map((v) => [
    v.visitor_id, v.first_seen, v.last_seen, v.first_channel, v.first_source, v.first_medium, v.first_campaign,
    v.first_promoter, v.first_at, v.last_channel, v.last_source, v.last_medium, v.last_campaign, v.last_promoter, v.last_at,
    v.last_session, v.country, v.region, v.city, v.device,
  ]);
  const cols = Array.from({ length: 20 }, (_, i) => `j.value ->> ${i}`).join(', ');
  return db
    .prepare(
      `INSERT INTO visitors (site_key, ${VISITOR_COLS}, country, region, city, device)
       SELECT ?1, ${cols} FROM json_each(?2) AS j WHERE true
       ON CONFLICT (site_key, visitor_id) DO UPDATE SET
         last_session = CASE WHEN excluded.last_seen >= last_seen THEN excluded.last_session ELSE last_session END,
         last_seen = max(last_seen, excluded.last_seen),
         last_channel = excluded.last_channel, last_source = excluded.last_source, last_medium = excluded.last_medium,
         last_campaign = excluded.last_campaign, last_promoter = excluded.last_promoter, last_at = excluded.last_at,
         country = coalesce(excluded.country, country), region = coalesce(excluded.region, region),
         city = coalesce(excluded.city, city), device = coalesce(excluded.device, device)`,
    )
    .bind(siteKey, JSON.stringify(json));
}

/** Adds a bot's dropped batch to the site's daily count. */
export function countBotHit(db: D1Database, siteKey: string, day: string, events: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO bot_hits (site_key, day, events, requests) VALUES (?1, ?2, ?3, 1)
       ON CONFLICT (site_key, day) DO UPDATE SET events = events + excluded.events, requests = requests + 1`,
    )
    .bind(siteKey, day, events);
}

export interface BotDay {
  day: string;
  events: number;
  requests: number;
}

export async function botHits(db: D1Database, siteKey: string, from: string, to: string): Promise<BotDay[]> {
  const { results } = await db
    .prepare('SELECT day, events, requests FROM bot_hits WHERE site_key = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day')
    .bind(siteKey, from, to)
    .all<BotDay>();
  return results;
}
