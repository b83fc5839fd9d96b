-- 0008: ingest through a queue (worker/ingest/). /collect enqueues; the fold
-- writes, per message batch and site, one row per visitor it moved, the
-- aggregates' differences and one compressed chunk of events per local day.
-- Append-only: 0001-0007 are never edited.

-- The visitor's ledger (worker/ingest/ledger.ts): the replay guard (hashes of its
-- recent event ids) and its per-day rows, which the per-visitor tables
-- visitor_days and sku_visitor_days held one row each (a written row per page view
-- each, plus the event row and its index). `version` is bumped by every fold that
-- writes the row; a fold whose read is stale aborts (worker/db/fold.ts).
ALTER TABLE visitors ADD COLUMN ledger TEXT;
ALTER TABLE visitors ADD COLUMN version INTEGER NOT NULL DEFAULT 0;

UPDATE visitors SET ledger = json_object(
  's', json_array(),
  'd', json((SELECT json_group_array(json_array(day, last_channel, last_campaign, last_promoter, first_channel, first_campaign,
         first_promoter, views, consults, appointments))
       FROM visitor_days vd WHERE vd.site_key = visitors.site_key AND vd.visitor_id = visitors.visitor_id)),
  'k', json((SELECT json_group_array(json_array(day, region, city, sku, views, dwell_ms, consults, appointments))
       FROM sku_visitor_days sv WHERE sv.site_key = visitors.site_key AND sv.visitor_id = visitors.visitor_id)));

DROP TABLE visitor_days;
DROP TABLE sku_visitor_days;

-- The events, compactly: one gzip NDJSON chunk per site, local day and fold
-- (worker/ingest/chunks.ts), the same bytes as the R2 archive's object. A page
-- view costs a fraction of a row. Kept for the site's retention_days (the cron),
-- read by the recomputation and the admin's archive endpoint.
CREATE TABLE event_chunks (
  site_key   TEXT NOT NULL,
  day        TEXT NOT NULL,      -- YYYY-MM-DD in the site's timezone
  id         TEXT NOT NULL,      -- the fold's id: the same messages always make the same id
  events     INTEGER NOT NULL,
  bytes      INTEGER NOT NULL,
  body       BLOB NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_key, day, id)
) WITHOUT ROWID;

-- What the fold did per site and local day: how many messages and events, how
-- many were replays, and the longest a message waited in the queue.
CREATE TABLE ingest_days (
  site_key     TEXT NOT NULL,
  day          TEXT NOT NULL,
  folds        INTEGER NOT NULL DEFAULT 0,
  messages     INTEGER NOT NULL DEFAULT 0,
  events       INTEGER NOT NULL DEFAULT 0,
  duplicates   INTEGER NOT NULL DEFAULT 0,
  max_lag_ms   INTEGER NOT NULL DEFAULT 0,
  last_fold_at INTEGER NOT NULL,
  PRIMARY KEY (site_key, day)
) WITHOUT ROWID;

-- The raw events table of 0001 is no longer written; the rows it holds from
-- before this migration leave with the retention cron as before.
