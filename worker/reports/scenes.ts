// The scenes report: a WeChat mini program's visitors by the launch scene of
// their first landing (a scanned poster, a card shared in a chat, …), with how
// many of them booked, arrived and bought. A cohort: the visitors whose first
// touch was a mini program's landing on a local day of the range, followed to
// their leads, arrivals and deals whenever those came. Reads the visitors row
// (source wechat_miniprogram, the scene as medium: attribution/classify.ts),
// leads, arrivals and deals; never events.
import type { StorePair } from '../../protocol/admin';
import { SCENE_NAMES, type SceneRow } from '../../protocol/scenes';
import { MINIPROGRAM } from '../attribution/classify';
import { zonedTime } from '../time';

interface Row {
  scene: string | null;
  visitors: number;
  booked: number;
  arrived: number;
  bought: number;
  revenue: number | null;
}

// `first_source = 'wechat_miniprogram'` is written out, not bound: SQLite uses the
// partial index visitors_miniprogram (0015) only for a query whose WHERE implies its own.
// ?4: the stores a store-scoped report token may see (JSON array), or null for all.
const SQL = `
WITH cohort AS (
  SELECT visitor_id, first_medium AS scene FROM visitors
  WHERE site_key = ?1 AND first_source = '${MINIPROGRAM}' AND first_at >= ?2 AND first_at < ?3
),
stores AS (SELECT value AS id FROM json_each(COALESCE(?4, '[]')))
SELECT c.scene, count(*) AS visitors,
  sum(EXISTS (SELECT 1 FROM leads l WHERE l.site_key = ?1 AND l.visitor_id = c.visitor_id
              AND (?4 IS NULL OR l.store_id IN (SELECT id FROM stores)))) AS booked,
  sum(EXISTS (SELECT 1 FROM arrivals a WHERE a.site_key = ?1 AND a.visitor_id = c.visitor_id
              AND (?4 IS NULL OR a.store_id IN (SELECT id FROM stores)))) AS arrived,
  sum(EXISTS (SELECT 1 FROM deals d WHERE d.site_key = ?1 AND d.visitor_id = c.visitor_id AND d.voided_at IS NULL
              AND (?4 IS NULL OR d.store_id IN (SELECT id FROM stores)))) AS bought,
  sum((SELECT sum(d.amount) FROM deals d WHERE d.site_key = ?1 AND d.visitor_id = c.visitor_id AND d.voided_at IS NULL
       AND (?4 IS NULL OR d.store_id IN (SELECT id FROM stores)))) AS revenue
FROM cohort c
GROUP BY c.scene
ORDER BY visitors DESC, c.scene`;

/** The instant local day `day` (YYYY-MM-DD) of `timeZone` begins. */
const dayStart = (day: string, timeZone: string): number => zonedTime(+day.slice(0, 4), +day.slice(5, 7), +day.slice(8, 10), 0, 0, 0, timeZone);

/** The day after `day`, as YYYY-MM-DD. */
const nextDay = (day: string): string => new Date(Date.parse(`${day}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);

/**
 * The site's scene rows for the local days [from, to]. `scope`: the (site, store)
 * pairs a store-scoped token may see, or null: its leads, arrivals and deals are
 * then counted only for those stores (the visitors, who belong to no store, are not).
 */
export async function sceneRows(db: D1Database, site: { siteKey: string; timezone: string }, from: string, to: string, scope: StorePair[] | null): Promise<SceneRow[]> {
  const stores = scope ? JSON.stringify(scope.filter((p) => p.site === site.siteKey).map((p) => p.store)) : null;
  const { results } = await db
    .prepare(SQL)
    .bind(site.siteKey, dayStart(from, site.timezone), dayStart(nextDay(to), site.timezone), stores)
    .all<Row>();
  return results.map((r) => {
    const scene = r.scene ?? '(not set)';
    return {
      // Own keys only: a web landing's utm_medium ('constructor', '__proto__') can be the scene too.
      scene, name: Object.hasOwn(SCENE_NAMES, scene) ? SCENE_NAMES[scene] : null, visitors: r.visitors, booked: r.booked, arrived: r.arrived, bought: r.bought, revenue: r.revenue ?? 0,
    };
  });
}
