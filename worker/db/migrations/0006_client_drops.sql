-- 0006: what browsers lost. The SDK keeps failed batches in a bounded retry
-- queue (one batch of 50); when it has to drop the oldest, it counts them and,
-- after the next replay, sends a `track` event named o2o_dropped with p.n = the
-- count. Ingest folds each new such event here (replays add nothing), so a brand
-- can see how much its visitors' browsers could not deliver, beside bot_hits.
CREATE TABLE client_drops (
  site_key TEXT NOT NULL,
  day      TEXT NOT NULL,              -- YYYY-MM-DD in the site's timezone, of the o2o_dropped event
  events   INTEGER NOT NULL DEFAULT 0, -- events dropped in browsers (sum of p.n)
  reports  INTEGER NOT NULL DEFAULT 0, -- o2o_dropped events: browsers that had to drop
  PRIMARY KEY (site_key, day)
) WITHOUT ROWID;
