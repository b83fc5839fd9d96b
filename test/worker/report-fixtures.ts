// Fixtures for the report tests: events through the real /collect (with a cf
// object for geo), each post waiting for the queue's fold of it, stores through the admin API, and arrivals / deals written
// into their tables through env.DB with the touch snapshot the offline API
// takes (the lead's, else the visitor row's) — the offline routes were being
// built in parallel when these tests were written.
import { env, SELF } from 'cloudflare:test';
import { nanoid } from 'nanoid';
import type { WireEvent } from '../../protocol/wire';
import { ADMIN, BASE, call, foldOf } from './helpers';

export const DAY_MS = 86_400_000;

/** Midnight of the Shanghai day `daysAgo` days back, as epoch ms, and that day's date. */
export function shanghaiDay(daysAgo: number): { start: number; day: string } {
  const now = Date.now() + 8 * 3600_000; // Shanghai has no DST: UTC+8 all year
  const start = Math.floor(now / DAY_MS) * DAY_MS - daysAgo * DAY_MS - 8 * 3600_000;
  return { start, day: new Date(start + 8 * 3600_000).toISOString().slice(0, 10) };
}

/** POSTs a batch to /collect and waits until the fold has folded what it enqueued. */
export async function postCf(site: string, e: WireEvent[], cf?: Record<string, string>): Promise<Response> {
  const res = await SELF.fetch(`${BASE}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain' },
    body: JSON.stringify({ s: site, e }),
    cf,
  } as RequestInit);
  await foldOf(site, res);
  return res;
}

export async function postOk(site: string, e: WireEvent[], cf?: Record<string, string>): Promise<void> {
  for (let i = 0; i < e.length; i += 50) {
    const res = await postCf(site, e.slice(i, i + 50), cf);
    const body = (await res.json()) as { accepted: number; rejected: unknown[] };
    if (res.status !== 202 || body.rejected.length) throw new Error(`collect: ${res.status} ${JSON.stringify(body)}`);
  }
}

export async function store(site: string, id: string, region: string, city: string): Promise<void> {
  const res = await call(`/api/v1/admin/sites/${site}/stores/${id}`, { method: 'PUT', token: ADMIN, json: { name: id, region, city } });
  if (res.status !== 200) throw new Error(`store: ${res.status} ${await res.text()}`);
}

export async function leadOf(site: string, visitor: string): Promise<string> {
  const r = await env.DB.prepare('SELECT code FROM leads WHERE site_key = ?1 AND visitor_id = ?2').bind(site, visitor).first<{ code: string }>();
  if (!r) throw new Error(`no lead for ${visitor}`);
  return r.code;
}

type Snapshot = Record<'first_channel' | 'first_campaign' | 'first_promoter' | 'last_channel' | 'last_campaign' | 'last_promoter', string | null>;

async function snapshot(site: string, lead: string | null, visitor: string | null): Promise<Snapshot> {
  const cols = 'first_channel, first_campaign, first_promoter, last_channel, last_campaign, last_promoter';
  const r = lead
    ? await env.DB.prepare(`SELECT ${cols} FROM leads WHERE site_key = ?1 AND code = ?2`).bind(site, lead).first<Snapshot>()
    : await env.DB.prepare(`SELECT ${cols} FROM visitors WHERE site_key = ?1 AND visitor_id = ?2`).bind(site, visitor).first<Snapshot>();
  if (!r) throw new Error(`no touches for ${lead ?? visitor}`);
  return r;
}

export async function arrival(site: string, a: { lead?: string; visitor?: string; store: string; day: string }): Promise<void> {
  const s = await snapshot(site, a.lead ?? null, a.visitor ?? null);
  await env.DB.prepare(
    `INSERT INTO arrivals (site_key, id, lead_code, visitor_id, store_id, method, at, day, first_channel, first_campaign,
       first_promoter, last_channel, last_campaign, last_promoter) VALUES (?1, ?2, ?3, ?4, ?5, 'staff', ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13)`,
  ).bind(site, nanoid(), a.lead ?? null, a.visitor ?? null, a.store, Date.now(), a.day,
    s.first_channel, s.first_campaign, s.first_promoter, s.last_channel, s.last_campaign, s.last_promoter).run();
}

export async function deal(site: string, d: {
  lead?: string; visitor?: string; store: string; day: string; amount: number; budget?: number; voided?: boolean;
  items?: { sku: string; qty: number; amount: number }[];
}): Promise<string> {
  const s = await snapshot(site, d.lead ?? null, d.visitor ?? null);
  const id = nanoid();
  await env.DB.batch([
    env.DB.prepare(
      `INSERT INTO deals (site_key, id, idempotency_key, lead_code, visitor_id, store_id, amount, budget, at, day, voided_at,
         first_channel, first_campaign, first_promoter, last_channel, last_campaign, last_promoter)
       VALUES (?1, ?2, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)`,
    ).bind(site, id, d.lead ?? null, d.visitor ?? null, d.store, d.amount, d.budget ?? null, Date.now(), d.day,
      d.voided ? Date.now() : null, s.first_channel, s.first_campaign, s.first_promoter, s.last_channel, s.last_campaign, s.last_promoter),
    ...(d.items ?? []).map((i) =>
      env.DB.prepare('INSERT INTO deal_items (site_key, deal_id, sku, qty, amount) VALUES (?1, ?2, ?3, ?4, ?5)').bind(site, id, i.sku, i.qty, i.amount)),
  ]);
  return id;
}

let n = 0;
/** A wire event at `ts` for `v`; its own session per visitor. */
export function at(ts: number, v: string, over: Partial<WireEvent> = {}): WireEvent {
  return { i: nanoid(), t: 'view', ts: ts + n++, v, ss: `s-${v}`, u: '/', ...over };
}
