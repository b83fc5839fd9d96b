// The bare baseline for `npm run bench` (test/bench/ingest.mjs): the same D1
// schema, and POST /collect only parses the batch and inserts every event as a
// row (the legacy events table, with its indexes) in one D1 batch before it
// answers 202 in /collect's shape. No validation, no site check, no attribution,
// no rollups, no rate limit: the old synchronous design at its leanest, which
// the queue-fed /collect (checks + one enqueue) is measured against.
interface Env {
  DB: D1Database;
}

interface Event {
  i: string;
  t: string;
  ts: number;
  v: string;
  ss: string;
  pv?: string;
  u?: string;
  k?: string;
  q?: Record<string, string>;
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    if (req.method !== 'POST') return new Response('baseline', { status: 200 });
    const { s, e } = (await req.json()) as { s: string; e: Event[] };
    const now = Date.now();
    const day = new Date(now).toISOString().slice(0, 10);
    const stmt = env.DB.prepare(
      `INSERT OR IGNORE INTO events (site_key, id, type, visitor_id, session_id, pageview_id, ts, received_at, day, path, sku, channel, data)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)`,
    );
    await env.DB.batch(e.map((x) => stmt.bind(s, x.i, x.t, x.v, x.ss, x.pv ?? null, x.ts, now, day, x.u ?? null, x.k ?? null, x.q?.ch ?? 'direct', null)));
    return Response.json({ accepted: e.length, duplicates: 0, rejected: [] }, { status: 202 });
  },
};
