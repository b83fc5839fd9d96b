// Sends the demo week (demo-week.mjs) through the worker's own write paths, as a
// running `wrangler dev` serves them: events to POST /collect, then each past
// day's leads screened, arrived and sold through the leads, arrivals and deals
// APIs. Runs again without doubling anything: replayed event ids are dropped,
// a deal's Idempotency-Key is fixed, and a lead already screened is left alone.
// Local demo only; `fetch` is passed in so a test can run it against the worker.
import { demoWeek, PLACES, DEVICES, SITE } from './demo-week.mjs';

/** The demo seed's public tokens (worker/db/seed-demo.sql) and the local admin token of `npm run dev`. */
export const DEMO_TOKENS = { report: 'demo-report-token', store: 'demo-store-token', admin: 'demo-admin-token' };
const MAX_EVENTS = 50; // protocol/wire.ts LIMITS.maxEvents

const wait = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * One request per place and device a day (request.cf and the user agent are the
 * request's, not the event's), each at most 50 events, a visitor's events together.
 */
export function batchesOf(week) {
  const groups = new Map();
  for (const v of week.visits) {
    const key = `${v.day}:${PLACES.indexOf(v.who.place)}:${v.who.device}`;
    const list = groups.get(key) ?? [];
    const last = list[list.length - 1];
    if (last && last.events.length + v.events.length <= MAX_EVENTS) last.events.push(...v.events);
    else list.push({ cf: v.who.place.cf, ua: DEVICES[v.who.device], events: [...v.events] });
    groups.set(key, list);
  }
  return [...groups.values()].flat();
}

/**
 * Seeds the week up to `now`. Returns what the week's channel report then
 * shows, summed: { days, events, visitors, consults, appointments, arrivals, deals, revenue }.
 */
export async function seedDemoWeek({ base, fetch = globalThis.fetch, now = Date.now(), tokens = DEMO_TOKENS, foldTimeoutMs = 30_000 }) {
  const week = demoWeek(now);
  const [from, today] = [week.days[0], week.days[6]];
  const call = async (path, { token, method = 'GET', json, headers = {}, cf } = {}) => {
    for (let attempt = 0; ; attempt++) {
      const res = await fetch(`${base}${path}`, {
        method, cf, // request.cf where the worker runs in-process (the tests); the header where wrangler dev serves it
        headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
        body: json === undefined ? undefined : JSON.stringify(json),
      });
      if (res.status === 429 && attempt < 5) {
        await res.arrayBuffer();
        await wait(Number(res.headers.get('retry-after') ?? 1) * 1000);
        continue;
      }
      if (res.status >= 400) throw new Error(`${method} ${path}: ${res.status} ${(await res.text()).slice(0, 300)}`);
      return res;
    }
  };
  const body = async (res) => res.json();
  // What the fold has taken so far (the days it folds on: today, or tomorrow past midnight).
  const ingestTo = new Date(Date.parse(`${today}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
  const folded = async () =>
    (await body(await call(`/api/v1/admin/sites/${SITE}/ingest?from=${from}&to=${ingestTo}`, { token: tokens.admin }))).days.reduce((s, d) => s + d.messages, 0);
  const before = await folded();

  // 1. The events, four requests at a time, as browsers in those places would send them.
  const batches = batchesOf(week);
  let queued = 0;
  for (let k = 0; k < batches.length; k += 4) {
    await Promise.all(batches.slice(k, k + 4).map(async (b) => {
      const res = await call('/collect', {
        method: 'POST', json: { s: SITE, e: b.events }, cf: b.cf,
        // miniflare's own request.cf header: what `wrangler dev` turns into request.cf for this request
        headers: { 'content-type': 'text/plain', 'user-agent': b.ua, 'MF-CF-Blob': JSON.stringify(b.cf) },
      });
      queued += Number(res.headers.get('o2o-queued') ?? 0);
      await res.arrayBuffer();
    }));
  }
  // 2. Leads are credited by the fold: wait for it before a store records anyone.
  for (const until = Date.now() + foldTimeoutMs; (await folded()) < before + queued; await wait(250)) {
    if (Date.now() > until) throw new Error(`the fold took ${queued} messages past ${foldTimeoutMs / 1000} s`);
  }

  // 3. Past days' leads: screened, and as planned arrived at their store and sold to, today.
  const plans = new Map(week.visits.filter((v) => v.plan).map((v) => [`${v.plan.visitor}:${v.plan.day}`, v.plan]));
  const { leads } = await body(await call(`/api/v1/leads?site=${SITE}&from=${from}&to=${today}&limit=1000`, { token: tokens.report }));
  const todo = leads.flatMap((lead) => {
    const plan = plans.get(`${lead.visitor}:${lead.day}`);
    return plan && lead.status === 'new' && plan.day < today ? [{ lead, plan }] : [];
  });
  const handle = async ({ lead, plan }) => {
    const who = { site: SITE, store: lead.store ?? plan.store, lead: lead.code };
    if (plan.arrive) await call('/api/v1/arrivals', { method: 'POST', token: tokens.store, json: who });
    if (plan.deal) {
      await call('/api/v1/deals', { method: 'POST', token: tokens.store, json: { ...who, ...plan.deal }, headers: { 'idempotency-key': `demo-${plan.visitor}-${plan.day}` } });
    }
    // Screened last: a lead left 'new' by an interrupted run is taken up again by the next.
    if (plan.status !== 'new') await call(`/api/v1/leads/${lead.code}`, { method: 'PATCH', token: tokens.report, json: { site: SITE, status: plan.status } });
  };
  for (let k = 0; k < todo.length; k += 4) await Promise.all(todo.slice(k, k + 4).map(handle));

  const report = await body(await call(`/api/v1/reports/channels?site=${SITE}&from=${from}&to=${today}`, { token: tokens.report }));
  const sum = (k) => report.rows.reduce((s, r) => s + (r[k] ?? 0), 0);
  return {
    days: week.days, events: batches.reduce((s, b) => s + b.events.length, 0),
    ...Object.fromEntries(['visitors', 'consults', 'appointments', 'arrivals', 'deals', 'revenue'].map((k) => [k, sum(k)])),
  };
}
