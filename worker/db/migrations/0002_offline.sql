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

-- Self check-in (worker/routes/checkin.ts): each store's poster carries a random
-- key in its QR URL, so a check-in can't be forged for a store without having
-- seen its poster. Rotating the key (reprinting the poster) retires the old one.
CREATE TABLE checkin_keys (
  site_key   TEXT NOT NULL,
  store_id   TEXT NOT NULL,
  key        TEXT NOT NULL,
  created_at INTEGER NOT NULL,
  PRIMARY KEY (site_key, store_id)
) WITHOUT ROWID;

-- The site's CRM webhook (worker/crm/). The secret signs each body with
-- HMAC-SHA256, so it is kept as is (a hash could not sign); only the admin
-- token reads or sets it, and it is shown once when generated.
CREATE TABLE crm_settings (
  site_key   TEXT PRIMARY KEY,
  url        TEXT NOT NULL,
  secret     TEXT NOT NULL,
  enabled    INTEGER NOT NULL DEFAULT 1,
  updated_at INTEGER NOT NULL
);

-- The outbox: one row per webhook, written with the change it reports and
-- delivered after the response (waitUntil), then retried with backoff by the
-- next write of the same site or the cron. Never deleted by the sender: the
-- admin reads last status and attempts here.
CREATE TABLE crm_deliveries (
  site_key     TEXT NOT NULL,
  id           TEXT NOT NULL,     -- also sent as O2O-Delivery, so the CRM can drop a repeat
  type         TEXT NOT NULL,     -- lead.created, lead.updated, arrival.created, deal.created, deal.voided
  body         TEXT NOT NULL,     -- the exact JSON sent (signed as is)
  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_status  INTEGER,           -- HTTP status of the last attempt; null when it never got an answer
  last_error   TEXT,
  next_at      INTEGER NOT NULL,  -- not before: backoff, and a short lease while an attempt is in flight
  created_at   INTEGER NOT NULL,
  delivered_at INTEGER,
  PRIMARY KEY (site_key, id)
) WITHOUT ROWID;
-- The sender's scan: due pending rows, oldest first.
CREATE INDEX crm_deliveries_due ON crm_deliveries (status, next_at);
CREATE INDEX crm_deliveries_site ON crm_deliveries (site_key, created_at);
