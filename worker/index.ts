// The Worker's entry: HTTP through the Hono app.
import { app } from './app';
import type { Env } from './env';

export default {
  fetch: app.fetch,
} satisfies ExportedHandler<Env>;
