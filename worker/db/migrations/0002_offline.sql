-- 0002: the offline half of the funnel. Leads come from appointments; arrivals
-- (到店) and deals (成交) are recorded by store staff. Each row keeps the
-- visitor's first and last touch as they stood when it was made, so channel
-- reports credit it without replaying history. These tables grow with leads,
-- not events: reports read them directly.

CREATE TABLE leads (
  site_key       TEXT NOT NULL,
  code           TEXT NOT NULL,     -- short, read aloud and typed at the store: no 0/O, 1/l/I
  event_id       TEXT,              -- the appointment event that made it; replays find it again
  visitor_id     TEXT,
  store_id       TEXT,
  budget         INTEGER,           -- stated budget, minor units of the site's currency
  style          TEXT,
  skus           TEXT NOT NULL DEFAULT '[]', -- JSON array of SKUs of interest
  props          TEXT,              -- JSON: the rest of what the form sent (never a phone number from the URL)
  status         TEXT NOT NULL DEFAULT 'new' CHECK (status IN ('new', 'qualified', 'unqualified')),
  note           TEXT,
  created_at     INTEGER NOT NULL,
  updated_at     INTEGER NOT NULL,
  day            TEXT NOT NULL,     -- local day of created_at in the site's timezone
  first_channel  TEXT NOT NULL DEFAULT 'direct',
  first_campaign TEXT,
  first_promoter TEXT,
  last_channel   TEXT NOT NULL DEFAULT 'direct',
  last_campaign  TEXT,
  last_promoter  TEXT,
  region         TEXT,
  city           TEXT,
  PRIMARY KEY (site_key, code)
) WITHOUT ROWID;
CREATE UNIQUE INDEX leads_event ON leads (site_key, event_id);
CREATE INDEX leads_day ON leads (site_key, day);
CREATE INDEX leads_visitor ON leads (site_key, visitor_id);

CREATE TABLE arrivals (
  site_key       TEXT NOT NULL,
  id             TEXT NOT NULL,
  lead_code      TEXT,              -- null for a walk-in from an online visit with no appointment
  visitor_id     TEXT,
  store_id       TEXT NOT NULL,
  method         TEXT NOT NULL CHECK (method IN ('staff', 'self')),
  at             INTEGER NOT NULL,
  day            TEXT NOT NULL,
  first_channel  TEXT NOT NULL DEFAULT 'direct',
  first_campaign TEXT,
  first_promoter TEXT,
  last_channel   TEXT NOT NULL DEFAULT 'direct',
  last_campaign  TEXT,
  last_promoter  TEXT,
  PRIMARY KEY (site_key, id)
) WITHOUT ROWID;
CREATE INDEX arrivals_day ON arrivals (site_key, day);
CREATE INDEX arrivals_lead ON arrivals (site_key, lead_code);

CREATE TABLE deals (
  site_key        TEXT NOT NULL,
  id              TEXT NOT NULL,
  idempotency_key TEXT NOT NULL,    -- a repeated request records one deal
  lead_code       TEXT,
  visitor_id      TEXT,
  store_id        TEXT NOT NULL,
  amount          INTEGER NOT NULL, -- minor units (fen)
  budget          INTEGER,          -- the customer's stated budget, for uplift
  at              INTEGER NOT NULL,
  day             TEXT NOT NULL,
  voided_at       INTEGER,          -- corrections void, never delete
  void_reason     TEXT,
  first_channel   TEXT NOT NULL DEFAULT 'direct',
  first_campaign  TEXT,
  first_promoter  TEXT,
  last_channel    TEXT NOT NULL DEFAULT 'direct',
  last_campaign   TEXT,
  last_promoter   TEXT,
  PRIMARY KEY (site_key, id)
) WITHOUT ROWID;
CREATE UNIQUE INDEX deals_idempotency ON deals (site_key, idempotency_key);
CREATE INDEX deals_day ON deals (site_key, day);

-- What a deal sold, per SKU: store feedback for the regional SKU-interest report.
CREATE TABLE deal_items (
  site_key TEXT NOT NULL,
  deal_id  TEXT NOT NULL,
  sku      TEXT NOT NULL,
  qty      INTEGER NOT NULL DEFAULT 1,
  amount   INTEGER NOT NULL,          -- minor units; a deal's amount split over its SKUs when not given
  PRIMARY KEY (site_key, deal_id, sku)
) WITHOUT ROWID;
