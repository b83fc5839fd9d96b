// Sites and stores: the rows that scope everything else.
export interface Site {
  siteKey: string;
  name: string;
  origins: string[];
  timezone: string;
  currency: string;
  attributionDays: number;
  retentionDays: number;
  channelRules: unknown[];
}

interface SiteRow {
  site_key: string;
  name: string;
  origins: string;
  timezone: string;
  currency: string;
  attribution_days: number;
  retention_days: number;
  channel_rules: string;
}

const toSite = (r: SiteRow): Site => ({
  siteKey: r.site_key,
  name: r.name,
  origins: JSON.parse(r.origins) as string[],
  timezone: r.timezone,
  currency: r.currency,
  attributionDays: r.attribution_days,
  retentionDays: r.retention_days,
  channelRules: JSON.parse(r.channel_rules) as unknown[],
});

export async function getSite(db: D1Database, siteKey: string): Promise<Site | null> {
  const row = await db.prepare('SELECT * FROM sites WHERE site_key = ?1').bind(siteKey).first<SiteRow>();
  return row ? toSite(row) : null;
}

export async function listSites(db: D1Database): Promise<Site[]> {
  const { results } = await db.prepare('SELECT * FROM sites ORDER BY site_key').all<SiteRow>();
  return results.map(toSite);
}

export interface NewSite {
  siteKey: string;
  name: string;
  origins?: string[];
  timezone?: string;
  currency?: string;
  attributionDays?: number;
  retentionDays?: number;
}

export async function createSite(db: D1Database, s: NewSite, now = Date.now()): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT OR IGNORE INTO sites (site_key, name, origins, timezone, currency, attribution_days, retention_days, created_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)`,
    )
    .bind(
      s.siteKey,
      s.name,
      JSON.stringify(s.origins ?? []),
      s.timezone ?? 'Asia/Shanghai',
      s.currency ?? 'CNY',
      s.attributionDays ?? 30,
      s.retentionDays ?? 90,
      now,
    )
    .run();
  return res.meta.changes > 0;
}

export interface Store {
  siteKey: string;
  storeId: string;
  name: string;
  region: string | null;
  city: string | null;
}

export async function upsertStore(db: D1Database, s: Store, now = Date.now()): Promise<void> {
  await db
    .prepare(
      `INSERT INTO stores (site_key, store_id, name, region, city, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
       ON CONFLICT (site_key, store_id) DO UPDATE SET name = excluded.name, region = excluded.region, city = excluded.city`,
    )
    .bind(s.siteKey, s.storeId, s.name, s.region, s.city, now)
    .run();
}

export async function getStore(db: D1Database, siteKey: string, storeId: string): Promise<Store | null> {
  const r = await db
    .prepare('SELECT site_key, store_id, name, region, city FROM stores WHERE site_key = ?1 AND store_id = ?2')
    .bind(siteKey, storeId)
    .first<{ site_key: string; store_id: string; name: string; region: string | null; city: string | null }>();
  return r ? { siteKey: r.site_key, storeId: r.store_id, name: r.name, region: r.region, city: r.city } : null;
}
