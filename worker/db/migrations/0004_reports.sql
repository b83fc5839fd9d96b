-- 0004: what the reports read, so no report ever scans raw events.
--
-- Distinct visitors cannot be summed from daily counts, so the rollups keep one
-- row per visitor per local day (and per SKU for the interest report): a report
-- counts COUNT(DISTINCT visitor_id) over the rows of its date range, which is
-- exact, and its cost grows with visitor-days × dimensions, not with events.
-- Both tables are upserted by ingest in the same D1 batch as the events insert
-- (worker/db/rollups.ts) and are kept when the cron purges raw events.
-- Text dimensions use '' for "none": WITHOUT ROWID keys cannot hold NULL.

-- The event row keeps the touches it was credited with, so the rollups can be
-- recomputed from scratch (worker/db/recompute.ts) while raw events are kept.
-- Replays add nothing because ingest folds a batch into the rollups before it
-- inserts the events, counting only ids not stored yet (worker/db/rollups.ts).
ALTER TABLE events ADD COLUMN credit_campaign TEXT;
ALTER TABLE events ADD COLUMN credit_promoter TEXT;
ALTER TABLE events ADD COLUMN first_channel TEXT;
ALTER TABLE events ADD COLUMN first_campaign TEXT;
ALTER TABLE events ADD COLUMN first_promoter TEXT;

-- One row per visitor, local day and touch pair: the online funnel stages.
-- A visitor credited to two channels on one day has two rows and counts once
-- for each channel, once for the total.
CREATE TABLE visitor_days (
  site_key       TEXT NOT NULL,
  day            TEXT NOT NULL,     -- YYYY-MM-DD in the site's timezone
  visitor_id     TEXT NOT NULL,
  last_channel   TEXT NOT NULL,     -- the credited touch (last non-direct within the window)
  last_campaign  TEXT NOT NULL,
  last_promoter  TEXT NOT NULL,
  first_channel  TEXT NOT NULL,     -- the visitor's first touch
  first_campaign TEXT NOT NULL,
  first_promoter TEXT NOT NULL,
  views          INTEGER NOT NULL DEFAULT 0,
  consults       INTEGER NOT NULL DEFAULT 0,
  appointments   INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_key, visitor_id, day, last_channel, last_campaign, last_promoter, first_channel, first_campaign, first_promoter)
) WITHOUT ROWID;
-- Keyed by visitor first: ingest reads one visitor's rows to keep touch_days'
-- day chains (below); reports read touch_days, not this table. No secondary
-- index: each would add a written row per page view (D1 bills index entries).

-- The channel report's online stages, exact without a per-visitor scan: per
-- dimension (dim: lc/lk/lp = last channel/campaign/promoter, fc/fk/fp = first),
-- key, day and prev = the visitor's previous day with the same key and stage
-- ('' = none), the number of visitors (and, per stage, of consulting and booking
-- visitors) and their views. A visitor counts in [from, to] on the one day in
-- range whose prev < from, so Σ over day in range and prev < from is the exact
-- distinct count (worker/db/touch-days.ts keeps it on ingest).
CREATE TABLE touch_days (
  site_key     TEXT NOT NULL,
  dim          TEXT NOT NULL,
  k            TEXT NOT NULL,      -- the key: a channel, campaign or promoter ('' = none)
  day          TEXT NOT NULL,
  prev         TEXT NOT NULL,
  visitors     INTEGER NOT NULL DEFAULT 0,
  views        INTEGER NOT NULL DEFAULT 0,
  consults     INTEGER NOT NULL DEFAULT 0,
  appointments INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_key, dim, day, k, prev)
) WITHOUT ROWID;
-- The key serves the report's read: (site, dim, day range), grouped by k.

-- One row per visitor, local day, place and SKU: the regional interest signals.
-- Keyed by visitor and SKU first: ingest reads one visitor's days with a SKU to
-- keep sku_chains' day chains (below); reports read sku_chains, not this table.
CREATE TABLE sku_visitor_days (
  site_key     TEXT NOT NULL,
  day          TEXT NOT NULL,
  region       TEXT NOT NULL,       -- request.cf region of the event ('' when unknown)
  city         TEXT NOT NULL,
  sku          TEXT NOT NULL,
  visitor_id   TEXT NOT NULL,
  views        INTEGER NOT NULL DEFAULT 0,
  dwell_ms     INTEGER NOT NULL DEFAULT 0,
  consults     INTEGER NOT NULL DEFAULT 0,
  appointments INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_key, visitor_id, sku, region, city, day)
) WITHOUT ROWID;

