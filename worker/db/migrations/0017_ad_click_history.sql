-- 0017: a visitor's recent clicks of each platform, not only the latest
-- (worker/adplatforms/). Append-only: 0001-0016 are never edited.
--
-- Why: with one click per (visitor, platform), a later click of the same
-- platform replaced the one a lead was booked with, and a lead folded after
-- it (or in the same fold) found no click at or before its appointment. Now
-- every click is kept, and the lead takes the latest one of each platform at
-- or before its appointment, inside the attribution window. The fold keeps at
-- most the 10 newest per (visitor, platform) (adplatforms/sql.ts pruneClicks),
-- so the table stays bounded per visitor.
CREATE TABLE ad_clicks_0017 (
  site_key    TEXT NOT NULL,
  visitor_id  TEXT NOT NULL,
  platform    TEXT NOT NULL,
  at          INTEGER NOT NULL,  -- the landing view's time
  click_id    TEXT NOT NULL,
  landing_url TEXT NOT NULL,
  -- A replayed view writes nothing; the lead's pick reads a visitor's platform newest first.
  PRIMARY KEY (site_key, visitor_id, platform, at, click_id)
) WITHOUT ROWID;
INSERT INTO ad_clicks_0017 (site_key, visitor_id, platform, at, click_id, landing_url)
  SELECT site_key, visitor_id, platform, at, click_id, landing_url FROM ad_clicks;
DROP TABLE ad_clicks;
ALTER TABLE ad_clicks_0017 RENAME TO ad_clicks;
