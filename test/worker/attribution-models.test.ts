// Multi-touch attribution (linear, position, time decay) on the channel report:
// the shares by hand for 1, 2, 3 and 4 touches, the window's cut and direct;
// a visitor's journey through the real /collect, fold, lead, arrival and deal
// against hand-computed answers; the fold against a from-scratch recomputation
// over random journeys, batches and redeliveries; a half-life change.
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../protocol/wire';
import { getSite } from '../../worker/db/sites';
import { sharesAt, sharesOf } from '../../worker/rollups/credit';
import { storedCredit } from '../../worker/rollups/credit-days';
import { recomputedCredit } from '../../worker/rollups/credit-recompute';
import { ADMIN, call, createSite, ev, today } from './helpers';
import { book, collect, offlineSite } from './leads-fixtures';
import { deliver, message, msgId } from './queue-fixtures';

const H = 3_600_000;
const D = 86_400_000;
const close = (x: number, y: number) => expect(x).toBeCloseTo(y, 9);

/** `f()` once it stops throwing, tried until a deadline (asynchronous work: never a sleep of a guessed length). */
async function until<T>(f: () => Promise<T>, ms = 20_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await f();
    } catch (err) {
      if (Date.now() > end) throw err;
      await new Promise((r) => setTimeout(r, 20));
    }
  }
}

describe('the shares of one conversion', () => {
  it('linear, position and time decay with 1, 2, 3 and 4 touches, by hand', () => {
    const one = sharesOf([['baidu', 5 * D]], 7);
    expect(one).toEqual({ l: { baidu: 1 }, p: { baidu: 1 }, d: { baidu: 1 } });

    const two = sharesOf([['baidu', 7 * D], ['wechat', 0]], 7);
    expect(two.l).toEqual({ baidu: 0.5, wechat: 0.5 });
    expect(two.p).toEqual({ baidu: 0.5, wechat: 0.5 });
    // Weights 2^-1 and 2^0: a third and two thirds.
    close(two.d.baidu, 1 / 3);
    close(two.d.wechat, 2 / 3);

    const three = sharesOf([['baidu', 14 * D], ['wechat', 7 * D], ['weibo', 0]], 7);
    for (const ch of ['baidu', 'wechat', 'weibo']) close(three.l[ch], 1 / 3);
    close(three.p.baidu, 0.4);
    close(three.p.wechat, 0.2);
    close(three.p.weibo, 0.4);
    // Weights 1/4, 1/2, 1 of 7/4.
    close(three.d.baidu, 1 / 7);
    close(three.d.wechat, 2 / 7);
    close(three.d.weibo, 4 / 7);

    // The middle's 20 % split two ways; a channel touched twice sums its shares.
    const four = sharesOf([['baidu', 3 * D], ['wechat', 2 * D], ['baidu', D], ['weibo', 0]], 7);
    close(four.p.baidu, 0.4 + 0.1);
    close(four.p.wechat, 0.1);
    close(four.p.weibo, 0.4);
    close(four.l.baidu, 0.5);
  });

  it('credits only touches at or before the conversion and inside the window; none is direct', () => {
    const path: [number, string][] = [[0, 'baidu'], [20 * D, 'wechat'], [40 * D, 'weibo']];
    // At day 35 with a 30-day window: baidu (35 d old) is out, weibo (later) is not yet in.
    expect(sharesAt(path, 35 * D, 30, 7).l).toEqual({ wechat: 1 });
    expect(sharesAt(path, 60 * D + 1, 1, 7)).toEqual({ l: { direct: 1 }, p: { direct: 1 }, d: { direct: 1 } });
    expect(sharesAt([], 0, 30, 7).p).toEqual({ direct: 1 });
  });
});

type Row = Record<string, number | string | null>;

async function report(site: string, attribution: string, from: string, extra = ''): Promise<Row[]> {
  const res = await call(`/api/v1/reports/channels?site=${site}&from=${from}&to=${today()}&attribution=${attribution}${extra}`, { token: ADMIN });
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: Row[] }).rows;
}
const by = (rows: Row[]) => Object.fromEntries(rows.map((r) => [r.channel as string, r]));
const dayOf = (ts: number) => new Date(ts + 8 * H).toISOString().slice(0, 10);
const r2 = (x: number) => Math.round(x * 100) / 100;

