// The consult desk's contract: the visitor's chat (/chat/*), the agents' desk
// (/api/v1/desk/*) and the WebSocket frames between them and the Durable Objects
// (worker/desk/). Runtime-neutral: the chat widget imports its types and
// constants; the worker checks every client frame with the schemas below. Every
// string is bounded; message text is plain text, never HTML.
import * as v from 'valibot';
import { siteKey, visitorId } from './fields';
import { LIMITS } from './wire';

export const DESK_LIMITS = {
  textLength: 2000, // one message, in characters
  clientIdLength: 64, // the client's message id (its resend key)
  conversationIdLength: 32,
  secretLength: 64,
  previewLength: 80, // the queue's glimpse of the last message
  replayMax: 500, // messages a `hello` answers at most (the newest)
  ratePerSecond: 5, // frames per socket: a bucket of `rateBurst` refilled at this rate
  rateBurst: 10,
  frameBytes: 8 * 1024, // a frame larger than this is refused before parsing
  maxTags: 20,
  tagLength: 40,
  phoneLength: 20,
  nameLength: 40,
  noteLength: 200,
  queueMax: 200, // conversations the desk lists at most
  ticketSeconds: 60,
  quickReplies: 30,
  quickReplyLength: 200,
  topicTags: 30,
} as const;
const L = DESK_LIMITS;

export type ConversationStatus = 'waiting' | 'open' | 'ended';
export type Sender = 'visitor' | 'agent' | 'system';

// ------------------------------------------------------------ client frames

const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g; // eslint-disable-line no-control-regex
/** Plain text: control characters but tab and newline dropped, line ends as \n, trimmed. */
export const plainText = (s: string): string => s.replace(/\r\n?/g, '\n').replace(CONTROL, '').trim();

const TEXT = `must be 1 to ${L.textLength} characters of text`;
const text = v.pipe(v.string(TEXT), v.maxLength(L.textLength, TEXT), v.transform(plainText), v.minLength(1, TEXT));
const clientId = v.pipe(v.string('must be a message id'), v.regex(/^[A-Za-z0-9_-]{1,64}$/, `must be 1 to ${L.clientIdLength} URL-safe characters`));
const conversationId = v.pipe(v.string('must be a conversation id'), v.regex(/^[A-Za-z0-9_-]{1,32}$/, 'must be a conversation id'));
const TAG = `each tag must be 1 to ${L.tagLength} characters`;
const tag = v.pipe(v.string(TAG), v.transform(plainText), v.minLength(1, TAG), v.maxLength(L.tagLength, TAG));
const seq = v.pipe(v.number('must be a sequence number'), v.integer('must be a sequence number'), v.minValue(0, 'must be a sequence number'));

/** Visitor or agent → the conversation's object. */
export const RoomFrame = v.variant('t', [
  v.object({ t: v.literal('hello'), since: v.optional(seq, 0) }), // on every (re)connect: what came after `since`
  v.object({ t: v.literal('msg'), id: clientId, text }), // stored once per (sender, id); answered by `ack`
  v.object({ t: v.literal('typing') }),
  v.object({ t: v.literal('end') }), // agent
  v.object({ t: v.literal('topics'), tags: v.pipe(v.array(tag, `must be at most ${L.maxTags} tags`), v.maxLength(L.maxTags, `must be at most ${L.maxTags} tags`)) }), // agent
], 'must be a frame: hello, msg, typing, end or topics');
export type RoomFrameIn = v.InferInput<typeof RoomFrame>;

/** Agent → the site's desk object. */
export const DeskFrame = v.variant('t', [
  v.object({ t: v.literal('claim'), c: conversationId }),
  v.object({ t: v.literal('queue') }), // ask for the queue again
], 'must be a frame: claim or queue');
export type DeskFrameIn = v.InferInput<typeof DeskFrame>;

// ------------------------------------------------------------ server frames

export interface StoreCard {
  id: string;
  name: string;
  address: string | null;
}
export type ErrorCode = 'internal' | 'invalid_frame' | 'too_large' | 'rate_limited' | 'taken' | 'not_claimed' | 'forbidden' | 'ended' | 'unknown_conversation';

export type RoomOut =
  | { t: 'msg'; seq: number; id: string; from: Sender; text: string; at: number; agent?: string }
  | { t: 'ack'; id: string; seq: number }
  | { t: 'typing'; from: 'visitor' | 'agent' }
  | { t: 'booked'; seq: number; lead: string; store: StoreCard; at: number }
  | { t: 'state'; status: ConversationStatus; agent?: string; topics?: string[] }
  | { t: 'error'; code: ErrorCode; message: string };

export interface QueueItem {
  c: string;
  status: ConversationStatus;
  visitor: string;
  startedAt: number;
  lastAt: number;
  agent?: string;
  preview: string;
}
export type DeskOut =
  | { t: 'queue'; conversations: QueueItem[] } // waiting first (oldest first), then open ones
  | { t: 'presence'; agents: string[] }
  | { t: 'claimed'; c: string; agent: string }
  | { t: 'error'; code: ErrorCode; message: string; c?: string };

