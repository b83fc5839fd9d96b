-- 0015: WeChat mini programs (issue 19, docs/miniprogram.md). Append-only:
-- 0001-0014 are never edited.

-- The mini programs a site accepts events from, by app id (JSON array), as
-- `origins` lists web pages: a mini program's wx.request carries no Origin but
-- the Referer https://servicewechat.com/<appid>/<version>/page-frame.html.
-- Empty: no mini program may send (like an empty `origins`, which admits no
-- other site's page).
ALTER TABLE sites ADD COLUMN miniprogram_app_ids TEXT NOT NULL DEFAULT '[]';

-- The scenes report (GET /api/v1/reports/scenes) reads the visitors whose first
-- touch was a mini program's landing, by local day of that touch: a partial
-- index, so only those visitors' rows carry it (a web visitor's fold writes no
-- extra index row). Its WHERE must match the report's literal exactly.
CREATE INDEX visitors_miniprogram ON visitors (site_key, first_at) WHERE first_source = 'wechat_miniprogram';

-- Then each cohort visitor's arrivals and deals, by visitor (leads already have
-- leads_visitor). Arrivals and deals are written by store staff, a few a day.
CREATE INDEX arrivals_visitor ON arrivals (site_key, visitor_id);
CREATE INDEX deals_visitor ON deals (site_key, visitor_id);