describe('a journey through the real ingest, lead, arrival and deal', () => {
  it('shares every stage by hand under each model, and a new half-life re-shares time decay', async () => {
    const s = await offlineSite();
    const noon = Date.parse(`${today()}T12:00:00+08:00`) - D; // yesterday noon, Shanghai
    const v = 'mt-visitor';
    const at = (ts: number, over: Partial<WireEvent>) => ev({ v, ss: `s${ts}`, ts, ...over });
    await collect(s.site, [at(noon - 3 * D, { q: { ch: 'baidu_sem' } })]);
    await collect(s.site, [at(noon - 2 * D, { q: { ch: 'wechat' } })]);
    await collect(s.site, [at(noon, { q: { ch: 'weibo' } }), { ...at(noon + 30 * 60_000, { t: 'consult', c: 'chat' }), ss: `s${noon}` }]);
    const code = await book(s.site, v, { store: 'sh-1' }, { ts: noon + 40 * 60_000, ss: `s${noon}` });
    await collect(s.site, [ev({ v: 'mt-direct', ss: 'd1', ts: noon })]);
    expect((await call('/api/v1/arrivals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1' } })).status).toBe(201);
    const deal = await call('/api/v1/deals', { method: 'POST', token: s.sh, json: { lead: code, store: 'sh-1', amount: 30_000 }, headers: { 'idempotency-key': 'mt-deal-1' } });
    expect(deal.status).toBe(201);
    const from = dayOf(noon - 4 * D);

    // Linear. The visitor counts once, on their first day in range, to the one touch then.
    const l = by(await report(s.site, 'linear', from));
    expect(l.baidu_sem).toMatchObject({ visitors: 1, views: r2(1 + 1 / 2 + 1 / 3), consults: 0.33, appointments: 0.33, arrivals: 0.33, bookedArrivals: 0.33, walkIns: 0, deals: 0.33, revenue: 10_000 });
    expect(l.wechat).toMatchObject({ visitors: 0, views: r2(1 / 2 + 1 / 3), consults: 0.33, appointments: 0.33, deals: 0.33, revenue: 10_000 });
    expect(l.weibo).toMatchObject({ visitors: 0, views: 0.33, consults: 0.33, revenue: 10_000 });
    expect(l.direct).toMatchObject({ visitors: 1, views: 1, consults: 0, deals: 0, revenue: 0 });
    // Rates from the unrounded shares: a third consulted of a third's visit day, etc.
    expect(l.wechat.appointmentRate).toBe(1);

    const p = by(await report(s.site, 'position', from));
    expect(p.baidu_sem).toMatchObject({ visitors: 1, views: 1.9, consults: 0.4, appointments: 0.4, arrivals: 0.4, deals: 0.4, revenue: 12_000 });
    expect(p.wechat).toMatchObject({ views: 0.7, consults: 0.2, arrivals: 0.2, revenue: 6_000 });
    expect(p.weibo).toMatchObject({ views: 0.4, consults: 0.4, revenue: 12_000 });

    // Time decay, half-life 7 days: the consult is 3 d 30 min, 2 d 30 min and 30 min after the touches.
    const decay = (h: number, ages: number[]) => {
      const w = ages.map((a) => 2 ** (-a / (h * D)));
      const sum = w.reduce((a, b) => a + b, 0);
      return w.map((x) => x / sum);
    };
    const consultShares = (h: number) => decay(h, [3 * D + 30 * 60_000, 2 * D + 30 * 60_000, 30 * 60_000]);
    const leadShares = (h: number) => decay(h, [3 * D + 40 * 60_000, 2 * D + 40 * 60_000, 40 * 60_000]);
    const check = async (h: number) => {
      const d = by(await report(s.site, 'time_decay', from));
      const [cb, cw, cx] = consultShares(h);
      const [lb, lw, lx] = leadShares(h);
      const [vb2] = decay(h, [D, 0]); // the second day's visit: baidu a day old, wechat new
      const [vb3, vw3] = decay(h, [3 * D, 2 * D, 0]);
      expect(d.baidu_sem).toMatchObject({ visitors: 1, views: r2(1 + vb2 + vb3), consults: r2(cb), appointments: r2(lb), arrivals: r2(lb), revenue: Math.round(30_000 * lb) });
      expect(d.wechat).toMatchObject({ views: r2(1 - vb2 + vw3), consults: r2(cw), revenue: Math.round(30_000 * lw) });
      expect(d.weibo).toMatchObject({ consults: r2(cx), revenue: Math.round(30_000 * lx) });
      return d;
    };
    const before = await check(7);

    const patch = await call(`/api/v1/admin/sites/${s.site}`, { method: 'PATCH', token: ADMIN, json: { halfLifeDays: 1 } });
    expect(patch.status).toBe(200);
    expect(((await patch.json()) as { site: { halfLifeDays: number } }).site.halfLifeDays).toBe(1);
    // The re-share runs on the queue, a page of visitors per message: poll the answer it makes.
    const after = await until(() => check(1));
    expect(after.baidu_sem.consults).not.toBe(before.baidu_sem.consults);
    const site = (await getSite(env.DB, s.site))!;
    expect(norm(await storedCredit(env.DB, s.site))).toEqual(norm(await recomputedCredit(env.DB, site)));
    // Linear and position do not depend on it.
    expect(by(await report(s.site, 'linear', from))).toEqual(l);

    // The single-touch answers are untouched: the last touch at the consult was weibo.
    expect(by(await report(s.site, 'last', from)).weibo).toMatchObject({ consults: 1, appointments: 1, arrivals: 1, deals: 1, revenue: 30_000 });
  }, 60_000);

  it('credits a conversion past the window to direct', async () => {
    const site = await createSite({ attributionDays: 1 });
    const noon = Date.parse(`${today()}T12:00:00+08:00`) - D;
    await collect(site, [ev({ v: 'w1', ss: 'a', ts: noon - 2 * D, q: { ch: 'baidu_sem' } })]);
    await collect(site, [ev({ v: 'w1', ss: 'b', ts: noon, t: 'consult', c: 'chat' })]);
    const rows = by(await report(site, 'linear', dayOf(noon - 3 * D)));
    expect(rows.baidu_sem).toMatchObject({ visitors: 1, consults: 0 });
    expect(rows.direct).toMatchObject({ visitors: 0, consults: 1 });
  });

  it('keeps a channel code with NUL characters whole: the credit rows it makes are on its own day, under the code less them', async () => {
    const site = await createSite();
    const noon = Date.parse(`${today()}T12:00:00+08:00`) - D;
    await collect(site, [ev({ v: 'nul1', ss: 'a', ts: noon, q: { ch: 'baidu_sem\u00002020-01-01\u0000' } }), ev({ v: 'nul1', ss: 'a', ts: noon + 60_000, t: 'consult', c: 'chat' })]);
    const from = dayOf(noon - D);
    for (const model of ['last', 'linear', 'position', 'time_decay']) {
      const rows = by(await report(site, model, from));
      expect(Object.keys(rows), model).toEqual(['baidu_sem2020-01-01']);
      expect(rows['baidu_sem2020-01-01'], model).toMatchObject({ visitors: 1, consults: 1 });
    }
    // Nothing was written under a day the code named.
    const old = await call(`/api/v1/reports/channels?site=${site}&from=2020-01-01&to=2020-01-01&attribution=linear`, { token: ADMIN });
    expect(((await old.json()) as { rows: Row[] }).rows).toEqual([]);
  });

  it('keeps credit_days whole when the attribution window changes between two folds of a visitor', async () => {
    // The fold subtracts a visitor's old contributions before adding the new: it must
    // subtract them with the window they were added with, not the site's new one.
    const site = await createSite({ attributionDays: 30 });
    const noon = Date.parse(`${today()}T12:00:00+08:00`) - D;
    await collect(site, [ev({ v: 'w2', ss: 'a', ts: noon - 3 * D, q: { ch: 'baidu_sem' } })]);
    await collect(site, [ev({ v: 'w2', ss: 'b', ts: noon, t: 'consult', c: 'chat' })]);
    expect((await call(`/api/v1/admin/sites/${site}`, { method: 'PATCH', token: ADMIN, json: { attributionDays: 1 } })).status).toBe(200);
    // A late direct view the day before the consult: it re-links the consult day's chain.
    await collect(site, [ev({ v: 'w2', ss: 'c', ts: noon - D })]);
    const negative = (await storedCredit(env.DB, site)).filter((r) => r.slice(4).some((x) => (x as number) < -1e-9));
    expect(negative).toEqual([]);
    // From the late view's day: the visitor's first day in range is that direct view.
    const rows = by(await report(site, 'linear', dayOf(noon - D)));
    expect(rows.direct).toMatchObject({ visitors: 1, views: 1, consults: 1 });
    expect(rows.baidu_sem?.visitors ?? 0).toBe(0);
  });

  it('answers a series and a CSV, and refuses other groupings and a half-life outside 1..365 with a clear 400', async () => {
    const site = await createSite();
    await collect(site, [ev({ v: 'c1', ss: 'a', q: { ch: 'wechat' } }), ev({ v: 'c1', ss: 'a', t: 'consult', c: 'chat' })]);
    const series = await report(site, 'position', today(), '&period=day');
    expect(series).toEqual([expect.objectContaining({ period: today(), channel: 'wechat', visitors: 1, consults: 1 })]);
    const csv = await call(`/api/v1/reports/channels?site=${site}&from=${today()}&to=${today()}&attribution=time_decay&format=csv`, { token: ADMIN });
    expect(csv.status).toBe(200);
    expect(await csv.text()).toMatch(/\r?\nwechat,/);
    for (const h of [0, 366, 1.5, '7']) {
      const res = await call(`/api/v1/admin/sites/${site}`, { method: 'PATCH', token: ADMIN, json: { halfLifeDays: h } });
      expect(res.status).toBe(400);
    }
    for (const g of ['campaign', 'promoter', 'store']) {
      const res = await call(`/api/v1/reports/channels?site=${site}&from=${today()}&to=${today()}&attribution=linear&by=${g}`, { token: ADMIN });
      expect(res.status).toBe(400);
      expect(await res.json()).toMatchObject({ error: { code: 'invalid_parameter', message: expect.stringMatching(/by=channel/) } });
    }
  });
});

