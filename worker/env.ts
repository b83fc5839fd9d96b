// The Worker's bindings, as declared in wrangler.toml.
import type { DeskApi, RoomApi } from './desk/rpc';
import type { QueueMessage } from './ingest/message';

export interface Env {
  DB: D1Database;
  ASSETS: Fetcher; // dist/public: storefront demo, dashboard, o2o.js
  ADMIN_TOKEN?: string; // Worker secret; unset means the admin API is closed
  RL_CLIENT: RateLimit; // /collect per client (IP + user agent hash), wrangler.toml [[ratelimits]]
  INGEST: Queue<QueueMessage>; // /collect → the fold, and a half-life change's re-share (worker/ingest/consumer.ts)
  INGEST_DLQ: Queue<unknown>; // messages the fold can never take, set aside
  ARCHIVE: R2Bucket; // event chunks by site and day, and dead letters
  CONVERSATION_ROOM: DurableObjectNamespace<RoomApi>; // one per chat conversation (worker/desk/conversation-room.ts)
  DESK_ROOM: DurableObjectNamespace<DeskApi>; // one per site: the agents' queue and presence (worker/desk/desk-room.ts)
}

/** Hono's generic parameter for this app. */
export type AppEnv = { Bindings: Env };
