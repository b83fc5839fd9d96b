// The fold bench's worker (test/bench/fold.mjs), run by `wrangler dev` with
// test/bench/wrangler.fold.toml: the real consumer code (commitFold) inside
// workerd against a local D1 and R2, fed with messages the real edge checks made.
//   POST /site  {siteKey}                      a site, as the admin API makes it
//   POST /stage {site, requests: [{at, geo, ua, events}]}  one /collect request each →
//               checkBatch + messageOf, kept in memory (not timed); answers {id}
//   POST /fold  {id}                           commitFold on the staged messages, timed
// The bench times /fold from outside; the timings here split it into the D1
// read, the D1 batch (per statement, by D1's meta.duration) and the R2 puts.
// Time inside workerd only moves on I/O, so CPU-only stretches are not timed
// here: fold.mjs times the pure fold in Node instead.
import { createSite, getSite } from '../../worker/db/sites';
import type { Env } from '../../worker/env';
import { requestFacts } from '../../worker/enrich';
import { commitFold } from '../../worker/ingest/commit';
import { checkBatch, messageOf } from '../../worker/ingest/edge';
import type { IngestMessage } from '../../worker/ingest/message';

interface StagedRequest {
  at: number;
  geo: { country: string; region: string; city: string };
  ua: string;
  events: unknown[];
}

const staged = new Map<string, { site: string; messages: IngestMessage[]; ids: string[] }>();
let seq = 0;

interface Timings {
  readMs: number; // D1 calls outside the batch (the visitors' read)
  batchMs: number; // the fold's one D1 batch
  r2Ms: number;
  results: { sql: string; result: D1Result }[];
}

const TIMED_READS = new Set(['all', 'first', 'run', 'raw']);

/**
 * env with D1 and R2 timed: reads outside the batch, the batch (with each
 * statement's SQL, to name it), the R2 puts. Statements handed to batch() are
 * unwrapped, so D1 runs the real ones.
 */
function timedEnv(env: Env, t: Timings): Env {
  const real = new WeakMap<object, D1PreparedStatement>();
  const sqlOf = new WeakMap<object, string>();
  const wrap = (stmt: D1PreparedStatement, sql: string): D1PreparedStatement => {
    const p = new Proxy(stmt, {
      get(target, k) {
        if (k === 'bind') return (...args: unknown[]) => wrap(target.bind(...args), sql);
        const v = Reflect.get(target, k);
        if (typeof v !== 'function') return v;
        if (!TIMED_READS.has(String(k))) return v.bind(target);
        return async (...args: unknown[]) => {
          const t0 = Date.now();
          const r = await (v as (...a: unknown[]) => Promise<unknown>).apply(target, args);
          t.readMs += Date.now() - t0;
          return r;
        };
      },
    });
    real.set(p, stmt);
    sqlOf.set(p, sql);
    return p;
  };
  const db = new Proxy(env.DB, {
    get(target, p) {
      if (p === 'prepare') return (sql: string) => wrap(target.prepare(sql), sql);
      if (p === 'batch') {
        return async (stmts: D1PreparedStatement[]) => {
          const t0 = Date.now();
          const r = await target.batch(stmts.map((s) => real.get(s) ?? s));
          t.batchMs += Date.now() - t0;
          r.forEach((result, i) => t.results.push({ sql: sqlOf.get(stmts[i]) ?? '?', result }));
          return r;
        };
      }
      const v = Reflect.get(target, p);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  const archive = new Proxy(env.ARCHIVE, {
    get(target, p) {
      if (p === 'put') {
        return async (...args: Parameters<R2Bucket['put']>) => {
          const t0 = Date.now();
          const r = await target.put(...args);
          t.r2Ms += Date.now() - t0;
          return r;
        };
      }
      const v = Reflect.get(target, p);
      return typeof v === 'function' ? v.bind(target) : v;
    },
  });
  return { ...env, DB: db, ARCHIVE: archive };
}

/** A statement's name for the breakdown: what it writes (or "version check"). */
function nameOf(sql: string): string {
  if (/^\s*SELECT json\(CASE/i.test(sql)) return 'version check';
  const m = /\b(?:INSERT(?: OR \w+)? INTO|UPDATE)\s+(\w+)/i.exec(sql);
  return m ? m[1] : sql.trim().split(/\s+/).slice(0, 3).join(' ');
}

export default {
  async fetch(req: Request, env: Env): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (req.method !== 'POST') return new Response('fold bench', { status: 200 });
    if (path === '/site') {
      const { siteKey } = (await req.json()) as { siteKey: string };
      await createSite(env.DB, { siteKey, name: siteKey });
      return Response.json({ ok: true }, { status: 201 });
    }
    if (path === '/stage') {
      const { site: siteKey, requests } = (await req.json()) as { site: string; requests: StagedRequest[] };
      const site = await getSite(env.DB, siteKey);
      if (!site) return Response.json({ error: `no site ${siteKey}` }, { status: 404 });
      const messages: IngestMessage[] = [];
      let rejected = 0;
      for (const r of requests) {
        const request = new Request('http://o2o.bench/collect', { method: 'POST', headers: { 'user-agent': r.ua } });
        Object.defineProperty(request, 'cf', { value: r.geo });
        const facts = requestFacts(request, r.at);
        const checked = checkBatch(site, r.events, facts);
        rejected += checked.result.rejected.length;
        if (checked.events.length) messages.push(messageOf(site, checked.events, facts));
      }
      const id = `f${++seq}`;
      staged.set(id, { site: siteKey, messages, ids: messages.map((_, i) => `${id}-m${i}`) });
      const events = messages.reduce((s, m) => s + m.events.length, 0);
      return Response.json({ id, messages: messages.length, events, rejected });
    }
    if (path === '/fold') {
      const { id } = (await req.json()) as { id: string };
      const s = staged.get(id);
      if (!s) return Response.json({ error: `nothing staged as ${id} (the isolate restarted?)` }, { status: 404 });
      staged.delete(id);
      const site = await getSite(env.DB, s.site);
      const t: Timings = { readMs: 0, batchMs: 0, r2Ms: 0, results: [] };
      const t0 = Date.now();
      const done = await commitFold(timedEnv(env, t), site!, s.messages, s.ids);
      const ms = Date.now() - t0;
      const statements = t.results.map(({ sql, result }) => ({ name: nameOf(sql), rowsWritten: result.meta.rows_written ?? 0, ms: result.meta.duration ?? 0 }));
      return Response.json({ ...done, ms, readMs: t.readMs, batchMs: t.batchMs, r2Ms: t.r2Ms, statements });
    }
    return new Response('not found', { status: 404 });
  },
};
