// What a signed-in dashboard needs to draw its pickers and labels: the sites a
// token may read, their channel names, and their stores. Two small reads; the site list is the token's own, the
// store list its own pairs when it names stores (a store token always).
import type { SessionSiteJson, StorePair } from '../../protocol/admin';
import { parseNames } from './channel-names';
import { inStorePairs, pairsParam } from './store-scope';

interface SiteRow {
  site_key: string;
  name: string;
  timezone: string;
  currency: string;
  channel_names: string;
  attribution_days: number;
  half_life_days: number;
}

interface StoreRow {
  site_key: string;
  store_id: string;
  name: string;
  region: string | null;
  city: string | null;
}

/** Sites among `siteKeys` ('*' = all) with their stores (only `stores` when not '*'), ordered by site key then store id. */
export async function sessionSites(db: D1Database, siteKeys: string[] | '*', stores: StorePair[] | '*'): Promise<SessionSiteJson[]> {
  // '*' is bound as a flag, never interpolated: one statement serves both cases.
  const all = siteKeys === '*' ? 1 : 0;
  const keys = JSON.stringify(siteKeys === '*' ? [] : siteKeys);
  const [sites, storeRows] = await db.batch([
    db
      .prepare(
        `SELECT site_key, name, timezone, currency, channel_names, attribution_days, half_life_days FROM sites
         WHERE ?1 = 1 OR site_key IN (SELECT value FROM json_each(?2)) ORDER BY site_key`,
      )
      .bind(all, keys),
    db
      .prepare(
        `SELECT site_key, store_id, name, region, city FROM stores
         WHERE (?1 = 1 OR site_key IN (SELECT value FROM json_each(?2)))
           AND ${inStorePairs('?3', 'stores.site_key', 'stores.store_id')}
         ORDER BY site_key, store_id`,
      )
      .bind(all, keys, pairsParam(stores === '*' ? null : stores)),
  ]);
  const bySite = new Map<string, SessionSiteJson>();
  for (const s of sites.results as SiteRow[]) {
    bySite.set(s.site_key, {
      siteKey: s.site_key, name: s.name, timezone: s.timezone, currency: s.currency, channelNames: parseNames(s.channel_names),
      attributionDays: s.attribution_days, halfLifeDays: s.half_life_days, stores: [],
    });
  }
  for (const r of storeRows.results as StoreRow[]) {
    bySite.get(r.site_key)?.stores.push({ storeId: r.store_id, name: r.name, region: r.region, city: r.city });
  }
  return [...bySite.values()];
}
