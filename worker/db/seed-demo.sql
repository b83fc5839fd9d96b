-- Demo data for `npm start` only (applied with `wrangler d1 execute --local`,
-- never a migration, never remote): one site, three stores and two tokens whose
-- secrets are public on purpose: demo-report-token and demo-store-token. The
-- week of traffic comes through the worker itself (scripts/seed-demo-week.mjs).
INSERT OR IGNORE INTO sites (site_key, name, origins, timezone, currency, created_at)
VALUES ('demo', '木语家居 Muyu Home', '["http://127.0.0.1:8787","http://localhost:8787"]', 'Asia/Shanghai', 'CNY', 0);

-- A store's region and city are written as the worker names a visitor's place
-- (worker/attribution/regions-cn.ts: 上海 / 上海, 广东 / 广州), or the regional
-- reports could not set its sales beside its city's online interest. An older
-- local database's English names are corrected on the next run.
INSERT INTO stores (site_key, store_id, name, region, city, created_at) VALUES
  ('demo', 'sh-xuhui', '上海徐汇体验店', '上海', '上海', 0),
  ('demo', 'bj-chaoyang', '北京朝阳体验店', '北京', '北京', 0),
  ('demo', 'gz-tianhe', '广州天河体验店', '广东', '广州', 0)
ON CONFLICT (site_key, store_id) DO UPDATE SET region = excluded.region, city = excluded.city;

-- sha256('demo-report-token') and sha256('demo-store-token')
INSERT OR IGNORE INTO tokens (id, hash, kind, sites, stores, label, created_at) VALUES
  ('tok_demo_report', 'c12df8eedacaffd46f5f347f937faa528b01bedfe879481c11a41bb3c6fb9609', 'report', '["demo"]', '[]', 'demo report token', 0),
  ('tok_demo_store', '9d1b6c573deb45c85e6b820c2f6de639b073ede3c9edf46c01970c91f8e84da5', 'store', '["demo"]', '[{"site":"demo","store":"sh-xuhui"},{"site":"demo","store":"bj-chaoyang"},{"site":"demo","store":"gz-tianhe"}]', 'demo store token', 0);
