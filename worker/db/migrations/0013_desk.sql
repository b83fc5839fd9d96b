-- 0013: the consult desk (issue 20, worker/desk/). The conversations and their
-- messages live in each conversation's Durable Object (its own SQLite, with the
-- site's retention); D1 keeps what the API and the desk read across them.
-- Append-only: 0001-0012 are never edited.

-- A store's street address, shown in the chat when an agent books a visit
-- (the `booked` frame). Set by the admin store endpoint; null until then.
ALTER TABLE stores ADD COLUMN address TEXT;

-- What the site's agents pick from in the desk: quick replies (sent as typed
-- text) and topic tags (the service report's topics). JSON arrays of strings;
-- no row means none yet.
CREATE TABLE desk_settings (
  site_key      TEXT PRIMARY KEY REFERENCES sites(site_key),
  quick_replies TEXT NOT NULL DEFAULT '[]',
  topic_tags    TEXT NOT NULL DEFAULT '[]',
  updated_at    INTEGER NOT NULL
) WITHOUT ROWID;

-- Single-use tickets for the desk's WebSockets (a browser cannot send an
-- Authorization header on one): made by POST /api/v1/desk/ticket with a service
-- or admin token, deleted when used, good for 60 s. Only a SHA-256 is kept.
-- Expired rows are deleted when the next ticket of the site is made.
CREATE TABLE desk_tickets (
  hash       TEXT PRIMARY KEY,
  site_key   TEXT NOT NULL,
  agent      TEXT NOT NULL,   -- the token's label (or "admin"): the name the visitor's chat and the report show
  expires_at INTEGER NOT NULL
) WITHOUT ROWID;
CREATE INDEX desk_tickets_site ON desk_tickets (site_key, expires_at);
