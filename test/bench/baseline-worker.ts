// The bare baseline for `npm run bench`: the same D1 schema, and POST /collect
// only parses the batch and inserts its rows in one D1 batch. No validation, no
// attribution, no rollups, no rate limits: the floor our ingest path is measured
// against (the ratio tells whether the real path is lean).
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
    return Response.json({ accepted: e.length }, { status: 202 });
  },
};
