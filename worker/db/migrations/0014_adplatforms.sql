-- 0014: conversions fed back to the ad platforms (worker/adplatforms/): Baidu
-- oCPC, Ocean Engine, Tencent Ads and 360. Append-only: 0001-0013 are never edited.

-- A site's connector to one platform (one per platform: a click id names its
-- platform, not an account). No credential is stored here: `secret_name`
-- names the Worker secret (`wrangler secret put BAIDU_OCPC_TOKEN_MUYU`) read
-- from the worker's env at send time. `types`: the funnel stage → the
-- platform's conversion type, JSON ({"appointment":3,"unqualified":3}); a
-- stage it leaves out is not sent. `settings`: what else the platform needs
-- that is an identifier, not a credential (Tencent's account_id and
-- user_action_set_id, 360's App-Key), JSON.
CREATE TABLE ad_connectors (
  site_key    TEXT NOT NULL,
  platform    TEXT NOT NULL CHECK (platform IN ('baidu', 'oceanengine', 'tencent', 'qihoo360')),
  secret_name TEXT,
  types       TEXT NOT NULL DEFAULT '{}',
  settings    TEXT NOT NULL DEFAULT '{}',
  enabled     INTEGER NOT NULL DEFAULT 1,
  created_at  INTEGER NOT NULL,
  updated_at  INTEGER NOT NULL,
  PRIMARY KEY (site_key, platform)
) WITHOUT ROWID;

-- The visitor's latest click of each platform, written by the fold from the
-- landing views that carry the platform's click id (bd_vid, clickid, gdt_vid /
-- qz_gdt, qhclickid), only while the site has a connector for that platform.
-- `landing_url`: the landing page rebuilt from the site's first origin, the
-- page path and the click id (Baidu takes the URL, not the id).
CREATE TABLE ad_clicks (
  site_key    TEXT NOT NULL,
  visitor_id  TEXT NOT NULL,
  platform    TEXT NOT NULL,
  click_id    TEXT NOT NULL,
  landing_url TEXT NOT NULL,
  at          INTEGER NOT NULL,  -- the landing view's time
  PRIMARY KEY (site_key, visitor_id, platform)
) WITHOUT ROWID;

-- The click a lead was made with, per platform, copied from ad_clicks by the
-- fold that credits the appointment (clicks inside the site's attribution
-- window before it). Later stages (screening, arrival, deal) report that click.
CREATE TABLE ad_lead_clicks (
  site_key    TEXT NOT NULL,
  lead_code   TEXT NOT NULL,
  platform    TEXT NOT NULL,
  click_id    TEXT NOT NULL,
  landing_url TEXT NOT NULL,
  clicked_at  INTEGER NOT NULL,
  PRIMARY KEY (site_key, lead_code, platform)
) WITHOUT ROWID;

-- The outbox: one conversion per (lead, platform, stage), written in the same
-- D1 batch as the change it reports (the fold, a screening, an arrival, a
-- deal), then sent and retried with the CRM webhook's backoff. The request is
-- built at send time from the connector as it is then; `sent` keeps the body
-- as sent with the credential masked, `answer` the start of the platform's.
CREATE TABLE ad_deliveries (
  site_key     TEXT NOT NULL,
  id           TEXT NOT NULL,
  lead_code    TEXT NOT NULL,
  platform     TEXT NOT NULL,
  stage        TEXT NOT NULL CHECK (stage IN ('appointment', 'qualified', 'unqualified', 'arrival', 'deal')),
  click_id     TEXT NOT NULL,
  landing_url  TEXT NOT NULL,
  value        INTEGER,           -- the deal's amount in minor units; null for the other stages
  reason       TEXT,              -- why a lead is unqualified (the screening's note, cut)
  happened_at  INTEGER NOT NULL,  -- when the stage happened (the conversion time sent)
  conv_type    TEXT,              -- the platform's type of the last attempt
  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_status  INTEGER,           -- HTTP status of the last attempt; null when it never got an answer
  last_error   TEXT,
  sent         TEXT,              -- the last body sent, credential masked
  answer       TEXT,              -- the start of the platform's last answer
  next_at      INTEGER NOT NULL,  -- not before: backoff, and a short lease while an attempt is in flight
  created_at   INTEGER NOT NULL,
  delivered_at INTEGER,
  PRIMARY KEY (site_key, id)
) WITHOUT ROWID;
-- Idempotent per (lead, platform, stage): a replayed fold, a second screening
-- or a second deal of the lead inserts nothing (INSERT OR IGNORE).
CREATE UNIQUE INDEX ad_deliveries_once ON ad_deliveries (site_key, lead_code, platform, stage);
-- The sender's scan: due pending rows, oldest first.
CREATE INDEX ad_deliveries_due ON ad_deliveries (status, next_at);
-- The admin's list, newest first.
CREATE INDEX ad_deliveries_site ON ad_deliveries (site_key, created_at);
