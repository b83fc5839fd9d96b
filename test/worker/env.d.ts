// Test-only bindings added in test/vitest.config.ts.
declare namespace Cloudflare {
  interface Env {
    DB: D1Database;
    ASSETS: Fetcher;
    ADMIN_TOKEN: string;
    RL_CLIENT: RateLimit;
    RL_SITE: RateLimit;
    TEST_MIGRATIONS: import('cloudflare:test').D1Migration[];
  }
}
