// Helpers for worker tests: requests go to the real worker (SELF) and through
// the real admin API, so sites and tokens exist exactly as in production.
import { env, SELF } from 'cloudflare:test';
import { nanoid } from 'nanoid';
import type { Batch, WireEvent } from '../../protocol/wire';
import { storedEvents as chunkEvents } from '../../worker/rollups/recompute';
import type { ChunkLine } from '../../worker/archive/chunks';

export const BASE = 'http://o2o.test';
export const ADMIN = 'test-admin-token';

export function call(path: string, init: RequestInit & { token?: string; json?: unknown } = {}): Promise<Response> {
  const headers = new Headers(init.headers);
  if (init.token) headers.set('authorization', `Bearer ${init.token}`);
  let body = init.body;
  if (init.json !== undefined) {
    headers.set('content-type', 'application/json');
    body = JSON.stringify(init.json);
  }
  return SELF.fetch(`${BASE}${path}`, { ...init, headers, body });
}

export async function createSite(extra: Record<string, unknown> = {}): Promise<string> {
  const siteKey = `site-${nanoid(8).toLowerCase().replace(/[^a-z0-9]/g, 'x')}`;
  const res = await call('/api/v1/admin/sites', { method: 'POST', token: ADMIN, json: { siteKey, name: 'Test Furniture', ...extra } });
  if (res.status !== 201) throw new Error(`createSite: ${res.status} ${await res.text()}`);
  return siteKey;
}

export async function createToken(kind: 'report' | 'store', sites: string[], stores?: string[]): Promise<string> {
  const res = await call('/api/v1/admin/tokens', { method: 'POST', token: ADMIN, json: { kind, sites, stores } });
  if (res.status !== 201) throw new Error(`createToken: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

let seq = 0;
/** A valid wire event; `over` replaces any field. */
export function ev(over: Partial<WireEvent> = {}): WireEvent {
  return { i: nanoid(), t: 'view', ts: Date.now() - 1000 + seq++, v: 'visitor-1', ss: 'session-1', u: '/', ...over };
}

/**
 * POST /collect, then wait until the queue's consumer has folded what it
 * enqueued (the fold is asynchronous), so a test reads the outcome. Concurrent
 * posts for one site each wait until all of them are folded.
 */
export async function post(batch: Batch | string, contentType = 'text/plain', headers: Record<string, string> = {}): Promise<Response> {
  const res = await postOnly(batch, contentType, headers);
  const site = typeof batch === 'string' ? siteOf(batch) : batch.s;
  if (site) await foldOf(site, res);
  return res;
}

/** Waits for the fold of what a /collect answer says it enqueued (its O2O-Queued header: the messages), if anything. */
export async function foldOf(site: string, res: Response): Promise<void> {
  if (res.status !== 202) return;
  const queued = Number(res.headers.get('o2o-queued') ?? 0);
  if (queued > 0) {
    const want = (enqueued.get(site) ?? 0) + queued;
    enqueued.set(site, want);
    await folded(site, want);
  }
}

/** POST /collect without waiting for the fold. */
export function postOnly(batch: Batch | string, contentType = 'text/plain', headers: Record<string, string> = {}): Promise<Response> {
  return call('/collect', {
    method: 'POST',
    headers: { 'content-type': contentType, ...headers },
    body: typeof batch === 'string' ? batch : JSON.stringify(batch),
  });
}

const enqueued = new Map<string, number>();

function siteOf(text: string): string | null {
  try {
    const s = (JSON.parse(text) as { s?: unknown }).s;
    return typeof s === 'string' ? s : null;
  } catch {
    return null;
  }
}

/** Messages the fold has committed for a site (ingest_days). */
export async function foldedMessages(site: string): Promise<number> {
  const r = await env.DB.prepare('SELECT coalesce(SUM(messages), 0) AS n FROM ingest_days WHERE site_key = ?1').bind(site).first<{ n: number }>();
  return r?.n ?? 0;
}

/** Polls until the fold has committed at least `messages` messages of the site. */
export async function folded(site: string, messages: number, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const n = await foldedMessages(site);
    if (n >= messages) return;
    if (Date.now() > end) throw new Error(`the fold committed ${n} of ${messages} messages of site ${site} within ${timeoutMs} ms`);
    // A fold takes 20-40 ms: polling every 25 ms added ~12 ms to each of the suite's
    // ~1,200 waits; every 5 ms, the polls' own reads (in the same workerd) cost more.
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** Today as YYYY-MM-DD in Asia/Shanghai, the default site timezone. */
export function today(tz = 'Asia/Shanghai'): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: tz, year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
}

/** The site's folded events, out of its D1 event chunks, oldest first. */
export async function storedEvents(site: string): Promise<ChunkLine[]> {
  return (await chunkEvents(env.DB, site)).sort((a, b) => a.ts - b.ts);
}

/** One folded event by id, or null. */
export async function storedEvent(site: string, id: string): Promise<ChunkLine | null> {
  return (await storedEvents(site)).find((e) => e.id === id) ?? null;
}
