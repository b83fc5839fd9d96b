// The ingest queue's consumer, driven as Queues drive it: whole batches
// redelivered, one visitor's requests in concurrent messages and in batches
// out of order, a fold that fails mid-way, a poisoned message, the rows D1
// bills per page view, and the fold against a from-scratch recomputation.
import { env } from 'cloudflare:test';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WireEvent } from '../../protocol/wire';
import { recomputedRollups, storedRollups } from '../../worker/rollups/recompute';
import { getSite } from '../../worker/db/sites';
import { commitFold } from '../../worker/ingest/commit';
import { jsonParts, MAX_PARAM_BYTES } from '../../worker/rollups/statements';
import type { Env } from '../../worker/env';
import { call, createSite, createToken, ev, post, storedEvents, today } from './helpers';
import { deliver, message, msgId } from './queue-fixtures';

const visitor = async (site: string, id: string) =>
  env.DB.prepare('SELECT * FROM visitors WHERE site_key = ?1 AND visitor_id = ?2').bind(site, id).first<Record<string, unknown>>();

async function channels(site: string, by = 'channel', attribution = 'last') {
  const token = await createToken('report', [site]);
  const res = await call(`/api/v1/reports/channels?site=${site}&from=${today()}&to=${today()}&by=${by}&attribution=${attribution}`, { token });
  expect(res.status).toBe(200);
  return ((await res.json()) as { rows: Record<string, number | string>[] }).rows;
}

const sorted = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

describe('the fold under redelivery', () => {
  it('counts a whole batch redelivered once, and says so in ingest_days', async () => {
    const site = await createSite();
    const now = Date.now();
    const m1 = { id: msgId(), body: await message(site, [ev({ v: 'r1', ss: 's1', ts: now - 5000, q: { ch: 'wechat' }, k: 'SOFA' }), ev({ v: 'r1', ss: 's1', ts: now - 4000, t: 'consult', c: 'chat', k: 'SOFA' })]) };
    const m2 = { id: msgId(), body: await message(site, [ev({ v: 'r2', ss: 's2', ts: now - 3000, q: { ch: 'baidu_sem' } })]) };
    const first = await deliver([m1, m2]);
    expect(first.explicitAcks.sort()).toEqual([m1.id, m2.id].sort());
    const after = await storedRollups(env.DB, site);
    const again = await deliver([{ ...m1, attempts: 2 }, { ...m2, attempts: 2 }]);
    expect(again.explicitAcks).toHaveLength(2);
    expect(await storedRollups(env.DB, site)).toEqual(after);
    expect(await storedEvents(site)).toHaveLength(3);
    const stats = await env.DB.prepare('SELECT SUM(messages) AS m, SUM(events) AS e, SUM(duplicates) AS d FROM ingest_days WHERE site_key = ?1').bind(site).first();
    expect(stats).toEqual({ m: 4, e: 6, d: 3 });
    const rows = await channels(site);
    expect(rows.find((r) => r.channel === 'wechat')).toMatchObject({ visitors: 1, views: 1, consults: 1 });
  });

  it('drops a browser replay that comes in a later request mixed with new events', async () => {
    const site = await createSite();
    const view = ev({ v: 'b1', ss: 's1', q: { ch: 'douyin' }, k: 'BED' });
    await deliver([{ id: msgId(), body: await message(site, [view]) }]);
    const dwell = ev({ v: 'b1', ss: 's1', t: 'dwell', d: 30_000, k: 'BED' });
    await deliver([{ id: msgId(), body: await message(site, [view, dwell]) }]);
    const events = await storedEvents(site);
    expect(events.map((e) => e.type)).toEqual(['view', 'dwell']);
    expect((await channels(site)).find((r) => r.channel === 'douyin')).toMatchObject({ visitors: 1, views: 1 });
  });
});

