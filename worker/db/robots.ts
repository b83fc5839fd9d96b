// The group-chat robots and their outbox (robots, robot_deliveries; migration
// 0010): all their SQL. A morning report is written once per (site, robot, day)
// by INSERT OR IGNORE against a unique index, so the cron may fire as often as
// it likes.
import type { RobotDeliveryStatus, RobotKind } from '../../protocol/robots';
import type { DeliveryRow } from './crm';

export interface RobotRow {
  site_key: string;
  id: string;
  kind: RobotKind;
  name: string;
  token: string; // WeCom key / DingTalk access_token
  secret: string | null; // DingTalk SEC…
  dashboard_url: string | null;
  enabled: number;
  created_at: number;
  updated_at: number;
}

export async function getRobot(db: D1Database, siteKey: string, id: string): Promise<RobotRow | null> {
  return db.prepare('SELECT * FROM robots WHERE site_key = ?1 AND id = ?2').bind(siteKey, id).first<RobotRow>();
}

export async function listRobots(db: D1Database, siteKey: string): Promise<RobotRow[]> {
  return (await db.prepare('SELECT * FROM robots WHERE site_key = ?1 ORDER BY id').bind(siteKey).all<RobotRow>()).results;
}

export async function putRobot(db: D1Database, r: RobotRow): Promise<void> {
  await db
    .prepare(
      `INSERT INTO robots (site_key, id, kind, name, token, secret, dashboard_url, enabled, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?9)
       ON CONFLICT (site_key, id) DO UPDATE SET kind = excluded.kind, name = excluded.name, token = excluded.token,
         secret = excluded.secret, dashboard_url = excluded.dashboard_url, enabled = excluded.enabled, updated_at = excluded.updated_at`,
    )
    .bind(r.site_key, r.id, r.kind, r.name, r.token, r.secret, r.dashboard_url, r.enabled, r.updated_at)
    .run();
}

/** Removes the robot; its unsent reports fail at once (kept for the list). False when there was none. */
export async function deleteRobot(db: D1Database, siteKey: string, id: string, now: number): Promise<boolean> {
  const [del] = await db.batch([
    db.prepare('DELETE FROM robots WHERE site_key = ?1 AND id = ?2').bind(siteKey, id),
    db.prepare(`UPDATE robot_deliveries SET status = 'failed', last_error = 'the robot was removed', next_at = ?3
                WHERE site_key = ?1 AND robot_id = ?2 AND status = 'pending'`).bind(siteKey, id, now),
  ]);
  return del.meta.changes > 0;
}

/** An enabled robot with its site's time zone and the last day its morning report was queued for (null: never). */
export interface MorningRobot extends RobotRow {
  timezone: string;
  last_day: string | null;
}

/** Every enabled robot of every site: what the cron decides from (one query). */
export async function morningRobots(db: D1Database): Promise<MorningRobot[]> {
  const { results } = await db
    .prepare(
      `SELECT r.*, s.timezone,
         (SELECT MAX(d.day) FROM robot_deliveries d WHERE d.site_key = r.site_key AND d.robot_id = r.id AND d.kind = 'daily') AS last_day
       FROM robots r JOIN sites s ON s.site_key = r.site_key WHERE r.enabled = 1 ORDER BY r.site_key, r.id`,
    )
    .all<MorningRobot>();
  return results;
}

/** An outbox row as the CRM's (worker/db/crm.ts), with the robot and the day in place of the event type. */
export interface RobotDeliveryRow extends Omit<DeliveryRow, 'type'> {
  robot_id: string;
  day: string;
  kind: 'daily' | 'test';
}

export type NewRobotDelivery = Pick<RobotDeliveryRow, 'site_key' | 'id' | 'robot_id' | 'day' | 'kind' | 'body' | 'created_at'>;

/**
 * Queues a report, due at once. Written only while the robot exists and is
 * enabled, and (the unique index) only once per (site, robot, day) for the
 * morning's: true when this call wrote it.
 */
