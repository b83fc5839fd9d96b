// The Cron Trigger (wrangler.toml [triggers]): a list of independent upkeep
// tasks, each awaited and each failure isolated, so one broken task never
// stops the others. Add a task by appending to TASKS.
import { deliverAdConversions } from './adplatforms/deliver';
import { deliverDue } from './crm/deliver';
import { purgeExpiredEvents } from './db/retention';
import type { Env } from './env';
import { deliverRobotReports } from './robots/deliver';
import { queueMornings } from './robots/queue';

/** The two Cron Triggers in wrangler.toml: keep these strings equal to them. */
export const DAILY = '17 3 * * *'; // at a quiet hour
export const FREQUENT = '*/10 * * * *'; // webhook retries must not wait a day for their backoff

export interface ScheduledTask {
  name: string;
  /** The triggers that run it. */
  crons: string[];
  run: (env: Env, now: number) => Promise<unknown>;
}

export const TASKS: ScheduledTask[] = [
  // Raw events past each site's retention_days; rollups and the offline tables stay.
  { name: 'retention', crons: [DAILY], run: (env, now) => purgeExpiredEvents(env.DB, now) },
  // CRM webhooks whose backoff has passed (worker/crm/deliver.ts), every site's.
  { name: 'crm-webhooks', crons: [DAILY, FREQUENT], run: (env, now) => deliverDue(env.DB, { now, limit: 500 }) },
  // Conversions for the ad platforms (worker/adplatforms/) whose backoff has passed, every site's;
  // the credentials are the Worker secrets the connectors name, hence env.
  { name: 'ad-conversions', crons: [DAILY, FREQUENT], run: (env, now) => deliverAdConversions(env.DB, env as unknown as Record<string, unknown>, { now, limit: 500 }) },
  // The morning report in the group chats (worker/robots/): queue each robot's report of its
  // site's yesterday once past 08:00 local (once per day, however often this runs), then send what is due.
  {
    name: 'robot-reports', crons: [DAILY, FREQUENT],
    run: async (env, now) => ({ ...(await queueMornings(env.DB, now)), ...(await deliverRobotReports(env.DB, { now, limit: 500 })) }),
  },
];

/** The tasks a trigger runs; an unknown trigger (a hand-made call) runs them all. */
export function tasksFor(cron: string, tasks: ScheduledTask[] = TASKS): ScheduledTask[] {
  const mine = tasks.filter((t) => t.crons.includes(cron));
  return mine.length ? mine : tasks;
}

export interface TaskOutcome {
  name: string;
  ok: boolean;
  result?: unknown;
  error?: string;
}

export async function runScheduled(env: Env, now: number, tasks: ScheduledTask[] = TASKS): Promise<TaskOutcome[]> {
  const out: TaskOutcome[] = [];
  for (const t of tasks) {
    try {
      out.push({ name: t.name, ok: true, result: await t.run(env, now) });
    } catch (err) {
      console.error(`scheduled task ${t.name} failed`, err);
      out.push({ name: t.name, ok: false, error: String(err) });
    }
  }
  return out;
}
