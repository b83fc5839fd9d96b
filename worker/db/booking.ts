// The SQL a desk booking needs beyond the leads' own (db/leads.ts): what the
// visitor's row says about their session and place, and the link between a
// lead and the conversation it was booked in.
import type { Place } from '../attribution/model';

/** The visitor's place (as the fold last saw it) and last session. */
export interface BookingVisitor extends Place {
  last_session: string | null;
}

/** The visitor's last session and place, as the fold keeps them; null for a visitor the site has not seen. */
export function visitorForBooking(db: D1Database, siteKey: string, visitorId: string): Promise<BookingVisitor | null> {
  return db
    .prepare('SELECT last_session, country, region, city, device FROM visitors WHERE site_key = ?1 AND visitor_id = ?2')
    .bind(siteKey, visitorId)
    .first<BookingVisitor>();
}

/** The visitor a conversation row names, undefined when there is no row yet (the chat has reported nothing). */
export async function conversationVisitor(db: D1Database, siteKey: string, conversation: string): Promise<string | null | undefined> {
  const r = await db.prepare('SELECT visitor_id FROM conversations WHERE site_key = ?1 AND id = ?2').bind(siteKey, conversation).first<{ visitor_id: string | null }>();
  return r === null ? undefined : r.visitor_id;
}

/**
 * Links a lead and its conversation, both ways, keeping a link made before (a
 * conversation counts as booked once, by its first lead). The conversation row
 * is made if the chat has reported nothing yet: its events fill the rest in any
 * order (conversations/tables.ts), and the service report counts the booking
 * through `lead_code` as it does for a lead a chat system names.
 */
export function linkConversation(db: D1Database, siteKey: string, conversation: string, lead: { code: string; visitor: string }, now: number): D1PreparedStatement[] {
  return [
    db.prepare('UPDATE leads SET conversation_id = coalesce(conversation_id, ?3) WHERE site_key = ?1 AND code = ?2').bind(siteKey, lead.code, conversation),
    db
      .prepare(
        `INSERT INTO conversations (site_key, id, visitor_id, lead_code, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (site_key, id) DO UPDATE SET lead_code = coalesce(conversations.lead_code, excluded.lead_code),
           visitor_id = coalesce(conversations.visitor_id, excluded.visitor_id), updated_at = excluded.updated_at`,
      )
      .bind(siteKey, conversation, lead.visitor, lead.code, now),
  ];
}
