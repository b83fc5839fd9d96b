// The shares an arrival or deal keeps (its `credit`, 0016), made with the row:
// its lead's, as the fold set them at the appointment (a lead's snapshot wins,
// as for first and last touch); else the visitor's touch path as the fold kept
// it, at this moment; else none (NULL: the report credits its last touch, direct).
// Rows recorded before the fold credited their lead take its credit then (creditEarlyRows).
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

/**
 * The fold that credits appointments' leads (after creditLeads, in its batch)
 * gives the leads' arrivals and deals the same touches and shares: those rows
 * copied the lead when staff recorded them, and the ones recorded before the
 * queue folded the appointment copied the lead before it was credited (its
 * direct first guess, no shares). Every one of the lead's rows is one of
 * those, since the fold credits a lead once. The reports read these columns,
 * so the counts move to the lead's channel with them.
 */
export function creditEarlyRows(db: D1Database, siteKey: string, appointments: { id: string; visitorId: string }[]): D1PreparedStatement[] {
  const leads = JSON.stringify(appointments.map((e) => [e.id, e.visitorId]));
  return (['arrivals', 'deals'] as const).map((table) =>
    db
      .prepare(
        `UPDATE ${table} SET first_channel = l.first_channel, first_campaign = l.first_campaign, first_promoter = l.first_promoter,
           last_channel = l.last_channel, last_campaign = l.last_campaign, last_promoter = l.last_promoter, credit = l.credit
         FROM leads AS l JOIN json_each(?2) AS j ON l.event_id = j.value ->> 0 AND l.visitor_id = j.value ->> 1
         WHERE l.site_key = ?1 AND ${table}.site_key = ?1 AND ${table}.lead_code = l.code`,
      )
      .bind(siteKey, leads),
  );
}