describe('one visitor in concurrent requests', () => {
  it('credits a consult to the landing sent 10 ms earlier in another request, whatever order they are queued in', async () => {
    const site = await createSite();
    const now = Date.now() - 1000;
    const msgs = [];
    for (let i = 0; i < 20; i++) {
      const v = `c${i}`;
      const landing = { id: msgId(), body: await message(site, [ev({ v, ss: `s${i}`, ts: now, q: { ch: 'baidu_sem' } })]) };
      const consult = { id: msgId(), body: await message(site, [ev({ v, ss: `s${i}`, ts: now + 10, t: 'consult', c: 'phone' })]) };
      msgs.push(...(i % 2 ? [consult, landing] : [landing, consult])); // half arrive consult-first
    }
    await deliver(msgs);
    const consults = (await storedEvents(site)).filter((e) => e.type === 'consult');
    expect(consults).toHaveLength(20);
    expect(consults.every((e) => e.channel === 'baidu_sem')).toBe(true);
    expect((await channels(site)).find((r) => r.channel === 'baidu_sem')).toMatchObject({ visitors: 20, consults: 20 });
  });

  it('keeps the earliest landing as the first touch and never rewinds the last, when two landings fold in reverse order', async () => {
    const site = await createSite();
    const now = Date.now() - 60_000;
    for (let i = 0; i < 10; i++) {
      const v = `l${i}`;
      const early = await message(site, [ev({ v, ss: `s${i}`, ts: now, q: { ch: 'weibo' } })]);
      const late = await message(site, [ev({ v, ss: `t${i}`, ts: now + 30_000, q: { ch: 'wechat' } })]);
      // Two folds: the later landing first (its request was folded first), then the earlier one.
      await deliver([{ id: msgId(), body: late }]);
      await deliver([{ id: msgId(), body: early }]);
      expect(await visitor(site, v)).toMatchObject({ first_channel: 'weibo', first_at: now, last_channel: 'wechat', last_at: now + 30_000 });
    }
  });
});

