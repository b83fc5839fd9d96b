// The chat integration's contract: the conversation events a brand's chat system
// reports (POST /api/v1/conversations) and the service report read from them
// (GET /api/v1/reports/service). Every string and list is bounded; what the
// schema cannot know (the clock, the site's lead codes, a page's query string)
// the worker checks after it (worker/conversations/event.ts).
import * as v from 'valibot';
import { intParam, oneOf, siteKey } from './fields';
import { FORMATS, lang, reportDay } from './reports';
import { LIMITS } from './wire';

/** What a chat system reports about a conversation. */
export const CONVERSATION_EVENT_TYPES = ['started', 'first_reply', 'reply', 'ended', 'topics'] as const;
export type ConversationEventType = (typeof CONVERSATION_EVENT_TYPES)[number];

export const CONVERSATION_LIMITS = {
  maxEvents: 100, // per request; events past it are refused one by one
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

const L = CONVERSATION_LIMITS;

// Ids are opaque but printable: no control characters.
// eslint-disable-next-line no-control-regex
const PRINTABLE = /^[^\u0000-\u001f\u007f]*$/;

/** A bounded, printable string, trimmed. */
const printable = (max: number, what: string) =>
  v.pipe(v.string(`must be ${what}`), v.maxLength(max, `is longer than ${max} characters`), v.regex(PRINTABLE, 'must not contain control characters'), v.trim());
/** Absent, null or blank: all the same, nothing (null). */
const optional = (max: number, what: string, description: string) =>
  v.nullish(v.pipe(printable(max, what), v.transform((s) => s || null), v.description(description)));

/** A tag as people type it, in one form: full-width folded, blanks collapsed, lower case. */
export function normaliseTopic(tag: string): string {
  return tag.normalize('NFKC').trim().replace(/\s+/g, ' ').toLowerCase();
}

const AT = 'must be ms since epoch or an ISO 8601 date-time';
const TOPIC = `each topic must be 1 to ${L.topicLength} printable characters`;
const topic = v.pipe(v.string('must hold strings'), v.transform(normaliseTopic), v.minLength(1, TOPIC), v.maxLength(L.topicLength, TOPIC), v.regex(PRINTABLE, TOPIC));

/**
 * One conversation event from the brand's chat system. Without an `id`, what
 * the event says is its identity (its type, a reply's count, a topics event's
 * tags), so a replay says the same and is stored once.
 */
export const ConversationEventSchema = v.pipe(
  v.object({
    type: oneOf(CONVERSATION_EVENT_TYPES),
    conversation: v.pipe(printable(L.conversationIdLength, "the chat system's conversation id"), v.nonEmpty('is required'), v.description("The chat system's conversation id.")),
    at: v.nullish(v.pipe(
      v.union([v.pipe(v.number(AT), v.finite(AT)), v.pipe(v.string(AT), v.maxLength(40, AT), v.regex(/^$|^\d{4}-\d{2}-\d{2}T/, AT))], AT),
      v.description('When it happened: ms since epoch or ISO 8601, after 2015 and not in the future; default: when received.'),
    )),
    visitor: optional(LIMITS.idLength, 'a visitor id', "The script tag's visitor id, when the chat widget knows it."),
    lead: optional(L.leadLength, 'a lead code', 'A lead code, when the customer has one (case and separators are forgiven).'),
    agent: optional(L.agentLength, 'an agent name', 'Who answered.'),
    channel: optional(L.channelLength, 'a channel code', "A channel code the chat system knows; else the visitor's touch is used."),
    page: optional(LIMITS.pathLength, 'a page path', 'Where the consult began (its query string is dropped).'),
    sku: optional(LIMITS.skuLength, 'a SKU', 'The SKU the consult was about.'),
    count: v.nullish(v.pipe(
      v.number(`must be an integer from 0 to ${L.maxCount}`),
      v.integer(`must be an integer from 0 to ${L.maxCount}`),
      v.minValue(0, `must be an integer from 0 to ${L.maxCount}`),
      v.maxValue(L.maxCount, `must be an integer from 0 to ${L.maxCount}`),
      v.description('reply: agent replies so far (a running total).'),
    )),
    topics: v.nullish(v.pipe(
      v.array(topic, `must be an array of at most ${L.maxTopics} tags`),
      v.maxLength(L.maxTopics, `must be an array of at most ${L.maxTopics} tags`),
      v.description('topics: free-text tags such as "price", "delivery", "custom size".'),
      v.transform((ts) => [...new Set(ts)].sort()),
    )),
    id: optional(L.eventIdLength, 'an event id', "The chat system's event id; without it the type (and count or tags) is the event's identity."),
  }),
  v.check((e) => e.type !== 'topics' || (e.topics?.length ?? 0) > 0, 'a "topics" event needs at least one tag in "topics"'),
  v.check((e) => e.type !== 'reply' || e.id != null || e.count != null, 'a "reply" event needs an "id" (each counted once) or a running "count"'),
);
export type ConversationEventInput = v.InferInput<typeof ConversationEventSchema>;

/**
 * `POST /api/v1/conversations`: `{ site, events: [...] }`, or `{ site, ...oneEvent }`
 * for webhooks that relay one event at a time. Each event is checked on its own
 * (ConversationEventSchema), so one bad event never costs the others.
 */
export const ConversationsBody = v.looseObject({
  site: siteKey,
  events: v.optional(v.array(v.unknown(), 'must be an array of conversation events')),
});

/** The same body as the description shows it: each event by its schema. */
export const ConversationsDoc = v.object({ site: siteKey, events: v.array(ConversationEventSchema) });

export const SERVICE_GROUPS = ['agent', 'channel', 'day'] as const;
/** By day, the range holds at most this many days: one row each. */
export const MAX_SERVICE_DAYS = 731;

/** `GET /api/v1/reports/service`: how the online service team works, per agent, channel or day. */
export const ServiceQuery = v.object({
  site: siteKey,
  from: reportDay,
  to: reportDay,
  by: v.optional(oneOf(SERVICE_GROUPS), 'agent'),
  top: v.optional(v.pipe(intParam(1, 50), v.description('Topics listed per row.')), '5'),
  format: v.optional(oneOf(FORMATS), 'json'),
  lang,
});

// The service report's answer (GET /api/v1/reports/service).
export type ServiceBy = (typeof SERVICE_GROUPS)[number];

export interface TopicStat {
  topic: string;
  conversations: number;
  appointments: number;
  appointmentRate: number | null;
}

export interface ServiceMetrics {
  conversations: number;
  visitors: number; // distinct known visitor ids
  answered: number;
  unanswered: number;
  firstResponseMedianMs: number | null; // over answered conversations; null when none
  firstResponseP90Ms: number | null;
  answeredWithinTarget: number;
  withinTargetRate: number | null; // answeredWithinTarget / conversations
  ended: number;
  durationMedianMs: number | null; // over ended conversations
  replies: number;
  appointments: number;
  appointmentRate: number | null; // appointments / conversations
  topTopics: TopicStat[];
}

/** A row: the group's label under the name of its dimension (`agent`, `channel` or `day`), then the metrics. */
export type ServiceRow = { [K in ServiceBy]?: string } & ServiceMetrics;

export interface ServiceSummary {
  totals: ServiceMetrics;
  rows: ServiceRow[];
  topics: TopicStat[];
  firstResponseBuckets: { upToS: number | null; conversations: number }[];
}

