// The rollups: replays add nothing, repeats inside a batch count once, and the
// fold's incremental differences agree with a from-scratch recomputation out of
// the stored events. The per-visitor day rows live in each visitor's ledger
// (visitors.ledger, worker/ingest/ledger.ts) since 0008 dropped visitor_days and
// sku_visitor_days; the aggregates the reports read (touch_days, sku_chains) are unchanged.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { recomputedRollups, storedRollups } from '../../worker/rollups/recompute';
import type { ChunkLine } from '../../worker/archive/chunks';
import type { Ledger } from '../../worker/ingest/ledger';
import { call, createSite, createToken, storedEvents } from './helpers';
import { at, DAY_MS, postCf, postOk, shanghaiDay } from './report-fixtures';

let site: string;
const D = shanghaiDay(1);
const t = D.start + 12 * 3600_000;
const sort = (rows: unknown[]) => rows.map((r) => JSON.stringify(r)).sort();

const batch = [
  at(t, 'r1', { q: { ch: 'wechat', pr: 'p7' }, k: 'S1' }),
  at(t, 'r1', { t: 'dwell', k: 'S1', d: 12_345 }),
  at(t, 'r1', { t: 'consult', c: 'chat', k: 'S1' }),
  at(t, 'r2', { q: { utm_source: 'baidu', utm_medium: 'cpc', utm_campaign: 'spring' } }),
  at(t, 'r2', { t: 'appointment', p: { sku: 'S2' } }),
  at(t, 'r3', { k: 'S1' }),
];

interface DayRowOf { visitor_id: string; day: string; last_channel: string; last_campaign: string; last_promoter: string;
  first_channel: string; first_campaign: string; first_promoter: string; views: number; consults: number; appointments: number }
interface SkuRowOf { visitor_id: string; day: string; region: string; city: string; s: string; views: number; dwell_ms: number; consults: number; appointments: number }

/** Every visitor's ledger rows, named: what visitor_days and sku_visitor_days held. */
async function ledgerRows(siteKey: string): Promise<{ days: DayRowOf[]; skus: SkuRowOf[] }> {
  const { results } = await env.DB.prepare('SELECT visitor_id, ledger FROM visitors WHERE site_key = ?1').bind(siteKey).all<{ visitor_id: string; ledger: string | null }>();
  const days: DayRowOf[] = [];
  const skus: SkuRowOf[] = [];
  for (const { visitor_id, ledger } of results) {
    const l = JSON.parse(ledger ?? '{"d":[],"k":[]}') as Ledger;
    for (const [day, lc, lk, lp, fc, fk, fp, views, consults, appointments] of l.d) {
      days.push({ visitor_id, day, last_channel: lc, last_campaign: lk, last_promoter: lp, first_channel: fc, first_campaign: fk, first_promoter: fp, views, consults, appointments });
    }
    for (const [day, region, city, sku, views, dwell_ms, consults, appointments] of l.k) {
      skus.push({ visitor_id, day, region, city, s: sku, views, dwell_ms, consults, appointments });
    }
  }
  return { days, skus };
}

/**
 * The same rows counted by hand out of the stored events (the chunks): one per
 * visitor, day and credited touch pair; one per visitor, day, place and SKU.
 */
function expectedRows(events: ChunkLine[]): { days: DayRowOf[]; skus: SkuRowOf[] } {
  const days = new Map<string, DayRowOf>();
  const skus = new Map<string, SkuRowOf>();
  for (const e of events) {
    const d: DayRowOf = {
      visitor_id: e.visitor, day: e.day, last_channel: e.channel, last_campaign: e.campaign ?? '', last_promoter: e.promoter ?? '',
      first_channel: e.first_channel, first_campaign: e.first_campaign ?? '', first_promoter: e.first_promoter ?? '', views: 0, consults: 0, appointments: 0,
    };
    const dk = JSON.stringify(Object.values(d).slice(0, 8));
    const dr = days.get(dk) ?? days.set(dk, d).get(dk)!;
    dr.views += +(e.type === 'view');
    dr.consults += +(e.type === 'consult');
    dr.appointments += +(e.type === 'appointment');
    const named = (e.data?.p as Record<string, unknown> | undefined)?.sku;
    const sku = e.sku ?? (e.type === 'appointment' && typeof named === 'string' && named ? named : null);
    if (!sku) continue;
    const k: SkuRowOf = { visitor_id: e.visitor, day: e.day, region: e.region ?? '', city: e.city ?? '', s: sku, views: 0, dwell_ms: 0, consults: 0, appointments: 0 };
    const kk = JSON.stringify(Object.values(k).slice(0, 5));
    const kr = skus.get(kk) ?? skus.set(kk, k).get(kk)!;
    kr.views += +(e.type === 'view');
    kr.dwell_ms += e.type === 'dwell' && typeof e.data?.d === 'number' && e.data.d > 0 ? Math.round(e.data.d) : 0;
    kr.consults += +(e.type === 'consult');
    kr.appointments += +(e.type === 'appointment');
  }
  return { days: [...days.values()], skus: [...skus.values()] };
}