describe('a fold that fails', () => {
  it('keeps nothing of a failed fold, asks for the batch again, and folds it once when redelivered', async () => {
    const site = await createSite();
    const m = { id: msgId(), body: await message(site, [ev({ v: 'x1', ss: 's1', q: { ch: 'zhihu' }, k: 'TABLE' })]) };
    // The fold's last statement writes ingest_days: without the table the whole transaction fails.
    await env.DB.exec('ALTER TABLE ingest_days RENAME TO ingest_days_away');
    let out;
    try {
      out = await deliver([m]);
    } finally {
      await env.DB.exec('ALTER TABLE ingest_days_away RENAME TO ingest_days');
    }
    expect(out.explicitAcks).toEqual([]);
    expect(out.retryMessages.map((r) => r.msgId)).toEqual([m.id]);
    expect(await visitor(site, 'x1')).toBeNull();
    expect(await storedEvents(site)).toEqual([]);
    expect(await storedRollups(env.DB, site)).toEqual({ touchDays: [], skuChains: [], skuTotals: [], skuPairs: [] });
    // The archive holds committed folds only: the failed fold took its object back.
    const archived = async () => (await env.ARCHIVE.list({ prefix: `events/site=${site}/` })).objects.length;
    expect(await archived()).toBe(0);

    const again = await deliver([{ ...m, attempts: 2 }]);
    expect(again.explicitAcks).toEqual([m.id]);
    expect(await storedEvents(site)).toHaveLength(1);
    expect(await archived()).toBe(1);
    expect((await channels(site)).find((r) => r.channel === 'zhihu')).toMatchObject({ visitors: 1, views: 1 });
  });

  it('aborts a fold whose visitors moved since it read them (a concurrent fold), and keeps the other fold', async () => {
    const site = await createSite();
    const s = (await getSite(env.DB, site))!;
    const a = await message(site, [ev({ v: 'cc', ss: 's1', q: { ch: 'weibo' } })]);
    await commitFold(env as unknown as Env, s, [a], ['a']);
    const before = await visitor(site, 'cc');
    // A fold that read the row before `a` was written: simulate by bumping the version under it.
    const b = await message(site, [ev({ v: 'cc', ss: 's1', t: 'consult', c: 'chat' })]);
    await env.DB.prepare('UPDATE visitors SET version = version + 1 WHERE site_key = ?1 AND visitor_id = ?2').bind(site, 'cc').run();
    const stale = { ...before, version: before!.version };
    // D1 reports the check's deliberate json() error as malformed JSON: the whole batch is refused.
    await expect(commitFoldWithRead(s, b, stale)).rejects.toThrow(/malformed JSON/);
    expect((await visitor(site, 'cc'))!.ledger).toBe(before!.ledger);
  });

  it('sets a malformed message aside in the dead-letter queue and folds the rest of its batch', async () => {
    const site = await createSite();
    const good = { id: msgId(), body: await message(site, [ev({ v: 'g1', ss: 's1', q: { ch: 'weibo' } })]) };
    const poison = { id: msgId(), body: { v: 99, site, events: 'nope' } };
    const unknownSite = { id: msgId(), body: { ...(await message(site, [ev({ v: 'g2', ss: 's2' })])), site: 'no-such-site' } };
    const out = await deliver([poison, good, unknownSite]);
    expect(out.explicitAcks.sort()).toEqual([poison.id, good.id, unknownSite.id].sort());
    expect(out.retryMessages).toEqual([]);
    expect((await storedEvents(site)).map((e) => e.visitor)).toEqual(['g1']);
    // The dead-letter queue's consumer archives both to R2, each with why it was set aside.
    const day = new Date().toISOString().slice(0, 10);
    const deadline = Date.now() + 10_000;
    let bodies: { body: { id: string; reason: string } }[] = [];
    while (Date.now() < deadline) {
      const res = await call(`/api/v1/admin/dead-letters?day=${day}`, { token: 'test-admin-token' });
      bodies = ((await res.json()) as { letters: { body: { body: { id: string; reason: string } } }[] }).letters.map((l) => l.body);
      if ([poison.id, unknownSite.id].every((id) => bodies.some((b) => b.body.id === id))) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(bodies.find((b) => b.body.id === poison.id)?.body.reason).toMatch(/version/);
    expect(bodies.find((b) => b.body.id === unknownSite.id)?.body.reason).toMatch(/not registered/);
  });
});

/** commitFold, but with a visitor read taken before another fold moved it. */
async function commitFoldWithRead(site: NonNullable<Awaited<ReturnType<typeof getSite>>>, msg: Awaited<ReturnType<typeof message>>, read: Record<string, unknown>) {
  const { fold } = await import('../../worker/ingest/fold');
  const { versionCheck, writeVisitors } = await import('../../worker/ingest/fold-sql');
  const out = fold(site, new Map([[read.visitor_id as string, read as never]]), [msg]);
  return env.DB.batch([versionCheck(env.DB, site.siteKey, out.visitors), ...writeVisitors(env.DB, site.siteKey, out.visitors)]);
}

describe('a fold at the queue\'s largest', () => {
  it('splits JSON parameters under D1\'s string limit without splitting a visitor', () => {
    const rows = Array.from({ length: 30_000 }, (_, i) => [1, `visitor-${Math.floor(i / 7)}`, 'x'.repeat(40)]);
    const parts = jsonParts(rows, (r) => r[1]);
    expect(parts.length).toBeGreaterThan(1);
    const seen = new Map<unknown, number>();
    parts.forEach((p, i) => {
      expect(p.length).toBeLessThanOrEqual(MAX_PARAM_BYTES);
      for (const r of JSON.parse(p) as unknown[][]) {
        expect(seen.get(r[1]) ?? i).toBe(i); // a visitor's rows all in one part
        seen.set(r[1], i);
      }
    });
    expect(parts.flatMap((p) => JSON.parse(p))).toEqual(rows);
  });

  it('folds 100 full messages of 50 events for 5,000 distinct visitors in one commit', async () => {
    const site = await createSite();
    const s = (await getSite(env.DB, site))!;
    const msgs = [];
    for (let m = 0; m < 100; m++) {
      msgs.push(await message(site, Array.from({ length: 50 }, (_, i) => ev({ v: `f${m}-${i}-${'v'.repeat(40)}`, ss: 's', q: { ch: 'wechat', utm_campaign: 'c'.repeat(200) }, k: `K${i}` }))));
    }
    const out = await commitFold(env as unknown as Env, s, msgs, msgs.map((_, i) => `full${i}`));
    expect(out).toMatchObject({ events: 5000, duplicates: 0 });
    const n = await env.DB.prepare('SELECT COUNT(*) AS n FROM visitors WHERE site_key = ?1').bind(site).first<{ n: number }>();
    expect(n!.n).toBe(5000);
    expect((await channels(site)).find((r) => r.channel === 'wechat')).toMatchObject({ visitors: 5000, views: 5000 });
  }, 120_000);
});

describe('rows D1 bills', () => {
  /**
   * Returning visitors' SKU page views (a view, a consult 20 s later, a dwell at
   * 60 s: three requests each) in arrival order, folded 100 messages at a time;
   * `spread` is the gap between one visitor's page view and the next visitor's.
   */
  async function rowsPerPageView(spreadMs: number): Promise<{ perView: number; folds: number }> {
    const site = await createSite();
    const s = (await getSite(env.DB, site))!;
    // From 09:00 yesterday, Shanghai: the 10 hours of the quiet case stay in one local day.
    const now = Date.parse(`${today()}T09:00:00+08:00`) - 86_400_000;
    const N = 200;
    const seed = [];
    for (let i = 0; i < N; i++) seed.push(await message(site, [ev({ v: `rv${i}`, ss: `a${i}`, ts: now - 86_400_000, q: { ch: i % 3 ? 'baidu_sem' : 'wechat' }, k: `SKU${i % 7}` })]));
    await commitFold(env as unknown as Env, s, seed, seed.map((_, i) => `seed${i}`));
    const stream: { at: number; e: WireEvent }[] = [];
    for (let i = 0; i < N; i++) {
      const v = `rv${i}`;
      const k = `SKU${i % 7}`;
      const t0 = now + i * spreadMs;
      stream.push({ at: t0, e: ev({ v, ss: `b${i}`, ts: t0, u: `/sku/${k}`, k }) });
      stream.push({ at: t0 + 20_000, e: ev({ v, ss: `b${i}`, ts: t0 + 20_000, t: 'consult', c: 'chat', k }) });
      stream.push({ at: t0 + 60_000, e: ev({ v, ss: `b${i}`, ts: t0 + 60_000, t: 'dwell', d: 45_000, k }) });
    }
    stream.sort((a, b) => a.at - b.at);
    const msgs = [];
    for (const x of stream) msgs.push(await message(site, [x.e]));
    let rows = 0;
    let folds = 0;
    for (let i = 0; i < msgs.length; i += 100, folds++) {
      rows += (await commitFold(env as unknown as Env, s, msgs.slice(i, i + 100), msgs.slice(i, i + 100).map((_, j) => `b${i + j}`))).rowsWritten;
    }
    return { perView: rows / N, folds };
  }

  it('writes at most 3 rows per SKU page view when its requests fold together, and under 5 when each folds apart (D1 meta)', async () => {
    // Quiet traffic: a visitor every 3 minutes, so a page view's three requests share a fold.
    const together = await rowsPerPageView(180_000);
    // Busy traffic: a visitor every 300 ms, so 100 messages span 10 s and the three requests fold apart.
    const apart = await rowsPerPageView(300);
    console.log(`rows written per SKU page view: ${together.perView.toFixed(2)} folded together, ${apart.perView.toFixed(2)} folded apart`);
    expect(together.perView).toBeLessThanOrEqual(3);
    // One visitor row per fold that saw the visitor is the floor here: three folds, three rows.
    expect(apart.perView).toBeLessThan(5);
  }, 120_000);
});

describe('the fold against a recomputation', () => {
  it('agrees with the from-scratch aggregates over random journeys, batches, orders and redeliveries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({
          v: fc.integer({ min: 0, max: 5 }), t: fc.constantFrom('view', 'dwell', 'consult', 'appointment', 'track'),
          dt: fc.integer({ min: 0, max: 9 * 86_400_000 }), ch: fc.constantFrom(undefined, 'wechat', 'baidu_sem', 'weibo'),
          k: fc.constantFrom(undefined, 'S1', 'S2'), region: fc.constantFrom('Shanghai', 'Beijing'),
        }), { minLength: 1, maxLength: 24 }),
        fc.integer({ min: 1, max: 4 }),
        fc.boolean(),
        async (journey, perBatch, redeliver) => {
          const site = await createSite();
          const base = Date.now() - 6 * 86_400_000;
          const msgs = [];
          for (const j of journey) {
            const e: WireEvent = ev({
              v: `p${j.v}`, ss: `s${j.v}`, ts: base + j.dt - 3 * 86_400_000, t: j.t as WireEvent['t'], k: j.k,
              ...(j.t === 'view' && j.ch ? { q: { ch: j.ch } } : {}), ...(j.t === 'dwell' ? { d: 1000 + (j.dt % 50_000) } : {}),
              ...(j.t === 'consult' ? { c: 'chat' } : {}), ...(j.t === 'track' ? { n: 'x' } : {}),
            });
            msgs.push({ id: msgId(), body: await message(site, [e], { country: 'CN', region: j.region, city: j.region }) });
          }
          for (let i = 0; i < msgs.length; i += perBatch) await deliver(msgs.slice(i, i + perBatch));
          if (redeliver) await deliver(msgs.slice(0, perBatch).map((m) => ({ ...m, attempts: 2 })));
          const stored = await storedRollups(env.DB, site);
          const fresh = await recomputedRollups(env.DB, site);
          expect(sorted(stored.touchDays)).toEqual(sorted(fresh.touchDays));
          expect(sorted(stored.skuChains)).toEqual(sorted(fresh.skuChains));
          expect(sorted(stored.skuTotals)).toEqual(sorted(fresh.skuTotals));
          expect(sorted(stored.skuPairs)).toEqual(sorted(fresh.skuPairs));
        },
      ),
      { numRuns: 25 },
    );
  }, 60_000);
});

