// The Worker's entry: HTTP through the Hono app; the Cron Trigger through worker/scheduled.ts.
import { app } from './app';
import type { Env } from './env';
import { runScheduled, tasksFor } from './scheduled';

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await runScheduled(env, controller.scheduledTime, tasksFor(controller.cron));
  },
} satisfies ExportedHandler<Env>;