-- The SKU reports' signals, fast over long ranges: touch_days' day-chain trick
-- per place level (p: r = region, c = city), place and SKU, at two spans: 'd'
-- rows per local day and 'b' rows per ten-day block (days 1-10, 11-20, 21-end of
-- a month; `day` holds the block's first day). A visitor counts in a row's
-- `visitors` on their first day in the span, under prev = their previous day
-- with the place and SKU before the span ('' = none), so a range read as whole
-- blocks plus the days at either end gives exact distinct visitors as
-- SUM(visitors) where prev < from (likewise consults and appointments). `vdays`
-- counts visitor-days; h0..h39 count visitor-days by engaged dwell in log
-- buckets 20 percent wide (worker/db/sku-chains.ts), the approximate median's
-- input. dwell_ms is the exact total.
CREATE TABLE sku_chains (
  site_key     TEXT NOT NULL,
  p            TEXT NOT NULL,
  span         TEXT NOT NULL,
  day          TEXT NOT NULL,
  place        TEXT NOT NULL,
  sku          TEXT NOT NULL,
  prev         TEXT NOT NULL,
  vdays        INTEGER NOT NULL DEFAULT 0,
  visitors     INTEGER NOT NULL DEFAULT 0,
  views        INTEGER NOT NULL DEFAULT 0,
  dwell_ms     INTEGER NOT NULL DEFAULT 0,
  consults     INTEGER NOT NULL DEFAULT 0,
  appointments INTEGER NOT NULL DEFAULT 0,
  h0 INTEGER NOT NULL DEFAULT 0,
  h1 INTEGER NOT NULL DEFAULT 0,
  h2 INTEGER NOT NULL DEFAULT 0,
  h3 INTEGER NOT NULL DEFAULT 0,
  h4 INTEGER NOT NULL DEFAULT 0,
  h5 INTEGER NOT NULL DEFAULT 0,
  h6 INTEGER NOT NULL DEFAULT 0,
  h7 INTEGER NOT NULL DEFAULT 0,
  h8 INTEGER NOT NULL DEFAULT 0,
  h9 INTEGER NOT NULL DEFAULT 0,
  h10 INTEGER NOT NULL DEFAULT 0,
  h11 INTEGER NOT NULL DEFAULT 0,
  h12 INTEGER NOT NULL DEFAULT 0,
  h13 INTEGER NOT NULL DEFAULT 0,
  h14 INTEGER NOT NULL DEFAULT 0,
  h15 INTEGER NOT NULL DEFAULT 0,
  h16 INTEGER NOT NULL DEFAULT 0,
  h17 INTEGER NOT NULL DEFAULT 0,
  h18 INTEGER NOT NULL DEFAULT 0,
  h19 INTEGER NOT NULL DEFAULT 0,
  h20 INTEGER NOT NULL DEFAULT 0,
  h21 INTEGER NOT NULL DEFAULT 0,
  h22 INTEGER NOT NULL DEFAULT 0,
  h23 INTEGER NOT NULL DEFAULT 0,
  h24 INTEGER NOT NULL DEFAULT 0,
  h25 INTEGER NOT NULL DEFAULT 0,
  h26 INTEGER NOT NULL DEFAULT 0,
  h27 INTEGER NOT NULL DEFAULT 0,
  h28 INTEGER NOT NULL DEFAULT 0,
  h29 INTEGER NOT NULL DEFAULT 0,
  h30 INTEGER NOT NULL DEFAULT 0,
  h31 INTEGER NOT NULL DEFAULT 0,
  h32 INTEGER NOT NULL DEFAULT 0,
  h33 INTEGER NOT NULL DEFAULT 0,
  h34 INTEGER NOT NULL DEFAULT 0,
  h35 INTEGER NOT NULL DEFAULT 0,
  h36 INTEGER NOT NULL DEFAULT 0,
  h37 INTEGER NOT NULL DEFAULT 0,
  h38 INTEGER NOT NULL DEFAULT 0,
  h39 INTEGER NOT NULL DEFAULT 0,
  PRIMARY KEY (site_key, p, span, day, place, sku, prev)
) WITHOUT ROWID;
-- The key serves the report's read: (site, level, span, day range[, place]).

-- Marketing spend per channel and local day, minor units of the site's currency.
-- A month uploaded as one figure is spread over its days (worker/reports/spend.ts).
CREATE TABLE spend (
  site_key   TEXT NOT NULL,
  channel    TEXT NOT NULL,
  day        TEXT NOT NULL,
  amount     INTEGER NOT NULL,
  updated_at INTEGER NOT NULL,
  PRIMARY KEY (site_key, channel, day)
) WITHOUT ROWID;
-- The report reads a day range across channels: this index serves it.
CREATE INDEX spend_day ON spend (site_key, day);

-- A site's own SKU-interest score weights (JSON object of signal → weight);
-- absent means the documented defaults. Written by an admin's fit adoption.
CREATE TABLE sku_weights (
  site_key   TEXT PRIMARY KEY,
  weights    TEXT NOT NULL,
  updated_at INTEGER NOT NULL
);

-- Store feedback joins a deal's items to its store's region: deals are read by
-- (site_key, day) (deals_day) and their items by deal_items' own key
-- (site_key, deal_id, sku), so no new index is needed for it.
