// Conversation events from a chat system, checked one by one: the shape and
// bounds by the protocol's schema (protocol/chat.ts), then what only the worker
// knows: the time against its clock, the lead code's alphabet, the page by the
// /collect rule. A bad event is reported with a code and message and costs
// nothing to its neighbours.
import * as v from 'valibot';
import { CONVERSATION_LIMITS, ConversationEventSchema, type ConversationEventType } from '../../protocol/chat';
import { normalizeLeadCode } from '../flows/lead-code';
import { pagePath } from '../validate/event';

export { CONVERSATION_LIMITS, normaliseTopic } from '../../protocol/chat';

/** A validated event, ready to fold into its conversation row. */
export interface ConversationEvent {
  conversation: string;
  type: ConversationEventType;
  key: string; // idempotency key within the conversation
  at: number; // ms
  visitor: string | null;
  lead: string | null;
  agent: string | null;
  channel: string | null;
  page: string | null;
  sku: string | null;
  count: number | null;
  topics: string[];
}

export type CheckedConversationEvent = { ok: true; event: ConversationEvent } | { ok: false; code: string; message: string };

type Refused = { ok: false; code: string; message: string };
const refuse = (code: string, message: string): Refused => ({ ok: false, code, message });
const L = CONVERSATION_LIMITS;

/**
 * The first problem as the event's refusal. Codes by field where a client acts
 * on them: `invalid_type`, `invalid_time`, `missing_field` (also a rule across
 * fields), `field_too_long` for a string over its bound, else `invalid_field`.
 */
function refusal(issue: v.BaseIssue<unknown>): Refused {
  const path = v.getDotPath(issue);
  if (path === null) return refuse('missing_field', issue.message);
  const field = issue.path![0].key;
  if (field === 'type') return refuse('invalid_type', `"type" ${issue.message}`);
  if (field === 'at') return refuse('invalid_time', `"at" ${issue.message}`);
  const top = issue.path!.length === 1;
  if (top && (issue.input === undefined || issue.input === null || issue.type === 'non_empty')) return refuse('missing_field', `"${path}" is required`);
  if (top && issue.type === 'max_length' && typeof issue.input === 'string') return refuse('field_too_long', `"${path}" ${issue.message}`);
  return refuse('invalid_field', `"${path}" ${issue.message}`);
}

/** ms since epoch, from ms or ISO 8601; absent is now. */
function time(at: number | string | null | undefined, now: number): number | Refused {
  if (at === undefined || at === null || at === '') return now;
  const ms = typeof at === 'number' ? Math.floor(at) : Date.parse(at);
  if (!Number.isFinite(ms) || ms < L.earliest) return refuse('invalid_time', '"at" is not a valid time after 2015 (ms, not seconds)');
  if (ms > now + L.futureSkewMs) return refuse('invalid_time', '"at" is in the future');
  return ms;
}

export function checkConversationEvent(raw: unknown, now: number): CheckedConversationEvent {
  // An array would pass for an object with no keys: refuse it as what it is.
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return refuse('invalid_event', 'an event must be an object');
  const parsed = v.safeParse(ConversationEventSchema, raw, { abortEarly: true });
  if (!parsed.success) return refusal(parsed.issues[0]);
  const o = parsed.output;
  const at = time(o.at, now);
  if (typeof at !== 'number') return at;
  const lead = o.lead ? normalizeLeadCode(o.lead) : null;
  if (o.lead && !lead) return refuse('invalid_field', `"lead" "${o.lead}" is not a lead code`);
  const topics = o.topics ?? [];
  // Without an event id, what the event says is its identity: a replay says the same.
  const id = o.id ?? null;
  const count = o.count ?? null;
  const key = id !== null ? `id:${id}` : o.type === 'reply' ? `reply:${count}` : o.type === 'topics' ? `topics:${topics.join('|')}` : o.type;
  const event: ConversationEvent = {
    conversation: o.conversation,
    type: o.type,
    key,
    at,
    visitor: o.visitor ?? null,
    lead,
    agent: o.agent ?? null,
    channel: o.channel?.toLowerCase() ?? null, // channel codes are case-insensitive, as in /collect
    page: o.page ? pagePath(o.page) || null : null, // no query, no fragment but a hash route
    sku: o.sku ?? null,
    count,
    topics,
  };
  return { ok: true, event };
}
