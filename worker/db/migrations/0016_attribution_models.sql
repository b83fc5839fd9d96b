-- 0016: multi-touch attribution (linear, position, time decay) on the channel
-- report, beside first and last touch. Append-only: 0001-0015 are never edited.

-- The time-decay model's half-life in days (1..365, checked by the admin API):
-- a touch this old earns half the weight of one at the conversion.
ALTER TABLE sites ADD COLUMN half_life_days INTEGER NOT NULL DEFAULT 7;

-- The online stages' fractional credit, per model (l = linear, p = position,
-- d = time decay), channel, day and `prev`: touch_days' day-chain trick
-- (0004) with the visitor's chain per stage whatever the channel, so a
-- visitor counts once in [from, to] (on their first day in range with the
-- stage, prev < from) and that count is shared by the channels of the
-- conversion's touches. Views take the shares of the day's visit. Kept by
-- the fold from each visitor's touch path and days (the visitor's ledger,
-- worker/rollups/credit.ts); REAL sums, rounded only in the report's answer.
-- The key serves the report's read: (site, model, day range), grouped by k.
CREATE TABLE credit_days (
  site_key     TEXT NOT NULL,
  model        TEXT NOT NULL,
  day          TEXT NOT NULL,
  k            TEXT NOT NULL,      -- a channel ('direct' when the conversion had no touch)
  prev         TEXT NOT NULL,
  visitors     REAL NOT NULL DEFAULT 0,
  views        REAL NOT NULL DEFAULT 0,
  consults     REAL NOT NULL DEFAULT 0,
  appointments REAL NOT NULL DEFAULT 0,
  PRIMARY KEY (site_key, model, day, k, prev)
) WITHOUT ROWID;

-- The offline rows' shares, as made: JSON {"l":{channel:share},"p":…,"d":…,
-- "t":[[channel, age ms]…]} (the touches' ages re-share time decay when the
-- half-life changes). A lead's is set by the fold at its appointment; an
-- arrival or deal takes its lead's, else the visitor's path at that moment.
-- NULL (rows from before 0016, a visitor never seen): the last touch's channel.
ALTER TABLE leads ADD COLUMN credit TEXT;
ALTER TABLE arrivals ADD COLUMN credit TEXT;
ALTER TABLE deals ADD COLUMN credit TEXT;
