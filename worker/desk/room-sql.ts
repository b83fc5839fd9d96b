// The conversation object's own SQLite: one `room` row (whose conversation,
// bound to which visitor and secret, its state and times), its messages by seq,
// and the outbox of conversation events not yet in D1. Every read of state
// comes from here, so the object works the same after hibernation.
import type { ConversationStatus, RoomOut, Sender, StoreCard, Transcript } from '../../protocol/desk';

export const ROOM_SCHEMA = `
CREATE TABLE IF NOT EXISTS room (
  id             INTEGER PRIMARY KEY CHECK (id = 1),
  site           TEXT NOT NULL,
  c              TEXT NOT NULL,
  visitor        TEXT NOT NULL,
  secret_hash    TEXT NOT NULL,     -- hex SHA-256 of the widget's secret; the secret is never stored
  status         TEXT NOT NULL DEFAULT 'waiting',
  agent          TEXT,
  topics         TEXT NOT NULL DEFAULT '[]',
  page           TEXT,
  sku            TEXT,
  retention_days INTEGER NOT NULL,
  created_at     INTEGER NOT NULL,
  started_at     INTEGER,           -- the visitor's first message
  first_reply_at INTEGER,
  ended_at       INTEGER,
  last_at        INTEGER NOT NULL
);
-- AUTOINCREMENT: a seq is never reused after retention deletes the newest rows.
CREATE TABLE IF NOT EXISTS messages (
  seq       INTEGER PRIMARY KEY AUTOINCREMENT,
  sender    TEXT NOT NULL,          -- visitor | agent | system
  client_id TEXT NOT NULL,          -- the sender's id for it: a resend is the same message
  agent     TEXT,
  kind      TEXT NOT NULL,          -- msg | booked
  text      TEXT NOT NULL,          -- plain text; booked: the lead code
  store     TEXT,                   -- booked: the store card as JSON
  at        INTEGER NOT NULL,
  UNIQUE (sender, client_id)
);
CREATE INDEX IF NOT EXISTS messages_at ON messages (at);
CREATE TABLE IF NOT EXISTS outbox (
  key   TEXT PRIMARY KEY,           -- the event's id in the conversation ledger
  event TEXT NOT NULL               -- JSON for worker/conversations/ingest.ts
);`;

export interface RoomRow {
  site: string;
  c: string;
  visitor: string;
  secret_hash: string;
  status: ConversationStatus;
  agent: string | null;
  topics: string;
  page: string | null;
  sku: string | null;
  retention_days: number;
  created_at: number;
  started_at: number | null;
  first_reply_at: number | null;
  ended_at: number | null;
  last_at: number;
}

export interface MessageRow {
  seq: number;
  sender: Sender;
  client_id: string;
  agent: string | null;
  kind: 'msg' | 'booked';
  text: string;
  store: string | null;
  at: number;
}

/** A stored message as the frame a client gets. */
export function frameOf(m: MessageRow) {
  if (m.kind === 'booked') return { t: 'booked' as const, seq: m.seq, lead: m.text, store: JSON.parse(m.store ?? '{}') as StoreCard, at: m.at };
  return { t: 'msg' as const, seq: m.seq, id: m.client_id, from: m.sender, text: m.text, at: m.at, ...(m.agent ? { agent: m.agent } : {}) };
}

type Sql = SqlStorage;

export const roomRow = (sql: Sql): RoomRow | null => (sql.exec('SELECT * FROM room WHERE id = 1').toArray()[0] as unknown as RoomRow | undefined) ?? null;

/** Inserts a message unless (sender, client id) is there: the stored row either way, and whether it is new. */
export function storeMessage(sql: Sql, m: Omit<MessageRow, 'seq'>): { row: MessageRow; fresh: boolean } {
  const inserted = sql.exec(
    `INSERT INTO messages (sender, client_id, agent, kind, text, store, at) VALUES (?, ?, ?, ?, ?, ?, ?)
     ON CONFLICT (sender, client_id) DO NOTHING RETURNING *`,
    m.sender, m.client_id, m.agent, m.kind, m.text, m.store, m.at,
  ).toArray()[0] as unknown as MessageRow | undefined;
  if (inserted) return { row: inserted, fresh: true };
  const row = sql.exec('SELECT * FROM messages WHERE sender = ? AND client_id = ?', m.sender, m.client_id).one() as unknown as MessageRow;
  return { row, fresh: false };
}

/** Messages after `since`, oldest first, at most `max` (the newest of them). */
export const messagesAfter = (sql: Sql, since: number, max: number): MessageRow[] =>
  (sql.exec('SELECT * FROM (SELECT * FROM messages WHERE seq > ? ORDER BY seq DESC LIMIT ?) ORDER BY seq', since, max).toArray() as unknown as MessageRow[]);

/** Whether the visitor id and the secret's digest are the ones the conversation was opened with. */
export function bound(room: RoomRow, visitor: string, secretHash: string): boolean {
  return room.visitor === visitor && room.secret_hash === secretHash;
}

export function stateFrame(room: RoomRow, forAgent: boolean): RoomOut {
  // Topic tags are the service team's notes on the customer (价格敏感): never sent to the visitor's browser.
  const topics = forAgent ? (JSON.parse(room.topics) as string[]) : [];
  return { t: 'state', status: room.status, ...(room.agent ? { agent: room.agent } : {}), ...(topics.length ? { topics } : {}) };
}

/** The transcript: text only, a booking as its lead code. */
export function transcriptOf(room: RoomRow, messages: MessageRow[]): Transcript {
  return {
    site: room.site, conversation: room.c, visitor: room.visitor, status: room.status, agent: room.agent, topics: JSON.parse(room.topics),
    messages: messages.map((m) => ({
      seq: m.seq, from: m.sender, agent: m.agent, text: m.kind === 'booked' ? '' : m.text, at: new Date(m.at).toISOString(), ...(m.kind === 'booked' ? { lead: m.text } : {}),
    })),
  };
}
