// The touch model (Touch, the stored event, the visitor row) and the reads of
// visitors and bot counts; the fold's writes are worker/db/fold.ts.

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

/** Adds bots' dropped batches to the site's daily count. */
export function countBotHit(db: D1Database, siteKey: string, day: string, events: number, requests = 1): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO bot_hits (site_key, day, events, requests) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (site_key, day) DO UPDATE SET events = events + excluded.events, requests = requests + excluded.requests`,
    )
    .bind(siteKey, day, events, requests);
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
