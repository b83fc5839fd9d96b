-- 0009: SKU reports in two rows per (place, SKU) whatever the range
-- (worker/db/sku-totals.ts). Append-only: 0001-0008 are never edited.
--
-- sku_totals: running totals per place level (p: r = region, c = city), place
-- and SKU. A row per day the pair had a visitor holds the sums up to and
-- including that day: visitor-days, views, engaged dwell, consult-days,
-- appointment-days and the dwell histogram (h0..h39, as in sku_chains). A
-- report takes the latest row at or before `to` minus the latest before `from`
-- (two index seeks on the primary key per pair), then subtracts the repeat rows
-- of sku_chains (a visitor's second and later days in range) for exact distinct
-- counts. The fold adds a batch's difference to the day's row and, for a late
-- event only, to the pair's later rows.
CREATE TABLE sku_totals (
  site_key     TEXT NOT NULL,
  p            TEXT NOT NULL,
  place        TEXT NOT NULL,
  sku          TEXT NOT NULL,
  day          TEXT NOT NULL,
  vdays        INTEGER NOT NULL DEFAULT 0,
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
  PRIMARY KEY (site_key, p, place, sku, day)
) WITHOUT ROWID;

-- Every (place level, place, SKU) of a site: the report's driving list, read in
-- key order (a few thousand rows), never scanned out of sku_totals' history.
CREATE TABLE sku_pairs (
  site_key TEXT NOT NULL,
  p        TEXT NOT NULL,
  place    TEXT NOT NULL,
  sku      TEXT NOT NULL,
  PRIMARY KEY (site_key, p, place, sku)
) WITHOUT ROWID;

-- Backfill from sku_chains' daily rows, which sum to the same per-day figures.
INSERT INTO sku_totals (site_key, p, place, sku, day, vdays, views, dwell_ms, consults, appointments, h0, h1, h2, h3, h4, h5, h6, h7, h8, h9, h10, h11, h12, h13, h14, h15, h16, h17, h18, h19, h20, h21, h22, h23, h24, h25, h26, h27, h28, h29, h30, h31, h32, h33, h34, h35, h36, h37, h38, h39)
SELECT site_key, p, place, sku, day,
  SUM(SUM(vdays)) OVER w,
  SUM(SUM(views)) OVER w,
  SUM(SUM(dwell_ms)) OVER w,
  SUM(SUM(consults)) OVER w,
  SUM(SUM(appointments)) OVER w,
  SUM(SUM(h0)) OVER w,
  SUM(SUM(h1)) OVER w,
  SUM(SUM(h2)) OVER w,
  SUM(SUM(h3)) OVER w,
  SUM(SUM(h4)) OVER w,
  SUM(SUM(h5)) OVER w,
  SUM(SUM(h6)) OVER w,
  SUM(SUM(h7)) OVER w,
  SUM(SUM(h8)) OVER w,
  SUM(SUM(h9)) OVER w,
  SUM(SUM(h10)) OVER w,
  SUM(SUM(h11)) OVER w,
  SUM(SUM(h12)) OVER w,
  SUM(SUM(h13)) OVER w,
  SUM(SUM(h14)) OVER w,
  SUM(SUM(h15)) OVER w,
  SUM(SUM(h16)) OVER w,
  SUM(SUM(h17)) OVER w,
  SUM(SUM(h18)) OVER w,
  SUM(SUM(h19)) OVER w,
  SUM(SUM(h20)) OVER w,
  SUM(SUM(h21)) OVER w,
  SUM(SUM(h22)) OVER w,
  SUM(SUM(h23)) OVER w,
  SUM(SUM(h24)) OVER w,
  SUM(SUM(h25)) OVER w,
  SUM(SUM(h26)) OVER w,
  SUM(SUM(h27)) OVER w,
  SUM(SUM(h28)) OVER w,
  SUM(SUM(h29)) OVER w,
  SUM(SUM(h30)) OVER w,
  SUM(SUM(h31)) OVER w,
  SUM(SUM(h32)) OVER w,
  SUM(SUM(h33)) OVER w,
  SUM(SUM(h34)) OVER w,
  SUM(SUM(h35)) OVER w,
  SUM(SUM(h36)) OVER w,
  SUM(SUM(h37)) OVER w,
  SUM(SUM(h38)) OVER w,
  SUM(SUM(h39)) OVER w
FROM sku_chains WHERE span = 'd'
GROUP BY site_key, p, place, sku, day
WINDOW w AS (PARTITION BY site_key, p, place, sku ORDER BY day ROWS UNBOUNDED PRECEDING);

INSERT INTO sku_pairs (site_key, p, place, sku) SELECT DISTINCT site_key, p, place, sku FROM sku_totals;

-- sku_chains now keeps only repeat rows (prev <> ''), the ones a report
-- subtracts; first visits and the ten-day blocks live in the running totals.
DELETE FROM sku_chains WHERE span <> 'd' OR prev = '';
