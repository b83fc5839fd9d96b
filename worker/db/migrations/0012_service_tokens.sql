-- 0012: the service desk's token and the leads it makes (issue 20).
-- Append-only: 0001-0011 are never edited.
--
-- 1. A third stored token kind, `service`: the online service team's token.
-- It may book a store visit for a visitor (POST /api/v1/leads), relay
-- conversation events and use the desk, and read no report. SQLite cannot
-- change a CHECK constraint in place, so the table is rebuilt with the same
-- columns and rows; nothing references it, and its one index (the hash's
-- UNIQUE) is rebuilt with it.
CREATE TABLE tokens_0012 (
  id         TEXT PRIMARY KEY,                -- public id, shown in listings and logs instead of the secret
  hash       TEXT NOT NULL UNIQUE,            -- hex SHA-256 of the secret
  kind       TEXT NOT NULL CHECK (kind IN ('report', 'store', 'service')),
  sites      TEXT NOT NULL DEFAULT '[]',      -- JSON array of site keys it may read or write
  stores     TEXT NOT NULL DEFAULT '[]',      -- JSON array of {site, store} pairs (0007)
  label      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);
INSERT INTO tokens_0012 (id, hash, kind, sites, stores, label, created_at, revoked_at)
  SELECT id, hash, kind, sites, stores, label, created_at, revoked_at FROM tokens;
DROP TABLE tokens;
ALTER TABLE tokens_0012 RENAME TO tokens;

-- 2. Where a lead came from: the visitor's own form (every lead so far), a
-- booking the service desk made for the visitor, or a visitor's request to be
-- called back when no agent was online. The leads list filters on it
-- (`source=callback`: the calls to make); a site has few leads a day, so the
-- filter reads the day range it already reads (leads_day), no index of its own.
ALTER TABLE leads ADD COLUMN source TEXT NOT NULL DEFAULT 'form' CHECK (source IN ('form', 'desk', 'callback'));

-- 3. The conversation a booking was made in (the desk's or an external chat
-- system's id), so the desk and the leads list can tell which chat booked it.
-- The service report counts the booking through the conversation row's
-- lead_code (0005), set at the same time.
ALTER TABLE leads ADD COLUMN conversation_id TEXT;
