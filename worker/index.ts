// The Worker's entry: HTTP through the Hono app; the ingest queues through
// worker/ingest/consumer.ts; the Cron Trigger through worker/scheduled.ts.
import { app } from './app';
import type { Env } from './env';
import { consume } from './ingest/consumer';
import { runScheduled, tasksFor } from './scheduled';

export default {
  fetch: app.fetch,
  async queue(batch, env, ctx) {
    await consume(batch, env, ctx);
  },
  async scheduled(controller, env) {
    await runScheduled(env, controller.scheduledTime, tasksFor(controller.cron));
  },
} satisfies ExportedHandler<Env>;

// The consult desk's Durable Objects (wrangler.toml [[durable_objects.bindings]]).
export { ConversationRoom } from './desk/conversation-room';
export { DeskRoom } from './desk/desk-room';
