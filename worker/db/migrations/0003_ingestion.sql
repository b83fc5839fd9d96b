-- 0003: what the collect edge needs beyond 0001. Append-only.

-- The session of the visitor's latest view. Weak landing signals (a referrer,
-- an in-app browser) only count on the first view of a session, so a reload
-- inside WeChat does not overwrite the paid touch the session started with.
ALTER TABLE visitors ADD COLUMN last_session TEXT;

-- Known bots and crawlers: dropped at the edge, never stored, only counted,
-- per site and local day, so a brand can see how much traffic was refused.
CREATE TABLE bot_hits (
  site_key TEXT NOT NULL,
  day      TEXT NOT NULL,            -- YYYY-MM-DD in the site's timezone
  events   INTEGER NOT NULL DEFAULT 0, -- events in the bots' batches
  requests INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_key, day)
) WITHOUT ROWID;

-- Sites remember when their settings last changed (admin PATCH).
ALTER TABLE sites ADD COLUMN updated_at INTEGER;
