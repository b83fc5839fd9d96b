// The service report's reads: a site's conversations started in a range of local
// days, each with whether it converted, and their topic tags. Reads the
// conversation tables and leads only, never raw events.

/** One conversation as the report needs it. Times in ms; nulls mean "did not happen". */
export interface ConversationFact {
  id: string;
  visitorId: string | null;
  agent: string | null;
  channel: string | null; // the chat system's channel, else the visitor's (or lead's) touch
  day: string;
  startedAt: number;
  firstReplyAt: number | null;
  endedAt: number | null;
  replies: number;
  converted: boolean; // the visitor or the named lead booked an appointment within the window
}

interface Row {
  id: string;
  visitor_id: string | null;
  agent: string | null;
  channel: string | null;
  day: string;
  started_at: number;
  first_reply_at: number | null;
  ended_at: number | null;
  replies: number;
  converted: number;
}

// A conversation converts when a lead of its visitor, or the lead it names, was
// created from its start up to `windowMs` later. Two EXISTS rather than one OR so
// each uses its index: leads_visitor and the leads primary key.
const FACTS = `
SELECT c.id, c.visitor_id, c.agent, COALESCE(c.channel_hint, c.touch_channel) AS channel, c.day,
       c.started_at, c.first_reply_at, c.ended_at, c.replies,
       (EXISTS (SELECT 1 FROM leads AS l
                WHERE l.site_key = c.site_key AND l.visitor_id = c.visitor_id
                  AND l.created_at BETWEEN c.started_at AND c.started_at + ?4)
        OR EXISTS (SELECT 1 FROM leads AS l
                   WHERE l.site_key = c.site_key AND l.code = c.lead_code
                     AND l.created_at BETWEEN c.started_at AND c.started_at + ?4)) AS converted
FROM conversations AS c
WHERE c.site_key = ?1 AND c.day BETWEEN ?2 AND ?3`;

const TOPICS = `
SELECT t.conversation_id AS id, t.topic
FROM conversations AS c
JOIN conversation_topics AS t ON t.site_key = c.site_key AND t.conversation_id = c.id
WHERE c.site_key = ?1 AND c.day BETWEEN ?2 AND ?3`;

/** Conversations started on local days [from, to], and conversation id → its topics. */
export async function serviceFacts(
  db: D1Database,
  siteKey: string,
  from: string,
  to: string,
  windowMs: number,
): Promise<{ facts: ConversationFact[]; topics: Map<string, string[]> }> {
  const [facts, topics] = await db.batch([
    db.prepare(FACTS).bind(siteKey, from, to, windowMs),
    db.prepare(TOPICS).bind(siteKey, from, to),
  ]);
  const byConversation = new Map<string, string[]>();
  for (const t of topics.results as { id: string; topic: string }[]) {
    const list = byConversation.get(t.id);
    if (list) list.push(t.topic);
    else byConversation.set(t.id, [t.topic]);
  }
  return {
    facts: (facts.results as Row[]).map((r) => ({
      id: r.id,
      visitorId: r.visitor_id,
      agent: r.agent,
      channel: r.channel,
      day: r.day,
      startedAt: r.started_at,
      firstReplyAt: r.first_reply_at,
      endedAt: r.ended_at,
      replies: r.replies,
      converted: r.converted === 1,
    })),
    topics: byConversation,
  };
}
