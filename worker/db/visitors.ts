// Reads of the visitors table and the bots' daily counts; the touch model they
// hold is worker/attribution/model.ts, the fold's writes worker/ingest/fold-sql.ts.
import type { VisitorRow } from '../attribution/model';

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
