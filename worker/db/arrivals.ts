// Arrivals (到店): all SQL for the arrivals table.
import type { TouchSnapshot } from '../attribution/model';

export interface ArrivalRow extends TouchSnapshot {
  site_key: string;
  id: string;
  lead_code: string | null;
  visitor_id: string | null;
  store_id: string;
  method: 'staff' | 'self';
  at: number;
  day: string;
}

/** INSERT OR IGNORE: the id is made from (day, store, person), so a second check-in the same day changes nothing. */
export function insertArrival(db: D1Database, a: ArrivalRow): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO arrivals (site_key, id, lead_code, visitor_id, store_id, method, at, day,
         first_channel, first_campaign, first_promoter, last_channel, last_campaign, last_promoter)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14)`,
    )
    .bind(
      a.site_key, a.id, a.lead_code, a.visitor_id, a.store_id, a.method, a.at, a.day,
      a.first_channel, a.first_campaign, a.first_promoter, a.last_channel, a.last_campaign, a.last_promoter,
    );
}

/** The arrival is this request's own: its id with this request's time and method (a same-day repeat keeps the first). */
export const arrivalIsOurs = (a: ArrivalRow) => ({
  sql: 'SELECT 1 FROM arrivals WHERE site_key = ?6 AND id = ?7 AND at = ?8 AND method = ?9',
  params: [a.site_key, a.id, a.at, a.method],
});

export async function getArrival(db: D1Database, siteKey: string, id: string): Promise<ArrivalRow | null> {
  return db.prepare('SELECT * FROM arrivals WHERE site_key = ?1 AND id = ?2').bind(siteKey, id).first<ArrivalRow>();
}
