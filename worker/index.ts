// The Worker's entry: HTTP through the Hono app; the Cron Trigger through worker/scheduled.ts.
import { app } from './app';
import type { Env } from './env';
import { runScheduled } from './scheduled';

export default {
  fetch: app.fetch,
  async scheduled(controller, env) {
    await runScheduled(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env>;