describe('what one request or one visitor can do to the fold', () => {
  const hostile = (n: number) => '"'.repeat(n);

  it('keeps a visitor\'s row under D1\'s limits however many long touches it sends, and every fold goes through', async () => {
    const site = await createSite();
    const s = (await getSite(env.DB, site))!;
    const results = [];
    for (let r = 0; r < 24; r++) {
      // 25 views a request, each a new channel with a campaign and a promoter of 240 quotes (they double when escaped).
      const m = await message(site, Array.from({ length: 25 }, (_, i) => ev({ v: 'greedy', ss: 's', q: { ch: `c${r}x${i}`, utm_campaign: hostile(240), pr: hostile(240) } })));
      results.push(await commitFold(env as unknown as Env, s, [m], [`g${r}`]));
    }
    expect(results.every((x) => x.events === 25 && x.duplicates === 0)).toBe(true);
    const row = await env.DB.prepare('SELECT length(ledger) AS n FROM visitors WHERE site_key = ?1 AND visitor_id = ?2').bind(site, 'greedy').first<{ n: number }>();
    expect(row!.n).toBeLessThan(2 * 96 * 1024 + 16 * 1024);
    expect((await channels(site)).reduce((n, r) => n + (r.views as number), 0)).toBe(600);
  }, 120_000);

  it('splits a body whose landings grow past the queue\'s 128 KB, and folds all of it', async () => {
    const site = await createSite();
    // 50 views with long channel, campaign and promoter values: a body under 64 KiB, a message over 128 KB.
    const e = Array.from({ length: 50 }, (_, i) => ev({ v: `big${i}`, ss: 's', q: { ch: `c${i}${'x'.repeat(200)}`, utm_campaign: hostile(240), pr: hostile(240) } }));
    const body = JSON.stringify({ s: site, e });
    expect(body.length).toBeLessThan(64 * 1024);
    const res = await post(body);
    expect(res.status).toBe(202);
    expect(Number(res.headers.get('o2o-queued'))).toBeGreaterThan(1);
    expect(await storedEvents(site)).toHaveLength(50);
  }, 60_000);

  it('refuses an appointment whose event id already made another visitor\'s lead: no code, no credit moved', async () => {
    const site = await createSite();
    const a = ev({ v: 'owner', ss: 's1', t: 'appointment', p: { budget: 10000 } });
    const first = (await (await post({ s: site, e: [ev({ v: 'owner', ss: 's1', q: { ch: 'weibo' } }), a] })).json()) as { leads: Record<string, string> };
    const code = first.leads[a.i];
    expect(code).toMatch(/^[2-9A-HJ-NP-Z]{6}$/);
    const thief = { ...a, v: 'thief', ss: 's2', ts: a.ts + 1 };
    const res = await post({ s: site, e: [ev({ v: 'thief', ss: 's2', q: { ch: 'douyin' } }), thief] });
    const out = (await res.json()) as { accepted: number; rejected: { id: string; code: string }[]; leads?: Record<string, string> };
    expect(out.leads?.[a.i]).toBeUndefined();
    expect(out.rejected).toEqual([expect.objectContaining({ id: a.i, code: 'id_taken' })]);
    expect(out.accepted).toBe(1);
    const lead = await env.DB.prepare('SELECT visitor_id, last_channel FROM leads WHERE site_key = ?1 AND code = ?2').bind(site, code).first();
    expect(lead).toEqual({ visitor_id: 'owner', last_channel: 'weibo' });
    // The owner's own replay still gets the code.
    const again = (await (await post({ s: site, e: [a] })).json()) as { leads: Record<string, string> };
    expect(again.leads[a.i]).toBe(code);
    const appts = (await channels(site)).reduce((n, r) => n + (r.appointments as number), 0);
    expect(appts).toBe(1);
  });
});
