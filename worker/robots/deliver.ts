// Sends due reports from the robots' outbox, one attempt each, with the CRM
// webhook's backoff and attempt limit (worker/crm/deliver.ts): delivered when
// the robot answers HTTP 200 with {"errcode":0}; any other answer (a nonzero
// errcode such as WeCom's 45009 "api freq out of limit", an HTTP error, a
// timeout) is retried until the last attempt, then failed for the admin to see.
import { BACKOFF_MS, MAX_ATTEMPTS } from '../crm/deliver';
import {
  bookRobotAttempt, dueRobotDeliveries, getRobot, leaseRobotDelivery, type RobotDeliveryRow,
} from '../db/robots';
import { robotUrl } from './endpoint';

const LEASE_MS = 60_000; // longer than an attempt can take
const TIMEOUT_MS = 10_000;

export interface RobotDeliverOptions {
  siteKey?: string; // only this site's; every site's when absent (the cron)
  now?: number;
  limit?: number;
}

export async function deliverRobotReports(db: D1Database, o: RobotDeliverOptions = {}): Promise<{ attempted: number; delivered: number }> {
  const now = o.now ?? Date.now();
  let [attempted, delivered] = [0, 0];
  for (const d of await dueRobotDeliveries(db, now, o.siteKey ?? null, o.limit ?? 50)) {
    if (!(await leaseRobotDelivery(db, d, now + LEASE_MS))) continue; // another sender has it
    attempted++;
    const error = await send(db, d);
    const tries = d.attempts + 1;
    const failed = error !== null && tries >= MAX_ATTEMPTS;
    await bookRobotAttempt(db, d, {
      status: error === null ? 'delivered' : failed ? 'failed' : 'pending',
      httpStatus: error ? error.httpStatus : 200, error: error?.message ?? null,
      nextAt: error === null || failed ? now : now + BACKOFF_MS[tries - 1], at: now,
    });
    if (error === null) delivered++;
  }
  return { attempted, delivered };
}

interface SendError {
  httpStatus: number | null;
  message: string;
}

/** One attempt: null when the robot took the message. */
async function send(db: D1Database, d: RobotDeliveryRow): Promise<SendError | null> {
  const robot = await getRobot(db, d.site_key, d.robot_id);
  if (!robot || !robot.enabled) return { httpStatus: null, message: 'the robot is removed or paused' };
  let res: Response;
  try {
    res = await fetch(await robotUrl(robot, Date.now()), {
      method: 'POST',
      headers: { 'content-type': 'application/json; charset=utf-8', 'user-agent': 'o2o-tracker-robot/1' },
      body: d.body,
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (err) {
    // The error names the failure, never the URL (it holds the robot's key).
    return { httpStatus: null, message: err instanceof Error ? err.name : 'fetch failed' };
  }
  const text = (await res.text()).slice(0, 2000);
  if (res.status !== 200) return { httpStatus: res.status, message: `HTTP ${res.status}` };
  let answer: { errcode?: unknown; errmsg?: unknown };
  try {
    answer = JSON.parse(text) as typeof answer;
  } catch {
    return { httpStatus: 200, message: 'the answer is not JSON' };
  }
  if (answer.errcode === 0) return null;
  return { httpStatus: 200, message: `errcode ${String(answer.errcode)}: ${String(answer.errmsg ?? '').slice(0, 200)}` };
}
