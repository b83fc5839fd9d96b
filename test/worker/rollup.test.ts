// The rollups: replays add nothing, repeats inside a batch count once, and the
// incremental upserts agree with a from-scratch recomputation from raw events.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { recomputedRollups, storedRollups } from '../../worker/db/recompute';
import { call, createSite, createToken } from './helpers';
import { at, postCf, postOk, shanghaiDay } from './report-fixtures';

let site: string;
const D = shanghaiDay(1);
const t = D.start + 12 * 3600_000;
const sort = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();

const batch = [
  at(t, 'r1', { q: { ch: 'wechat', pr: 'p7' }, k: 'S1' }),
  at(t, 'r1', { t: 'dwell', k: 'S1', d: 12_345 }),
  at(t, 'r1', { t: 'consult', c: 'chat', k: 'S1' }),
  at(t, 'r2', { q: { utm_source: 'baidu', utm_medium: 'cpc', utm_campaign: 'spring' } }),
  at(t, 'r2', { t: 'appointment', p: { sku: 'S2' } }),
  at(t, 'r3', { k: 'S1' }),
];

beforeAll(async () => {
  site = await createSite();
  await postOk(site, batch, { region: 'Sichuan', city: 'Chengdu' });
});

describe('rollups', () => {
  it('stores one visitor-day row per visitor and touch, and SKU rows per visitor and SKU', async () => {
    const { visitorDays, skuVisitorDays } = await storedRollups(env.DB, site);
    expect(visitorDays).toHaveLength(3);
    expect(visitorDays.find((r) => r.visitor_id === 'r1')).toMatchObject({ day: D.day, last_channel: 'wechat', last_promoter: 'p7', views: 1, consults: 1, appointments: 0 });
    expect(sort(skuVisitorDays.map(({ s, visitor_id, views, dwell_ms, consults, appointments, region }) => ({ s, visitor_id, views, dwell_ms, consults, appointments, region })))).toEqual(sort([
      { s: 'S1', visitor_id: 'r1', views: 1, dwell_ms: 12_345, consults: 1, appointments: 0, region: 'Sichuan' },
      { s: 'S2', visitor_id: 'r2', views: 0, dwell_ms: 0, consults: 0, appointments: 1, region: 'Sichuan' },
      { s: 'S1', visitor_id: 'r3', views: 1, dwell_ms: 0, consults: 0, appointments: 0, region: 'Sichuan' },
    ]));
  });

  it('adds nothing for a replayed batch', async () => {
    const before = await storedRollups(env.DB, site);
    const res = await postCf(site, batch, { region: 'Sichuan', city: 'Chengdu' });
    expect(await res.json()).toMatchObject({ accepted: batch.length, duplicates: batch.length });
    expect(await storedRollups(env.DB, site)).toEqual(before);
  });

  it('counts an event repeated inside one batch once', async () => {
    const e = at(t, 'r4', { k: 'S3' });
    await postOk(site, [e, e, { ...e }]);
    const { visitorDays, skuVisitorDays } = await storedRollups(env.DB, site);
    expect(visitorDays.filter((r) => r.visitor_id === 'r4')).toEqual([expect.objectContaining({ views: 1 })]);
    expect(skuVisitorDays.filter((r) => r.visitor_id === 'r4')).toEqual([expect.objectContaining({ views: 1 })]);
  });

  it('counts a batch delivered three times at once exactly once', async () => {
    const twin = [at(t, 'r5', { k: 'S4', q: { ch: 'douyin' } }), at(t, 'r5', { t: 'dwell', k: 'S4', d: 7_000 })];
    const answers = await Promise.all([1, 2, 3].map(async () => (await postCf(site, twin)).json() as Promise<{ duplicates: number }>));
    expect(answers.map((a) => a.duplicates).sort()).toEqual([0, 2, 2]);
    const { visitorDays, skuVisitorDays } = await storedRollups(env.DB, site);
    expect(visitorDays.filter((r) => r.visitor_id === 'r5')).toEqual([expect.objectContaining({ views: 1, last_channel: 'douyin' })]);
    expect(skuVisitorDays.filter((r) => r.visitor_id === 'r5')).toEqual([expect.objectContaining({ views: 1, dwell_ms: 7_000 })]);
  });

  it('agrees with the from-scratch recomputation', async () => {
    const more = Array.from({ length: 40 }, (_, i) => at(t + i * 60_000, `m${i % 7}`, i % 5 === 0
      ? { t: 'dwell', k: `K${i % 3}`, d: 1000 + i }
      : i % 11 === 0 ? { t: 'consult', c: 'qq', k: `K${i % 3}` } : { k: i % 2 ? `K${i % 3}` : undefined, q: i % 9 === 0 ? { ch: 'zhihu' } : undefined }));
    await postOk(site, more, { region: 'Hubei', city: 'Wuhan' });
    await postOk(site, more.slice(0, 10)); // a partial replay
    const stored = await storedRollups(env.DB, site);
    const again = await recomputedRollups(env.DB, site);
    expect(sort(stored.visitorDays)).toEqual(sort(again.visitorDays));
    expect(sort(stored.skuVisitorDays)).toEqual(sort(again.skuVisitorDays));
    expect(sort(stored.touchDays)).toEqual(sort(again.touchDays));
    expect(sort(stored.skuChains)).toEqual(sort(again.skuChains));
    expect(stored.visitorDays.length).toBeGreaterThan(5);
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
