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

/** INSERT OR IGNORE: (site_key, id) is the key, so a replayed event changes nothing. */
export function insertEvent(db: D1Database, e: StoredEvent): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO events (site_key, id, type, visitor_id, session_id, pageview_id, ts, received_at, day,
         path, sku, channel, data, country, region, city, device)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)`,
    )
    .bind(
      e.siteKey, e.id, e.type, e.visitorId, e.sessionId, e.pageviewId, e.ts, e.receivedAt, e.day,
      e.path, e.sku, e.channel, e.data ? JSON.stringify(e.data) : null, e.country, e.region, e.city, e.device,
    );
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
 * Writes the visitor's touch state as the ingest path computed it. SET expressions
 * read the row as it was, so a late batch never takes back the newer session.
 */
export function upsertVisitor(db: D1Database, siteKey: string, v: VisitorUpdate): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO visitors (site_key, ${VISITOR_COLS}, country, region, city, device)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21)
       ON CONFLICT (site_key, visitor_id) DO UPDATE SET
         last_session = CASE WHEN excluded.last_seen >= last_seen THEN excluded.last_session ELSE last_session END,
         last_seen = max(last_seen, excluded.last_seen),
         last_channel = excluded.last_channel, last_source = excluded.last_source, last_medium = excluded.last_medium,
         last_campaign = excluded.last_campaign, last_promoter = excluded.last_promoter, last_at = excluded.last_at,
         country = coalesce(excluded.country, country), region = coalesce(excluded.region, region),
         city = coalesce(excluded.city, city), device = coalesce(excluded.device, device)`,
    )
    .bind(
      siteKey, v.visitor_id, v.first_seen, v.last_seen, v.first_channel, v.first_source, v.first_medium, v.first_campaign,
      v.first_promoter, v.first_at, v.last_channel, v.last_source, v.last_medium, v.last_campaign, v.last_promoter, v.last_at,
      v.last_session, v.country, v.region, v.city, v.device,
    );
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