export async function queueRobotDelivery(db: D1Database, d: NewRobotDelivery): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT OR IGNORE INTO robot_deliveries (site_key, id, robot_id, day, kind, body, next_at, created_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7
       WHERE EXISTS (SELECT 1 FROM robots WHERE site_key = ?1 AND id = ?3 AND enabled = 1)`,
    )
    .bind(d.site_key, d.id, d.robot_id, d.day, d.kind, d.body, d.created_at)
    .run();
  return res.meta.changes === 1;
}

/** Due pending reports, oldest first: one site's, or every site's (the cron). */
export async function dueRobotDeliveries(db: D1Database, now: number, siteKey: string | null, limit: number): Promise<RobotDeliveryRow[]> {
  const sql = `SELECT * FROM robot_deliveries WHERE status = 'pending' AND next_at <= ?1 AND (?2 IS NULL OR site_key = ?2) ORDER BY next_at LIMIT ?3`;
  return (await db.prepare(sql).bind(now, siteKey, limit).all<RobotDeliveryRow>()).results;
}

/** A lease on a due row (its next_at moved past the attempt), so two senders never post the same report at once. True if ours. */
export async function leaseRobotDelivery(db: D1Database, d: RobotDeliveryRow, until: number): Promise<boolean> {
  const sql = `UPDATE robot_deliveries SET next_at = ?4 WHERE site_key = ?1 AND id = ?2 AND status = 'pending' AND next_at = ?3`;
  return (await db.prepare(sql).bind(d.site_key, d.id, d.next_at, until).run()).meta.changes === 1;
}

export interface AttemptOutcome {
  status: RobotDeliveryStatus;
  httpStatus: number | null;
  error: string | null;
  nextAt: number;
  at: number;
}

export async function bookRobotAttempt(db: D1Database, d: RobotDeliveryRow, o: AttemptOutcome): Promise<void> {
  await db
    .prepare(
      `UPDATE robot_deliveries SET status = ?3, attempts = attempts + 1, last_status = ?4, last_error = ?5, next_at = ?6,
         delivered_at = iif(?3 = 'delivered', ?7, delivered_at) WHERE site_key = ?1 AND id = ?2`,
    )
    .bind(d.site_key, d.id, o.status, o.httpStatus, o.error, o.nextAt, o.at)
    .run();
}

/** The newest 100 reports of a site, newest first; optionally one robot's, one status. */
export async function listRobotDeliveries(db: D1Database, siteKey: string, f: { robot?: string; status?: string; limit?: number }): Promise<RobotDeliveryRow[]> {
  const sql = `SELECT * FROM robot_deliveries WHERE site_key = ?1 AND (?2 IS NULL OR robot_id = ?2) AND (?3 IS NULL OR status = ?3)
               ORDER BY created_at DESC, id LIMIT ?4`;
  return (await db.prepare(sql).bind(siteKey, f.robot ?? null, f.status ?? null, f.limit ?? 100).all<RobotDeliveryRow>()).results;
}

/** One robot's reports counted by status. */
export async function robotDeliveryCounts(db: D1Database, siteKey: string, robotId: string): Promise<Record<RobotDeliveryStatus, number>> {
  const row = await db
    .prepare(
      `SELECT count(*) FILTER (WHERE status = 'pending') AS pending, count(*) FILTER (WHERE status = 'delivered') AS delivered,
         count(*) FILTER (WHERE status = 'failed') AS failed FROM robot_deliveries WHERE site_key = ?1 AND robot_id = ?2`,
    )
    .bind(siteKey, robotId)
    .first<Record<RobotDeliveryStatus, number>>();
  return row ?? { pending: 0, delivered: 0, failed: 0 };
}

/** Store id → name for the report's store lines. */
export async function storeNames(db: D1Database, siteKey: string): Promise<Map<string, string>> {
  const { results } = await db.prepare('SELECT store_id, name FROM stores WHERE site_key = ?1').bind(siteKey).all<{ store_id: string; name: string }>();
  return new Map(results.map((r) => [r.store_id, r.name]));
}
