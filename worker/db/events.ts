// Raw events and the visitor row. All SQL for the ingest path lives here.

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
  first_at: number;
  last_channel: string;
  last_at: number;
  promoter: string | null;
}

export async function getVisitors(db: D1Database, siteKey: string, ids: string[]): Promise<Map<string, VisitorRow>> {
  const out = new Map<string, VisitorRow>();
  if (ids.length === 0) return out;
  // json_each keeps one bound parameter however many visitors a batch holds.
  const { results } = await db
    .prepare(
      `SELECT visitor_id, first_seen, last_seen, first_channel, first_at, last_channel, last_at, promoter
       FROM visitors WHERE site_key = ?1 AND visitor_id IN (SELECT value FROM json_each(?2))`,
    )
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

/** Writes the visitor's touch state as the ingest path computed it. */
export function upsertVisitor(db: D1Database, siteKey: string, v: VisitorUpdate): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO visitors (site_key, visitor_id, first_seen, last_seen, first_channel, first_at, last_channel, last_at,
         promoter, country, region, city, device)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)
       ON CONFLICT (site_key, visitor_id) DO UPDATE SET
         last_seen = max(last_seen, excluded.last_seen),
         last_channel = excluded.last_channel, last_at = excluded.last_at,
         promoter = coalesce(excluded.promoter, promoter),
         country = coalesce(excluded.country, country), region = coalesce(excluded.region, region),
         city = coalesce(excluded.city, city), device = coalesce(excluded.device, device)`,
    )
    .bind(
      siteKey, v.visitor_id, v.first_seen, v.last_seen, v.first_channel, v.first_at, v.last_channel, v.last_at,
      v.promoter, v.country, v.region, v.city, v.device,
    );
}
