-- 0001: the core. Sites and their stores, access tokens, raw events and the
-- per-visitor row every report hangs from. Append-only: never edit a migration
-- once applied; add the next number instead.

-- A site is one brand storefront (or one regional branch of it). Everything is
-- scoped by site_key, which the script tag carries in data-site.
CREATE TABLE sites (
  site_key         TEXT PRIMARY KEY,
  name             TEXT NOT NULL,
  origins          TEXT NOT NULL DEFAULT '[]',          -- JSON array of allowed browser origins
  timezone         TEXT NOT NULL DEFAULT 'Asia/Shanghai', -- report days are local days
  currency         TEXT NOT NULL DEFAULT 'CNY',          -- deal amounts are integer minor units of this
  attribution_days INTEGER NOT NULL DEFAULT 30,
  retention_days   INTEGER NOT NULL DEFAULT 90,          -- raw events older than this are purged by the cron
  channel_rules    TEXT NOT NULL DEFAULT '[]',           -- JSON: site-specific channel rules
  created_at       INTEGER NOT NULL
);

-- A physical store of a site, where arrivals and deals happen.
CREATE TABLE stores (
  site_key   TEXT NOT NULL REFERENCES sites(site_key),
  store_id   TEXT NOT NULL,
  name       TEXT NOT NULL,
  region     TEXT,
  city       TEXT,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_key, store_id)
) WITHOUT ROWID;

-- Report and store tokens. Only a SHA-256 of the secret is kept; the admin
-- token is a Worker secret and never stored here.
CREATE TABLE tokens (
  id         TEXT PRIMARY KEY,                -- public id, shown in listings and logs instead of the secret
  hash       TEXT NOT NULL UNIQUE,            -- hex SHA-256 of the secret
  kind       TEXT NOT NULL CHECK (kind IN ('report', 'store')),
  sites      TEXT NOT NULL DEFAULT '[]',      -- JSON array of site keys it may read or write
  stores     TEXT NOT NULL DEFAULT '[]',      -- JSON array of store ids (store tokens only)
  label      TEXT NOT NULL DEFAULT '',
  created_at INTEGER NOT NULL,
  revoked_at INTEGER
);

-- Raw events as received. (site_key, id) is the key, so a replayed beacon
-- inserts nothing (INSERT OR IGNORE). WITHOUT ROWID keeps the key the table.
CREATE TABLE events (
  site_key    TEXT NOT NULL,
  id          TEXT NOT NULL,
  type        TEXT NOT NULL,
  visitor_id  TEXT NOT NULL,
  session_id  TEXT NOT NULL,
  pageview_id TEXT,
  ts          INTEGER NOT NULL,   -- client time, clamped to the received time's neighbourhood
  received_at INTEGER NOT NULL,
  day         TEXT NOT NULL,      -- YYYY-MM-DD in the site's timezone
  path        TEXT,
  sku         TEXT,
  channel     TEXT,               -- the channel this event is credited to (view: the landing's own)
  data        TEXT,               -- JSON of the type-specific rest (referrer, params, dwell, props …)
  country     TEXT,
  region      TEXT,
  city        TEXT,
  device      TEXT,
  PRIMARY KEY (site_key, id)
) WITHOUT ROWID;

-- Retention purges by age; the cron deletes by (site_key, received_at).
CREATE INDEX events_site_received ON events (site_key, received_at);

-- One row per visitor: where they came from, first and last non-direct touch.
-- Every later consult, appointment, arrival and deal is credited through it.
CREATE TABLE visitors (
  site_key       TEXT NOT NULL,
  visitor_id     TEXT NOT NULL,
  first_seen     INTEGER NOT NULL,
  last_seen      INTEGER NOT NULL,
  first_channel  TEXT NOT NULL,
  first_source   TEXT,
  first_medium   TEXT,
  first_campaign TEXT,
  first_promoter TEXT,
  first_at       INTEGER NOT NULL,
  last_channel   TEXT NOT NULL,     -- last non-direct touch within the attribution window, else 'direct'
  last_source    TEXT,
  last_medium    TEXT,
  last_campaign  TEXT,
  last_promoter  TEXT,
  last_at        INTEGER NOT NULL,
  country        TEXT,
  region         TEXT,
  city           TEXT,
  device         TEXT,
  PRIMARY KEY (site_key, visitor_id)
) WITHOUT ROWID;
