// The CRM webhook's settings and outbox (crm_settings, crm_deliveries): all SQL.
export interface CrmSettings {
  site_key: string;
  url: string;
  secret: string;
  enabled: number;
  updated_at: number;
}

export async function getCrm(db: D1Database, siteKey: string): Promise<CrmSettings | null> {
  return db.prepare('SELECT * FROM crm_settings WHERE site_key = ?1').bind(siteKey).first<CrmSettings>();
}

export async function putCrm(db: D1Database, s: CrmSettings): Promise<void> {
  await db
    .prepare(
      `INSERT INTO crm_settings (site_key, url, secret, enabled, updated_at) VALUES (?1, ?2, ?3, ?4, ?5)
       ON CONFLICT (site_key) DO UPDATE SET url = excluded.url, secret = excluded.secret, enabled = excluded.enabled, updated_at = excluded.updated_at`,
    )
    .bind(s.site_key, s.url, s.secret, s.enabled, s.updated_at)
    .run();
}

export interface DeliveryRow {
  site_key: string;
  id: string;
  type: string;
  body: string;
  status: 'pending' | 'delivered' | 'failed';
  attempts: number;
  last_status: number | null;
  last_error: string | null;
  next_at: number;
  created_at: number;
  delivered_at: number | null;
}

/** A condition for a write in the same batch: `sql` is an EXISTS subquery whose parameters start at ?6. */
export interface Condition {
  sql: string;
  params: unknown[];
}

export function insertDelivery(db: D1Database, d: Pick<DeliveryRow, 'site_key' | 'id' | 'type' | 'body' | 'created_at'>, onlyIf?: Condition): D1PreparedStatement {
  return db
    .prepare(
      `INSERT OR IGNORE INTO crm_deliveries (site_key, id, type, body, next_at, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?5 WHERE ${onlyIf ? `EXISTS (${onlyIf.sql})` : 'true'}`,
    )
    .bind(d.site_key, d.id, d.type, d.body, d.created_at, ...(onlyIf?.params ?? []));
}

/** Due pending deliveries, oldest first; one site's, or every site's for the cron. */
export async function dueDeliveries(db: D1Database, now: number, siteKey: string | null, limit: number): Promise<DeliveryRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM crm_deliveries WHERE status = 'pending' AND next_at <= ?1 AND (?2 IS NULL OR site_key = ?2)
       ORDER BY next_at LIMIT ?3`,
    )
    .bind(now, siteKey, limit)
    .all<DeliveryRow>();
  return results;
}

/**
 * Takes a lease on a due delivery: pushes next_at past the attempt, so the cron
 * and a request's waitUntil never send the same row at once. True if ours.
 */
export async function claimDelivery(db: D1Database, d: DeliveryRow, now: number, leaseMs: number): Promise<boolean> {
  const res = await db
    .prepare(`UPDATE crm_deliveries SET next_at = ?3 WHERE site_key = ?1 AND id = ?2 AND status = 'pending' AND next_at = ?4`)
    .bind(d.site_key, d.id, now + leaseMs, d.next_at)
    .run();
  return res.meta.changes === 1;
}

export async function recordAttempt(
  db: D1Database,
  d: DeliveryRow,
  r: { status: DeliveryRow['status']; httpStatus: number | null; error: string | null; nextAt: number; now: number },
): Promise<void> {
  await db
    .prepare(
      `UPDATE crm_deliveries SET status = ?3, attempts = attempts + 1, last_status = ?4, last_error = ?5, next_at = ?6,
         delivered_at = CASE WHEN ?3 = 'delivered' THEN ?7 ELSE delivered_at END
       WHERE site_key = ?1 AND id = ?2`,
    )
    .bind(d.site_key, d.id, r.status, r.httpStatus, r.error, r.nextAt, r.now)
    .run();
}

export async function listDeliveries(db: D1Database, siteKey: string, status: string | null, limit: number): Promise<DeliveryRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM crm_deliveries WHERE site_key = ?1 AND (?2 IS NULL OR status = ?2)
       ORDER BY created_at DESC, id LIMIT ?3`,
    )
    .bind(siteKey, status, limit)
    .all<DeliveryRow>();
  return results;
}

export async function deliveryCounts(db: D1Database, siteKey: string): Promise<Record<string, number>> {
  const { results } = await db
    .prepare('SELECT status, COUNT(*) AS n FROM crm_deliveries WHERE site_key = ?1 GROUP BY status')
    .bind(siteKey)
    .all<{ status: string; n: number }>();
  const out: Record<string, number> = { pending: 0, delivered: 0, failed: 0 };
  for (const r of results) out[r.status] = r.n;
  return out;
}

/** Puts a failed delivery back in the queue, due now (the admin's "retry"). */
export async function requeueDelivery(db: D1Database, siteKey: string, id: string, now: number): Promise<boolean> {
  const res = await db
    .prepare(`UPDATE crm_deliveries SET status = 'pending', next_at = ?3 WHERE site_key = ?1 AND id = ?2 AND status = 'failed'`)
    .bind(siteKey, id, now)
    .run();
  return res.meta.changes === 1;
}
