// Test-only bindings added in test/vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    ASSETS: Fetcher;
    ADMIN_TOKEN: string;
    RL_CLIENT: RateLimit;
    INGEST: Queue<import('../../worker/ingest/message').IngestMessage>;
    INGEST_DLQ: Queue<unknown>;
    ARCHIVE: R2Bucket;
    CONVERSATION_ROOM: DurableObjectNamespace<import('../../worker/desk/rpc').RoomApi>;
    DESK_ROOM: DurableObjectNamespace<import('../../worker/desk/rpc').DeskApi>;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
