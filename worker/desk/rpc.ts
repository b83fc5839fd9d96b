// What the desk's two Durable Objects answer over RPC, as interfaces, so the
// bindings (worker/env.ts) and the routes can name them without importing the
// classes (which import the runtime's `cloudflare:workers`, and the bindings).
import type { ConversationStatus, QueueItem, StoreCard, Transcript } from '../../protocol/desk';

/** A new conversation's binding: the visitor it belongs to and its secret's SHA-256. */
export interface RoomInit {
  site: string;
  c: string;
  visitor: string;
  secretHash: string;
  page: string | null;
  sku: string | null;
  retentionDays: number;
}

/** Whether (visitor, secret) may use the conversation: `missing` when the object holds none. */
export type RoomCheck = { ok: true; status: ConversationStatus } | { ok: false; reason: 'missing' | 'forbidden' };

export interface RoomSummary {
  site: string;
  c: string;
  visitor: string;
  status: ConversationStatus;
  agent: string | null;
  page: string | null;
  sku: string | null;
}

export interface RoomApi extends Rpc.DurableObjectBranded {
  create(init: RoomInit): Promise<boolean>;
  check(visitor: string, secretHash: string): Promise<RoomCheck>;
  /** The desk gave the conversation to `agent`; false when it has ended (or does not exist). */
  assign(agent: string): Promise<boolean>;
  /** Posts the lead's code and store into the chat once per lead; its seq, or null without a conversation. */
  booked(lead: string, store: StoreCard): Promise<number | null>;
  transcript(): Promise<Transcript | null>;
  /** Whose conversation it is and where it began, for the desk's context; null without one. */
  summary(): Promise<RoomSummary | null>;
}

export interface DeskApi extends Rpc.DurableObjectBranded {
  /** A conversation's state changed (new, message, ended): the queue follows. */
  report(site: string, item: QueueItem): Promise<void>;
  /** The conversation is gone (retention): off the queue. */
  forget(c: string): Promise<void>;
  agentsOnline(): Promise<boolean>;
}
