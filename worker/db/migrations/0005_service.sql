-- 0005: online customer service. The brand's chat system posts conversation
-- events (started, first reply, replies, ended, topic tags); each conversation
-- folds into one row, so the service report reads a table that grows with
-- conversations, never with raw events. Append-only, like every migration.

-- Per-site service settings. No row means the defaults (a 30 s response target).
CREATE TABLE service_settings (
  site_key          TEXT PRIMARY KEY REFERENCES sites(site_key),
  response_target_s INTEGER NOT NULL DEFAULT 30 CHECK (response_target_s BETWEEN 1 AND 86400),
  updated_at        INTEGER NOT NULL
) WITHOUT ROWID;

-- One row per conversation, keyed by the chat system's own conversation id.
-- Events may arrive in any order and more than once: every column is filled by
-- a rule that gives the same row whatever the order (earliest start, earliest
-- first reply, latest end, first non-null visitor / lead / agent / channel).
CREATE TABLE conversations (
  site_key       TEXT NOT NULL,
  id             TEXT NOT NULL,     -- the chat system's conversation id
  visitor_id     TEXT,              -- the SDK's visitor id when the chat widget knows it, else the lead's visitor
  lead_code      TEXT,              -- a lead named by the chat system
  agent          TEXT,              -- the first agent named for the conversation
  channel_hint   TEXT,              -- a channel the chat system states; wins over the touch below
  touch_channel  TEXT,              -- the visitor's (else the lead's) last non-direct touch when first known
  page           TEXT,              -- where the consult began, as the chat widget saw it
  sku            TEXT,
  started_at     INTEGER,           -- ms; null until a "started" event arrives
  day            TEXT,              -- local day of started_at in the site's timezone
  first_reply_at INTEGER,           -- ms; null = unanswered
  ended_at       INTEGER,           -- ms; null = still open (or never closed)
  replies        INTEGER NOT NULL DEFAULT 0, -- agent replies, first included
  updated_at     INTEGER NOT NULL,
  PRIMARY KEY (site_key, id)
) WITHOUT ROWID;
-- The report selects a site's conversations by local day range; the rest of
-- the row is read through the primary key.
CREATE INDEX conversations_day ON conversations (site_key, day);

-- The report's conversion check: "did this visitor book between the start and
-- the end of the window?" With only leads_visitor (site_key, visitor_id) SQLite
-- prefers a scan of the site's leads by primary key (it is covering, the index
-- is not); this index answers the whole check, range included, from the index.
CREATE INDEX leads_visitor_created ON leads (site_key, visitor_id, created_at);

-- Topic tags ("price", "delivery", "定制尺寸"), normalised, each once per conversation.
CREATE TABLE conversation_topics (
  site_key        TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  topic           TEXT NOT NULL,
  PRIMARY KEY (site_key, conversation_id, topic)
) WITHOUT ROWID;

-- The ledger of applied events: (conversation, key) where key is the event's
-- own id, else its type (or type and count/tags). A key seen before is a
-- duplicate and changes nothing, which makes the endpoint idempotent.
CREATE TABLE conversation_events (
  site_key        TEXT NOT NULL,
  conversation_id TEXT NOT NULL,
  key             TEXT NOT NULL,
  type            TEXT NOT NULL,
  received_at     INTEGER NOT NULL,
  PRIMARY KEY (site_key, conversation_id, key)
) WITHOUT ROWID;
