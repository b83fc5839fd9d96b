// The shares an arrival or deal keeps (its `credit`, 0016), made with the row:
// its lead's, as the fold set them at the appointment (a lead's snapshot wins,
// as for first and last touch); else the visitor's touch path as the fold kept
// it, at this moment; else none (NULL: the report credits its last touch, direct).
import type { SiteJson as Site } from '../../protocol/admin';
import { creditJson, DEFAULT_HALF_LIFE_DAYS, type PathTouch } from './credit';

export async function offlineCredit(db: D1Database, site: Site, leadCode: string | null, visitorId: string | null, at: number): Promise<string | null> {
  if (leadCode) {
    const l = await db.prepare('SELECT credit FROM leads WHERE site_key = ?1 AND code = ?2').bind(site.siteKey, leadCode).first<{ credit: string | null }>();
    return l?.credit ?? null;
  }
  if (!visitorId) return null;
  const v = await db
    .prepare(`SELECT ledger -> '$.t' AS t FROM visitors WHERE site_key = ?1 AND visitor_id = ?2`)
    .bind(site.siteKey, visitorId)
    .first<{ t: string | null }>();
  if (!v) return null;
  const path = v.t ? (JSON.parse(v.t) as PathTouch[]) : [];
  return creditJson(path, at, site.attributionDays, site.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS);
}

/** Sets a new row's credit in the row's own batch (after its insert); a row that already had one keeps it. */
export function setCredit(db: D1Database, table: 'arrivals' | 'deals', siteKey: string, id: string, credit: string | null): D1PreparedStatement {
  return db.prepare(`UPDATE ${table} SET credit = ?3 WHERE site_key = ?1 AND id = ?2 AND credit IS NULL`).bind(siteKey, id, credit);
}
