// The Worker's bindings, as declared in wrangler.toml.
export interface Env {
  DB: D1Database;
  ASSETS: Fetcher; // dist/public: storefront demo, dashboard, o2o.js
  ADMIN_TOKEN?: string; // Worker secret; unset means the admin API is closed
}

/** Hono's generic parameter for this app. */
export type AppEnv = { Bindings: Env };
