// Sites and stores: the rows that scope everything else. Sites carry the
// collect edge's settings: allowed origins, timezone, attribution window,
// retention and channel rules (JSON, checked by attribution/rules.ts), the
// display names of its channel codes (JSON, channel-names.ts) and the WeChat
// mini programs it accepts, by app id (JSON, 0015).
// A site and a store are what the admin API answers (protocol/admin.ts).
import type { ChannelRuleJson, SiteJson, StoreJson } from '../../protocol/admin';
import { namesJson, parseNames } from './channel-names';

export type Site = SiteJson;

interface SiteRow {
  site_key: string;
  name: string;
  origins: string;
  timezone: string;
  currency: string;
  attribution_days: number;
  half_life_days: number;
  retention_days: number;
  channel_rules: string;
  channel_names: string;
  miniprogram_app_ids: string;
}

const toSite = (r: SiteRow): Site => ({
  siteKey: r.site_key,
  name: r.name,
  origins: JSON.parse(r.origins) as string[],
  timezone: r.timezone,
  currency: r.currency,
  attributionDays: r.attribution_days,
  halfLifeDays: r.half_life_days,
  retentionDays: r.retention_days,
  channelRules: JSON.parse(r.channel_rules) as ChannelRuleJson[], // parsed by attribution/rules.ts before it was stored
  channelNames: parseNames(r.channel_names), // checked by the admin API's schema before it was stored
  miniprogramAppIds: JSON.parse(r.miniprogram_app_ids) as string[],
});

export async function getSite(db: D1Database, siteKey: string): Promise<Site | null> {
  const row = await db.prepare('SELECT * FROM sites WHERE site_key = ?1').bind(siteKey).first<SiteRow>();
  return row ? toSite(row) : null;
}

// /collect reads the site row on every request. A per-isolate copy kept for a
// few seconds saves that D1 round trip on the hot path; this isolate's own admin
// updates drop it at once, other isolates see a change within SITE_TTL_MS.
const SITE_TTL_MS = 10_000;
const siteCache = new Map<string, { site: Site; until: number }>();

/** getSite for the ingest path: known sites are cached briefly (unknown ones never). */
export async function getSiteCached(db: D1Database, siteKey: string, now = Date.now()): Promise<Site | null> {
  const hit = siteCache.get(siteKey);
  if (hit && hit.until > now) return hit.site;
  const site = await getSite(db, siteKey);
  if (site) {
    if (siteCache.size > 1000) siteCache.clear(); // bounded: a site key arrives from the open internet
    siteCache.set(siteKey, { site, until: now + SITE_TTL_MS });
  } else siteCache.delete(siteKey);
  return site;
}

/** Drops a site's cached copy: the ingest path read it before a change it must see. */
export function forgetSite(siteKey: string): void {
  siteCache.delete(siteKey);
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
  halfLifeDays?: number;
  retentionDays?: number;
  channelRules?: unknown[];
  channelNames?: Record<string, string>;
  miniprogramAppIds?: string[];
}

export async function createSite(db: D1Database, s: NewSite, now = Date.now()): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT OR IGNORE INTO sites (site_key, name, origins, timezone, currency, attribution_days, retention_days, channel_rules, channel_names, created_at, miniprogram_app_ids, half_life_days)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)`,
    )
    .bind(
      s.siteKey,
      s.name,
      JSON.stringify(s.origins ?? []),
      s.timezone ?? 'Asia/Shanghai',
      s.currency ?? 'CNY',
      s.attributionDays ?? 30,
      s.retentionDays ?? 90,
      JSON.stringify(s.channelRules ?? []),
      namesJson(s.channelNames ?? {}),
      now,
      JSON.stringify(s.miniprogramAppIds ?? []),
      s.halfLifeDays ?? 7,
    )
    .run();
  return res.meta.changes > 0;
}

export type SitePatch = Partial<Omit<Site, 'siteKey'>>;

/** Applies `patch` over the stored site; false when there is no such site. Every column is bound. */
export async function updateSite(db: D1Database, siteKey: string, patch: SitePatch, now = Date.now()): Promise<boolean> {
  const cur = await getSite(db, siteKey);
  if (!cur) return false;
  const s = { ...cur, ...patch };
  await db
    .prepare(
      `UPDATE sites SET name = ?2, origins = ?3, timezone = ?4, currency = ?5, attribution_days = ?6, retention_days = ?7,
         channel_rules = ?8, channel_names = ?9, updated_at = ?10, miniprogram_app_ids = ?11, half_life_days = ?12 WHERE site_key = ?1`,
    )
    .bind(siteKey, s.name, JSON.stringify(s.origins), s.timezone, s.currency, s.attributionDays, s.retentionDays, JSON.stringify(s.channelRules), namesJson(s.channelNames), now,
      JSON.stringify(s.miniprogramAppIds), s.halfLifeDays)
    .run();
  siteCache.delete(siteKey);
  return true;
}

/** Whether any site lists `origin` (a CORS preflight names no site yet). */
export async function anySiteAllowsOrigin(db: D1Database, origin: string): Promise<boolean> {
  const row = await db
    .prepare('SELECT 1 AS ok FROM sites, json_each(sites.origins) AS o WHERE o.value = ?1 LIMIT 1')
    .bind(origin)
    .first<{ ok: number }>();
  return row !== null;
}

export type Store = StoreJson;

/** Creates or renames a store; an `address` left undefined keeps the stored one. The stored address after. */
export async function upsertStore(db: D1Database, s: Store, now = Date.now()): Promise<string | null> {
  const r = await db
    .prepare(
      `INSERT INTO stores (site_key, store_id, name, region, city, created_at, address) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT (site_key, store_id) DO UPDATE SET name = excluded.name, region = excluded.region, city = excluded.city,
         address = CASE WHEN ?8 = 1 THEN excluded.address ELSE stores.address END
       RETURNING address`,
    )
    .bind(s.siteKey, s.storeId, s.name, s.region, s.city, now, s.address ?? null, s.address === undefined ? 0 : 1)
    .first<{ address: string | null }>();
  return r?.address ?? null;
}

export async function getStore(db: D1Database, siteKey: string, storeId: string): Promise<Store | null> {
  const r = await db
    .prepare('SELECT site_key, store_id, name, region, city FROM stores WHERE site_key = ?1 AND store_id = ?2')
    .bind(siteKey, storeId)
    .first<{ site_key: string; store_id: string; name: string; region: string | null; city: string | null }>();
  return r ? { siteKey: r.site_key, storeId: r.store_id, name: r.name, region: r.region, city: r.city } : null;
}