// ------------------------------------------------------------ HTTP

const secret = v.pipe(v.string('must be the conversation secret'), v.regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be the conversation secret'));
const page = v.pipe(v.string('must be a page path'), v.maxLength(LIMITS.pathLength, `must be a page path of at most ${LIMITS.pathLength} characters`));
const skuField = v.pipe(v.string('must be a SKU'), v.maxLength(LIMITS.skuLength, `must be a SKU of at most ${LIMITS.skuLength} characters`));

/** `POST /chat/open`: a new conversation, or the visitor's own again with its (c, k). */
export const ChatOpenBody = v.object({
  s: siteKey,
  v: visitorId,
  c: v.optional(conversationId),
  k: v.optional(secret),
  u: v.optional(page),
  sku: v.optional(skuField),
});
export interface ChatOpenAnswer {
  c: string;
  k: string;
  status: ConversationStatus;
  agentsOnline: boolean;
}

/** `GET /chat/ws?s=&c=&k=&v=`: the visitor's socket. */
export const ChatWsQuery = v.object({ s: siteKey, c: conversationId, k: secret, v: visitorId });

const PHONE = 'must be a phone number: 5 to 20 digits, spaces, "+", "-" or brackets';
/** `POST /chat/callback`: no agent online, the visitor leaves a number. */
export const ChatCallbackBody = v.object({
  s: siteKey,
  c: conversationId,
  k: secret,
  v: visitorId,
  phone: v.pipe(v.string(PHONE), v.trim(), v.regex(/^\+?[0-9 ()-]{5,20}$/, PHONE)),
  name: v.optional(v.pipe(v.string(`must be a name of at most ${L.nameLength} characters`), v.transform(plainText), v.maxLength(L.nameLength, `must be a name of at most ${L.nameLength} characters`))),
  note: v.optional(v.pipe(v.string(`must be a note of at most ${L.noteLength} characters`), v.transform(plainText), v.maxLength(L.noteLength, `must be a note of at most ${L.noteLength} characters`))),
});
export interface ChatCallbackAnswer {
  lead: string;
}

export const DeskSiteQuery = v.object({ site: v.optional(siteKey) });
export const DeskTicketQuery = v.object({ ticket: v.pipe(v.string('must be a ticket'), v.regex(/^[A-Za-z0-9_-]{16,64}$/, 'must be a ticket from POST /api/v1/desk/ticket')) });
export const DeskConversationParams = v.object({ c: conversationId });

/** `POST /api/v1/desk/ticket`: a single-use pass for one WebSocket, because a browser cannot send a header on one. */
export interface DeskTicket {
  ticket: string;
  agent: string;
  site: string;
  expiresAt: string;
}

/** The desk's settings for a site: quick replies and topic tags the agents pick from. */
export const DeskSettingsBody = v.object({
  quickReplies: v.optional(v.pipe(v.array(v.pipe(v.string('must hold texts'), v.transform(plainText), v.minLength(1, 'must not hold an empty reply'), v.maxLength(L.quickReplyLength, `must hold replies of at most ${L.quickReplyLength} characters`)), 'must be an array of texts'), v.maxLength(L.quickReplies, `must hold at most ${L.quickReplies} replies`))),
  topicTags: v.optional(v.pipe(v.array(tag, 'must be an array of tags'), v.maxLength(L.topicTags, `must hold at most ${L.topicTags} tags`))),
});
export interface DeskSettings {
  site: string;
  quickReplies: string[];
  topicTags: string[];
}

/** `GET /api/v1/desk/conversations/:c/context`: who the agent is talking to. Bounded lists, newest first. */
export interface VisitorContext {
  conversation: string;
  visitor: string;
  known: boolean; // the visitor has folded events (else only the conversation's page and SKU)
  firstChannel: string | null;
  firstCampaign: string | null;
  lastChannel: string | null;
  lastCampaign: string | null;
  region: string | null;
  city: string | null;
  device: string | null;
  firstSeen: string | null;
  lastSeen: string | null;
  page: string | null; // where the chat was opened
  sku: string | null;
  visitDays: { day: string; channel: string; views: number; consults: number; appointments: number }[];
  skus: { sku: string; views: number; dwellMs: number; lastDay: string }[];
  pages: { path: string; sku: string | null; at: string; dwellMs: number }[]; // the last active day's page views
  leads: { code: string; store: string | null; status: string; createdAt: string }[];
}

/** `GET /api/v1/conversations/:c/messages?site=`: the transcript, text only. */
export interface Transcript {
  site: string;
  conversation: string;
  visitor: string;
  status: ConversationStatus;
  agent: string | null;
  topics: string[];
  messages: { seq: number; from: Sender; agent: string | null; text: string; at: string; lead?: string }[];
}
