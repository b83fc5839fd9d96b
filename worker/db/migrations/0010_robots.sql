-- 0010: the morning report in the teams' group chats (worker/robots/).
-- Append-only: 0001-0009 are never edited.
--
-- robots: a site's WeCom (企业微信) group robots and DingTalk (钉钉) custom
-- robots. `token` is the WeCom robot's `key` or the DingTalk robot's
-- `access_token`; `secret` is DingTalk's signing secret (SEC…, 加签), null for
-- WeCom. Both are kept as they are: the worker must send the key and sign with
-- the secret, which a hash could not do. Only the admin token sets them, and
-- the API answers them masked (the last 4 characters), never in full.
CREATE TABLE robots (
  site_key      TEXT NOT NULL,
  id            TEXT NOT NULL,     -- chosen by the admin, e.g. "sh-stores"
  kind          TEXT NOT NULL CHECK (kind IN ('wecom', 'dingtalk')),
  name          TEXT NOT NULL,     -- what the admin calls the group
  token         TEXT NOT NULL,
  secret        TEXT,
  dashboard_url TEXT,              -- the report's link; null: the site's first origin + /dashboard
  enabled       INTEGER NOT NULL DEFAULT 1,
  created_at    INTEGER NOT NULL,
  updated_at    INTEGER NOT NULL,
  PRIMARY KEY (site_key, id)
) WITHOUT ROWID;

-- The robots' outbox, a table of its own rather than crm_deliveries with a
-- kind column: the CRM sender takes every due row of crm_deliveries and posts
-- it to the site's CRM, so a report row there would reach the CRM; and a
-- report row needs what a CRM row has no use for (the robot, the day it
-- reports). Same life as the CRM's rows: written once, sent, retried with the
-- CRM's backoff by the cron, never deleted by the sender.
CREATE TABLE robot_deliveries (
  site_key     TEXT NOT NULL,
  id           TEXT NOT NULL,
  robot_id     TEXT NOT NULL,
  day          TEXT NOT NULL,     -- the site's local day the report is about
  kind         TEXT NOT NULL CHECK (kind IN ('daily', 'test')),   -- the morning's report, or an admin's test send
  body         TEXT NOT NULL,     -- the robot's JSON message, as sent (DingTalk's signature is made per attempt)
  status       TEXT NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'delivered', 'failed')),
  attempts     INTEGER NOT NULL DEFAULT 0,
  last_status  INTEGER,           -- HTTP status of the last attempt; null when it never got an answer
  last_error   TEXT,              -- e.g. "errcode 45009: api freq out of limit"
  next_at      INTEGER NOT NULL,  -- not before: backoff, and a short lease while an attempt is in flight
  created_at   INTEGER NOT NULL,
  delivered_at INTEGER,
  PRIMARY KEY (site_key, id)
) WITHOUT ROWID;
-- Exactly one morning report per (site, robot, day), however often the cron
-- fires or however many run at once: the insert is INSERT OR IGNORE against
-- this index. An admin's test sends ('test') are not limited.
CREATE UNIQUE INDEX robot_deliveries_once ON robot_deliveries (site_key, robot_id, day) WHERE kind = 'daily';
-- The sender's scan: due pending rows, oldest first.
CREATE INDEX robot_deliveries_due ON robot_deliveries (status, next_at);
-- The admin's list, newest first.
CREATE INDEX robot_deliveries_site ON robot_deliveries (site_key, created_at);