/** Replays the fold dropped for the site (ingest_days). */
async function foldDuplicates(siteKey: string): Promise<number> {
  return (await env.DB.prepare('SELECT coalesce(SUM(duplicates), 0) AS n FROM ingest_days WHERE site_key = ?1').bind(siteKey).first<{ n: number }>())!.n;
}

beforeAll(async () => {
  site = await createSite();
  await postOk(site, batch, { region: 'Sichuan', city: 'Chengdu' });
});

describe('rollups', () => {
  it('keeps one day row per visitor and touch, and SKU rows per visitor and SKU, in the visitors\' ledgers', async () => {
    const { days: visitorDays, skus: skuVisitorDays } = await ledgerRows(site);
    expect(visitorDays).toHaveLength(3);
    expect(visitorDays.find((r) => r.visitor_id === 'r1')).toMatchObject({ day: D.day, last_channel: 'wechat', last_promoter: 'p7', views: 1, consults: 1, appointments: 0 });
    expect(visitorDays.find((r) => r.visitor_id === 'r2')).toMatchObject({ day: D.day, last_channel: 'baidu_cpc', last_campaign: 'spring', views: 1, consults: 0, appointments: 1 });
    expect(sort(skuVisitorDays.map(({ s, visitor_id, views, dwell_ms, consults, appointments, region }) => ({ s, visitor_id, views, dwell_ms, consults, appointments, region })))).toEqual(sort([
      { s: 'S1', visitor_id: 'r1', views: 1, dwell_ms: 12_345, consults: 1, appointments: 0, region: 'Sichuan' },
      { s: 'S2', visitor_id: 'r2', views: 0, dwell_ms: 0, consults: 0, appointments: 1, region: 'Sichuan' },
      { s: 'S1', visitor_id: 'r3', views: 1, dwell_ms: 0, consults: 0, appointments: 0, region: 'Sichuan' },
    ]));
  });

  // The answer no longer knows a replay across requests (issue 16: duplicates counts
  // what the request itself repeats); the fold drops it and counts it in ingest_days.
  it('adds nothing for a replayed batch', async () => {
    const before = await storedRollups(env.DB, site);
    const ledgersBefore = await ledgerRows(site);
    const dups = await foldDuplicates(site);
    const res = await postCf(site, batch, { region: 'Sichuan', city: 'Chengdu' });
    expect(await res.json()).toMatchObject({ accepted: batch.length, duplicates: 0 });
    expect(await foldDuplicates(site)).toBe(dups + batch.length);
    expect(await storedRollups(env.DB, site)).toEqual(before);
    expect(await ledgerRows(site)).toEqual(ledgersBefore);
  });

  it('counts an event repeated inside one batch once', async () => {
    const e = at(t, 'r4', { k: 'S3' });
    await postOk(site, [e, e, { ...e }]);
    const { days: visitorDays, skus: skuVisitorDays } = await ledgerRows(site);
    expect(visitorDays.filter((r) => r.visitor_id === 'r4')).toEqual([expect.objectContaining({ views: 1 })]);
    expect(skuVisitorDays.filter((r) => r.visitor_id === 'r4')).toEqual([expect.objectContaining({ views: 1 })]);
  });

  it('counts a batch delivered three times at once exactly once', async () => {
    const twin = [at(t, 'r5', { k: 'S4', q: { ch: 'douyin' } }), at(t, 'r5', { t: 'dwell', k: 'S4', d: 7_000 })];
    const dups = await foldDuplicates(site);
    const answers = await Promise.all([1, 2, 3].map(async () => (await postCf(site, twin)).json() as Promise<{ duplicates: number }>));
    // Each request is whole in itself; the fold keeps one of the three and drops the others' four events.
    expect(answers.map((a) => a.duplicates)).toEqual([0, 0, 0]);
    expect(await foldDuplicates(site)).toBe(dups + 4);
    const ids = new Set(twin.map((e) => e.i));
    expect((await storedEvents(site)).filter((e) => ids.has(e.id))).toHaveLength(2);
    const { days: visitorDays, skus: skuVisitorDays } = await ledgerRows(site);
    expect(visitorDays.filter((r) => r.visitor_id === 'r5')).toEqual([expect.objectContaining({ views: 1, last_channel: 'douyin' })]);
    expect(skuVisitorDays.filter((r) => r.visitor_id === 'r5')).toEqual([expect.objectContaining({ views: 1, dwell_ms: 7_000 })]);
  });

  it('agrees with the from-scratch recomputation', async () => {
    // Over four days: sku_chains holds only a visitor's repeat days (prev <> '', migration 0009).
    const more = Array.from({ length: 40 }, (_, i) => at(t + i * 60_000 - (i % 4) * DAY_MS, `m${i % 7}`, i % 5 === 0
      ? { t: 'dwell', k: `K${i % 3}`, d: 1000 + i }
      : i % 11 === 0 ? { t: 'consult', c: 'qq', k: `K${i % 3}` } : { k: i % 2 ? `K${i % 3}` : undefined, q: i % 9 === 0 ? { ch: 'zhihu' } : undefined }));
    await postOk(site, more, { region: 'Hubei', city: 'Wuhan' });
    await postOk(site, more.slice(0, 10)); // a partial replay
    const stored = await storedRollups(env.DB, site);
    const again = await recomputedRollups(env.DB, site);
    const ledgers = await ledgerRows(site);
    const byHand = expectedRows(await storedEvents(site));
    expect(sort(ledgers.days)).toEqual(sort(byHand.days));
    expect(sort(ledgers.skus)).toEqual(sort(byHand.skus));
    expect(sort(stored.touchDays)).toEqual(sort(again.touchDays));
    expect(sort(stored.skuChains)).toEqual(sort(again.skuChains));
    expect(ledgers.days.length).toBeGreaterThan(5);
    expect(stored.skuChains.length).toBeGreaterThan(5);
  });

  it('keeps distinct counts exact when a late event lands between two earlier days', async () => {
    const late = await createSite();
    const day = (n: number) => shanghaiDay(n);
    const noon = (n: number) => day(n).start + 12 * 3600_000;
    // Visitor L on days −5 and −1 (wechat), consults on −1; then a late batch for day −3 with a consult.
    await postOk(late, [at(noon(5), 'L', { q: { ch: 'wechat' } }), at(noon(1), 'L', {}), at(noon(1), 'L', { t: 'consult', c: 'qq' })]);
    await postOk(late, [at(noon(3), 'L', {}), at(noon(3), 'L', { t: 'consult', c: 'qq' })]);
    await postOk(late, [at(noon(3), 'M', { q: { ch: 'wechat' } })]);
    const stored = await storedRollups(env.DB, late);
    const again = await recomputedRollups(env.DB, late);
    expect(sort(stored.touchDays)).toEqual(sort(again.touchDays));
    const token = await createToken('report', [late]);
    const wechat = async (from: number, to: number) => {
      const res = await call(`/api/v1/reports/channels?site=${late}&from=${day(from).day}&to=${day(to).day}`, { token });
      const { rows } = (await res.json()) as { rows: Record<string, unknown>[] };
      return rows.find((r) => r.channel === 'wechat');
    };
    // Hand-counted: visitors L and M; L's views on −5, −3, −1; L's consults on −3 and −1.
    expect(await wechat(5, 1)).toMatchObject({ visitors: 2, views: 4, consults: 1 });
    expect(await wechat(3, 1)).toMatchObject({ visitors: 2, views: 3, consults: 1 });
    expect(await wechat(2, 1)).toMatchObject({ visitors: 1, views: 1, consults: 1 });
    expect(await wechat(5, 4)).toMatchObject({ visitors: 1, views: 1, consults: 0 });
  });
});
