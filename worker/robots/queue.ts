// Queues the morning report: each enabled robot gets the report of its site's
// yesterday once the site's clock is past 08:00, exactly once per (site, robot,
// day) however often the cron fires or however many runs overlap (the outbox's
// unique index, worker/db/robots.ts). The message is built when it is queued,
// so every retry sends the same text.
import { nanoid } from 'nanoid';
import { getSite, type Site } from '../db/sites';
import { morningRobots, queueRobotDelivery, type RobotRow } from '../db/robots';
import { localMinutes, yesterday } from './dates';
import { dashboardLink, morningMessage, robotBody } from './message';
import { morningNumbers, type MorningNumbers } from './numbers';

/** The morning report goes out from 08:00 on the site's clock. */
export const MORNING_MINUTES = 8 * 60;

export interface Queued {
  id: string;
  day: string;
  queued: boolean; // false: that day's morning report was already queued, or the robot is gone or paused
}

/** Queues `robot`'s report of `day`: 'daily' at most once per day, 'test' every time it is asked. */
export async function queueReport(
  db: D1Database, site: Site, robot: RobotRow, day: string, kind: 'daily' | 'test', now: number, numbers?: MorningNumbers,
): Promise<Queued> {
  const n = numbers ?? (await morningNumbers(db, site, day));
  const body = robotBody(robot.kind, morningMessage(n, dashboardLink(robot.dashboard_url, site.origins)));
  const id = `rbd_${nanoid(16)}`;
  const queued = await queueRobotDelivery(db, { site_key: site.siteKey, id, robot_id: robot.id, day, kind, body, created_at: now });
  return { id, day, queued };
}

/**
 * The cron's part: every robot whose site is past 08:00 and whose report of
 * yesterday is not queued yet. A robot added after this morning's 08:00 waits
 * for tomorrow's (POST …/robots/:id/test shows one at once). One robot's
 * failure is logged and skipped, the others still go.
 */
export async function queueMornings(db: D1Database, now: number): Promise<{ queued: number; failed: number }> {
  const sites = new Map<string, Promise<Site | null>>();
  const numbers = new Map<string, Promise<MorningNumbers>>(); // one read per site and day, shared by its robots
  const out = { queued: 0, failed: 0 };
  for (const r of await morningRobots(db)) {
    const past = localMinutes(now, r.timezone) - MORNING_MINUTES;
    const day = yesterday(now, r.timezone);
    if (past < 0 || (r.last_day !== null && r.last_day >= day) || r.created_at > now - past * 60_000) continue;
    try {
      if (!sites.has(r.site_key)) sites.set(r.site_key, getSite(db, r.site_key));
      const site = await sites.get(r.site_key);
      if (!site) continue;
      const k = `${r.site_key}|${day}`;
      if (!numbers.has(k)) numbers.set(k, morningNumbers(db, site, day));
      if ((await queueReport(db, site, r, day, 'daily', now, await numbers.get(k))).queued) out.queued++;
    } catch (err) {
      console.error(`morning report of robot ${r.site_key}/${r.id}`, err);
      out.failed++;
    }
  }
  return out;
}