/** Rows in a stable order with sums to 9 decimals (floats summed in another order). */
const norm = (rows: unknown[][]) => rows.map((r) => JSON.stringify(r.map((x) => (typeof x === 'number' ? Math.round(x * 1e9) / 1e9 : x)))).sort();

describe('the fold against a recomputation', () => {
  it('agrees with credit_days from scratch over random journeys, batches, orders and redeliveries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({
          v: fc.integer({ min: 0, max: 4 }), t: fc.constantFrom('view', 'view', 'dwell', 'consult', 'appointment'),
          dt: fc.integer({ min: 0, max: 6 * D }), ch: fc.constantFrom(undefined, 'wechat', 'baidu_sem', 'weibo'),
        }), { minLength: 1, maxLength: 20 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (journey, perBatch, redeliver) => {
          const site = await createSite({ attributionDays: 2, halfLifeDays: 1 });
          const base = Date.now() - 6 * D - H;
          const msgs = [];
          for (const j of journey) {
            const e: WireEvent = ev({
              v: `p${j.v}`, ss: `s${j.v}-${Math.floor(j.dt / (4 * H))}`, ts: base + j.dt, t: j.t as WireEvent['t'],
              ...(j.t === 'view' && j.ch ? { q: { ch: j.ch } } : {}), ...(j.t === 'dwell' ? { d: 1000 } : {}),
              ...(j.t === 'consult' ? { c: 'chat' } : {}), ...(j.t === 'appointment' ? { p: { store: 'x' } } : {}),
            });
            msgs.push({ id: msgId(), body: await message(site, [e]) });
          }
          for (let i = 0; i < msgs.length; i += perBatch) await deliver(msgs.slice(i, i + perBatch));
          if (redeliver) await deliver(msgs.slice(0, perBatch).map((m) => ({ ...m, attempts: 2 })));
          const s = (await getSite(env.DB, site))!;
          expect(norm(await storedCredit(env.DB, site))).toEqual(norm(await recomputedCredit(env.DB, s)));
        },
      ),
      { numRuns: 20 },
    );
  }, 90_000);

  it('agrees past the 32 touches a path keeps: the oldest leaves and the visitor\'s conversions are shared again without it', async () => {
    const site = await createSite({ attributionDays: 30, halfLifeDays: 7 });
    const base = Date.now() - 3 * D;
    const channels = ['wechat', 'baidu_sem', 'weibo'];
    // A consult after the first touch, then 34 more landings in their own sessions and a late consult.
    const events: WireEvent[] = [ev({ v: 'many', ss: 's-0', ts: base, q: { ch: 'douyin_live' } }), ev({ v: 'many', ss: 's-0', ts: base + 1000, t: 'consult', c: 'chat' })];
    for (let i = 1; i <= 34; i++) events.push(ev({ v: 'many', ss: `s-${i}`, ts: base + i * H, q: { ch: channels[i % 3] } }));
    events.push(ev({ v: 'many', ss: 's-34', ts: base + 35 * H, t: 'consult', c: 'chat' }));
    for (let i = 0; i < events.length; i += 6) await deliver([{ id: msgId(), body: await message(site, events.slice(i, i + 6)) }]);
    const s = (await getSite(env.DB, site))!;
    expect(norm(await storedCredit(env.DB, site))).toEqual(norm(await recomputedCredit(env.DB, s)));
    // The first touch left the path: its channel keeps no credit.
    const rows = by(await report(site, 'linear', dayOf(base)));
    expect(rows.douyin_live?.consults ?? 0).toBe(0);
  }, 60_000);
});
