// Conversation events, past the HTTP layer: validate each, fold the valid ones
// into their conversation rows in one D1 batch (one transaction), and say which
// were refused and which were replays.
import { conversationStatements } from './tables';
import type { Site } from '../db/sites';
import { localDay } from '../time';
import { checkConversationEvent, CONVERSATION_LIMITS, type ConversationEvent } from './event';

export interface ConversationResult {
  accepted: number; // events applied now or already applied (a replay is not an error)
  duplicates: number; // of those, events whose key was already in the ledger
  rejected: { index: number; conversation?: string; code: string; message: string }[];
}

export async function ingestConversations(db: D1Database, site: Site, raw: unknown[], now = Date.now()): Promise<ConversationResult> {
  const result: ConversationResult = { accepted: 0, duplicates: 0, rejected: [] };
  const valid: ConversationEvent[] = [];
  raw.forEach((r, index) => {
    if (index >= CONVERSATION_LIMITS.maxEvents) {
      result.rejected.push({ index, code: 'too_many_events', message: `a request holds at most ${CONVERSATION_LIMITS.maxEvents} events` });
      return;
    }
    const c = checkConversationEvent(r, now);
    if (c.ok) valid.push(c.event);
    else result.rejected.push({ index, conversation: conversationOf(r), code: c.code, message: c.message });
  });
  if (valid.length === 0) return result;

  const groups = valid.map((e) => conversationStatements(db, site.siteKey, e, localDay(e.at, site.timezone), now));
  const out = await db.batch(groups.flat());
  // The last statement of each group is the ledger insert: 0 changes = seen before.
  let i = 0;
  for (const g of groups) {
    i += g.length;
    result.accepted++;
    if (out[i - 1].meta.changes === 0) result.duplicates++;
  }
  return result;
}

function conversationOf(r: unknown): string | undefined {
  const c = (r as { conversation?: unknown } | null)?.conversation;
  return typeof c === 'string' ? c.slice(0, CONVERSATION_LIMITS.conversationIdLength) : undefined;
}
