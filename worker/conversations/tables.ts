// Conversation rows and the per-site response target. Each event becomes three
// statements for one D1 batch: fold it into the conversation row, add its topic
// tags, record its key in the ledger. The first two are guarded by the ledger,
// so a replayed event changes nothing; every fold rule (earliest start and first
// reply, latest end, first non-null of the rest) gives the same row in any order.
import type { ConversationEvent } from './event';

/** The fold. ?15 is the event's idempotency key; ?16 = 1 counts replies from the ledger. */
const UPSERT = `
INSERT INTO conversations (site_key, id, visitor_id, lead_code, agent, channel_hint, touch_channel, page, sku,
                           started_at, day, first_reply_at, ended_at, replies, updated_at)
SELECT ?1, ?2, v.visitor_id, ?4, ?5, ?6, COALESCE(vis.last_channel, ld.last_channel), ?7, ?8, ?9, ?10, ?11, ?12,
       CASE WHEN ?16 = 1
            THEN 1 + (SELECT COUNT(*) FROM conversation_events
                      WHERE site_key = ?1 AND conversation_id = ?2 AND type = 'reply' AND key LIKE 'id:%')
            ELSE ?13 END,
       ?14
FROM (SELECT COALESCE(?3, (SELECT visitor_id FROM leads WHERE site_key = ?1 AND code = ?4)) AS visitor_id) AS v
LEFT JOIN visitors AS vis ON vis.site_key = ?1 AND vis.visitor_id = v.visitor_id
LEFT JOIN leads AS ld ON ld.site_key = ?1 AND ld.code = ?4
WHERE NOT EXISTS (SELECT 1 FROM conversation_events WHERE site_key = ?1 AND conversation_id = ?2 AND key = ?15)
ON CONFLICT (site_key, id) DO UPDATE SET
  visitor_id     = COALESCE(conversations.visitor_id, excluded.visitor_id),
  lead_code      = COALESCE(conversations.lead_code, excluded.lead_code),
  agent          = COALESCE(conversations.agent, excluded.agent),
  channel_hint   = COALESCE(conversations.channel_hint, excluded.channel_hint),
  touch_channel  = COALESCE(conversations.touch_channel, excluded.touch_channel),
  page           = COALESCE(conversations.page, excluded.page),
  sku            = COALESCE(conversations.sku, excluded.sku),
  day            = CASE WHEN excluded.started_at < COALESCE(conversations.started_at, excluded.started_at + 1)
                        THEN excluded.day ELSE conversations.day END,
  started_at     = CASE WHEN excluded.started_at < COALESCE(conversations.started_at, excluded.started_at + 1)
                        THEN excluded.started_at ELSE conversations.started_at END,
  first_reply_at = CASE WHEN excluded.first_reply_at < COALESCE(conversations.first_reply_at, excluded.first_reply_at + 1)
                        THEN excluded.first_reply_at ELSE conversations.first_reply_at END,
  ended_at       = CASE WHEN excluded.ended_at > COALESCE(conversations.ended_at, excluded.ended_at - 1)
                        THEN excluded.ended_at ELSE conversations.ended_at END,
  replies        = MAX(conversations.replies, excluded.replies),
  updated_at     = excluded.updated_at`;

const TOPICS = `
INSERT OR IGNORE INTO conversation_topics (site_key, conversation_id, topic)
SELECT ?1, ?2, value FROM json_each(?3)
WHERE NOT EXISTS (SELECT 1 FROM conversation_events WHERE site_key = ?1 AND conversation_id = ?2 AND key = ?4)`;

const LEDGER = `
INSERT OR IGNORE INTO conversation_events (site_key, conversation_id, key, type, received_at) VALUES (?1, ?2, ?3, ?4, ?5)`;

/**
 * The statements that apply one event. The ledger insert comes last, so its
 * `changes` (0 for a key seen before) tells the caller whether it was a duplicate.
 */
export function conversationStatements(db: D1Database, siteKey: string, e: ConversationEvent, day: string, now: number): D1PreparedStatement[] {
  const replies = e.type === 'first_reply' ? 1 : e.type === 'reply' ? (e.count ?? 0) : 0;
  const out = [
    db.prepare(UPSERT).bind(
      siteKey, e.conversation, e.visitor, e.lead, e.agent, e.channel, e.page, e.sku,
      e.type === 'started' ? e.at : null,
      e.type === 'started' ? day : null,
      e.type === 'first_reply' ? e.at : null,
      e.type === 'ended' ? e.at : null,
      replies, now, e.key,
      e.type === 'reply' && e.count === null ? 1 : 0,
    ),
  ];
  if (e.topics.length) out.push(db.prepare(TOPICS).bind(siteKey, e.conversation, JSON.stringify(e.topics), e.key));
  out.push(db.prepare(LEDGER).bind(siteKey, e.conversation, e.key, e.type, now));
  return out;
}

export const DEFAULT_RESPONSE_TARGET_S = 30;

/** The site's first-response target in seconds (30 unless the admin set one). */
export async function getResponseTarget(db: D1Database, siteKey: string): Promise<number> {
  const row = await db
    .prepare('SELECT response_target_s FROM service_settings WHERE site_key = ?1')
    .bind(siteKey)
    .first<{ response_target_s: number }>();
  return row?.response_target_s ?? DEFAULT_RESPONSE_TARGET_S;
}

export async function setResponseTarget(db: D1Database, siteKey: string, seconds: number, now = Date.now()): Promise<void> {
  await db
    .prepare(
      `INSERT INTO service_settings (site_key, response_target_s, updated_at) VALUES (?1, ?2, ?3)
       ON CONFLICT (site_key) DO UPDATE SET response_target_s = excluded.response_target_s, updated_at = excluded.updated_at`,
    )
    .bind(siteKey, seconds, now)
    .run();
}
