// Validation of conversation events from a chat system: every string and list
// bounded, times parsed and range-checked, topic tags normalised. A bad event is
// reported with a code and message and costs nothing to its neighbours.
import { CONVERSATION_EVENT_TYPES, LIMITS, type ConversationEventType } from '../../protocol/wire';
import { normalizeLeadCode } from '../flows/lead-code';
import { pagePath } from '../validate/event';
import { boundedString, Invalid } from '../validate/fields';

export const CONVERSATION_LIMITS = {
  maxEvents: 100, // per request
  conversationIdLength: 128, // vendors' ids are long (UUIDs with prefixes)
  eventIdLength: 128,
  leadLength: 32,
  agentLength: 64,
  channelLength: 64,
  maxTopics: 20,
  topicLength: 40,
  maxCount: 100_000,
  futureSkewMs: 5 * 60_000, // a chat server's clock may run a little ahead of ours
  earliest: Date.UTC(2015, 0, 1), // backfills are welcome; epoch-seconds mistakes are not
} as const;

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

const TYPES: ReadonlySet<string> = new Set(CONVERSATION_EVENT_TYPES);
const L = CONVERSATION_LIMITS;
// Ids are opaque but printable: no control characters, no surrounding blanks.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f]/;

/** A bounded, printable string, trimmed; absent or blank is null. */
function str(o: Record<string, unknown>, key: string, max: number, required = false): string | null {
  const v = boundedString(o, key, max, required);
  if (v === undefined) return null;
  if (CONTROL.test(v)) throw new Invalid('invalid_field', `"${key}" must not contain control characters`);
  return v.trim() || null;
}

/** The page a consult began on, by the same rule as a view's path: no query, no fragment but a hash route. */
function pageOf(o: Record<string, unknown>): string | null {
  const v = str(o, 'page', LIMITS.pathLength);
  return v === null ? null : pagePath(v) || null;
}

/** A tag as people type it, in one form: full-width folded, blanks collapsed, lower case. */
export function normaliseTopic(tag: string): string {
  return tag.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

/** A lead code as agents type it ("k7m-x2a"), in the lead API's form ("K7MX2A"). */
function leadCode(o: Record<string, unknown>): string | null {
  const raw = str(o, 'lead', L.leadLength);
  if (raw === null) return null;
  const code = normalizeLeadCode(raw);
  if (code === null) throw new Invalid('invalid_field', `"lead" "${raw}" is not a lead code`);
  return code;
}

function time(v: unknown, now: number): number {
  if (v === undefined || v === null || v === '') return now;
  let ms: number;
  if (typeof v === 'number' && Number.isFinite(v)) ms = Math.floor(v);
  else if (typeof v === 'string' && v.length <= 40 && /^\d{4}-\d{2}-\d{2}T/.test(v)) ms = Date.parse(v);
  else throw new Invalid('invalid_time', '"at" must be ms since epoch or an ISO 8601 date-time');
  if (!Number.isFinite(ms) || ms < L.earliest) throw new Invalid('invalid_time', '"at" is not a valid time after 2015 (ms, not seconds)');
  if (ms > now + L.futureSkewMs) throw new Invalid('invalid_time', '"at" is in the future');
  return ms;
}

function topics(o: Record<string, unknown>): string[] {
  const v = o.topics;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > L.maxTopics) throw new Invalid('invalid_field', `"topics" must be an array of at most ${L.maxTopics} tags`);
  const out = new Set<string>();
  for (const t of v) {
    if (typeof t !== 'string') throw new Invalid('invalid_field', '"topics" must hold strings');
    const n = normaliseTopic(t);
    if (!n || n.length > L.topicLength || CONTROL.test(n)) {
      throw new Invalid('invalid_field', `each topic must be 1 to ${L.topicLength} printable characters`);
    }
    out.add(n);
  }
  return [...out].sort();
}

function check(raw: unknown, now: number): ConversationEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Invalid('invalid_event', 'an event must be an object');
  const o = raw as Record<string, unknown>;
  const type = o.type;
  if (typeof type !== 'string' || !TYPES.has(type)) {
    throw new Invalid('invalid_type', `"type" must be one of ${CONVERSATION_EVENT_TYPES.join(', ')}`);
  }
  const t = type as ConversationEventType;
  let count: number | null = null;
  if (o.count !== undefined && o.count !== null) {
    if (typeof o.count !== 'number' || !Number.isInteger(o.count) || o.count < 0 || o.count > L.maxCount) {
      throw new Invalid('invalid_field', `"count" must be an integer from 0 to ${L.maxCount}`);
    }
    count = o.count;
  }
  const e: ConversationEvent = {
    conversation: str(o, 'conversation', L.conversationIdLength, true)!,
    type: t,
    key: '',
    at: time(o.at, now),
    visitor: str(o, 'visitor', LIMITS.idLength),
    lead: leadCode(o),
    agent: str(o, 'agent', L.agentLength),
    channel: str(o, 'channel', L.channelLength)?.toLowerCase() ?? null, // channel codes are case-insensitive, as in /collect
    page: pageOf(o),
    sku: str(o, 'sku', LIMITS.skuLength),
    count,
    topics: topics(o),
  };
  if (t === 'topics' && e.topics.length === 0) throw new Invalid('missing_field', 'a "topics" event needs at least one tag in "topics"');
  const id = str(o, 'id', L.eventIdLength);
  if (t === 'reply' && id === null && count === null) {
    throw new Invalid('missing_field', 'a "reply" event needs an "id" (each counted once) or a running "count"');
  }
  // Without an event id, what the event says is its identity: a replay says the same.
  e.key = id !== null ? `id:${id}` : t === 'reply' ? `reply:${count}` : t === 'topics' ? `topics:${e.topics.join('|')}` : t;
  return e;
}

export function checkConversationEvent(raw: unknown, now: number): CheckedConversationEvent {
  try {
    return { ok: true, event: check(raw, now) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, code: err.code, message: err.message };
    throw err;
  }
}
