// The Worker's bindings, as declared in wrangler.toml.
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher; // dist/public: storefront demo, dashboard, o2o.js
  ADMIN_TOKEN?: string; // Worker secret; unset means the admin API is closed
  RL_CLIENT: RateLimit; // /collect per client (IP + user agent hash), wrangler.toml [[ratelimits]]
  RL_SITE: RateLimit; // /collect per site
}

/** Hono's generic parameter for this app. */
export type AppEnv = { Bindings: Env };
