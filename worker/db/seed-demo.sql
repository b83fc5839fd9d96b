-- Demo data for `npm start` only (applied with `wrangler d1 execute --local`,
-- never a migration, never remote): one site, three stores and three tokens whose
-- secrets are public on purpose: demo-report-token, demo-store-token and
-- demo-service-token (the consult desk's agent 小王). The
-- week of traffic comes through the worker itself (scripts/seed-demo-week.mjs).
INSERT OR IGNORE INTO sites (site_key, name, origins, timezone, currency, created_at)
VALUES ('demo', '木语家居 Muyu Home', '["http://127.0.0.1:8787","http://localhost:8787"]', 'Asia/Shanghai', 'CNY', 0);

-- The Chinese names of the demo week's channels (scripts/demo-week.mjs, CHANNELS)
-- and of the README's try-it link (wechat_moments), as an admin would set them
-- (PATCH /api/v1/admin/sites/demo, channelNames). json_patch keeps a name the
-- local admin set since, and adds names a newer seed brings to an older database.
UPDATE sites SET channel_names = json_patch(
  '{"baidu_sem":"百度搜索推广","direct":"直接访问","douyin_live":"抖音直播","promoter":"推广员","wechat":"微信","wechat_moments":"微信朋友圈","xiaohongshu":"小红书"}',
  channel_names)
WHERE site_key = 'demo';

-- A store's region and city are written as the worker names a visitor's place
-- (worker/attribution/regions-cn.ts: 上海 / 上海, 广东 / 广州), or the regional
-- reports could not set its sales beside its city's online interest. An older
-- local database's English names are corrected on the next run.
-- The address is what the chat shows a customer whose visit the desk books (fictional).
INSERT INTO stores (site_key, store_id, name, region, city, address, created_at) VALUES
  ('demo', 'sh-xuhui', '上海徐汇体验店', '上海', '上海', '上海市徐汇区漕溪北路 88 号（示例）', 0),
  ('demo', 'bj-chaoyang', '北京朝阳体验店', '北京', '北京', '北京市朝阳区建国路 66 号（示例）', 0),
  ('demo', 'gz-tianhe', '广州天河体验店', '广东', '广州', '广州市天河区天河路 123 号（示例）', 0)
ON CONFLICT (site_key, store_id) DO UPDATE SET region = excluded.region, city = excluded.city, address = coalesce(stores.address, excluded.address);

-- sha256('demo-report-token'), sha256('demo-store-token') and sha256('demo-service-token')
INSERT OR IGNORE INTO tokens (id, hash, kind, sites, stores, label, created_at) VALUES
  ('tok_demo_report', 'c12df8eedacaffd46f5f347f937faa528b01bedfe879481c11a41bb3c6fb9609', 'report', '["demo"]', '[]', 'demo report token', 0),
  ('tok_demo_store', '9d1b6c573deb45c85e6b820c2f6de639b073ede3c9edf46c01970c91f8e84da5', 'store', '["demo"]', '[{"site":"demo","store":"sh-xuhui"},{"site":"demo","store":"bj-chaoyang"},{"site":"demo","store":"gz-tianhe"}]', 'demo store token', 0),
  ('tok_demo_service', '20f4dc1d72e43ab98230c82437018b295d220d05ba6108242d1a164c0b5f1b22', 'service', '["demo"]', '[]', '小王', 0);
