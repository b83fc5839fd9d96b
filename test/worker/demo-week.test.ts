// The demo week that `npm start` seeds (scripts/demo-week.mjs, demo-seed.mjs):
// the generator is deterministic and covers what it claims, the demo stores are
// named as the worker names places, and the seeding, run through the real
// worker twice, gives the same living week once.
import { env, SELF } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import seedSql from '../../worker/db/seed-demo.sql?raw';
import { CHANNELS, demoWeek, PLACES, SKUS } from '../../scripts/demo-week.mjs';
import { batchesOf, seedDemoWeek } from '../../scripts/demo-seed.mjs';
import { cityNames, placeCn, provinceNames } from '../../worker/attribution/regions-cn';
import { ADMIN, BASE } from './helpers';

const pages = import.meta.glob('../../examples/storefront/sku/*.html', { query: '?raw', import: 'default', eager: true }) as Record<string, string>;
const NOW = Date.parse('2026-12-04T06:30:00Z'); // 14:30 on a Friday in Shanghai
const DAY = 86_400_000;

type Visit = ReturnType<typeof demoWeek>['visits'][number];
const events = (visits: Visit[]) => visits.flatMap((v) => v.events);
/** The report's count of a stage: distinct visitors per channel (the visit's, as last touch), summed over channels. */
const distinct = (visits: Visit[], t: string) => new Set(visits.filter((v) => v.events.some((e) => e.t === t)).map((v) => `${v.who.visitor}:${v.channel}`)).size;

describe('the demo week generator', () => {
  const week = demoWeek(NOW);

  it('makes the same week every time, and a later run the same events for the days both cover', () => {
    expect(demoWeek(NOW)).toEqual(week);
    const later = demoWeek(NOW + 2 * DAY);
    expect(later.days.slice(0, 5)).toEqual(week.days.slice(2));
    const shared = (w: typeof week) => events(w.visits.filter((v) => week.days.slice(2, 6).includes(v.day)));
    expect(shared(later)).toEqual(shared(week));
  });

  it('covers the last 7 local days up to now, each event once, every batch within /collect limits', () => {
    expect(week.days).toEqual(['2026-11-28', '2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02', '2026-12-03', '2026-12-04']);
    const all = events(week.visits);
    expect(new Set(all.map((e) => e.i)).size).toBe(all.length);
    for (const e of all) {
      expect(e.ts).toBeLessThan(NOW);
      expect(e.ts).toBeGreaterThan(NOW - 7 * DAY); // the worker keeps the client's time up to 7 days back
      expect(e.i.length).toBeLessThanOrEqual(64);
    }
    for (const d of week.days) expect(week.visits.filter((v) => v.day === d).length, d).toBeGreaterThan(5);
    const batches = batchesOf(week);
    expect(batches.every((b: { events: unknown[] }) => b.events.length <= 50)).toBe(true);
    expect(events(batches as never).length).toBe(all.length);
  });

  it('uses every channel, place and storefront SKU, and every stage of the funnel', () => {
    const visits = week.visits;
    expect(new Set(visits.map((v) => v.channel))).toEqual(new Set(CHANNELS.map((c) => c.channel)));
    expect(new Set(visits.map((v) => v.who.place))).toEqual(new Set(PLACES));
    const storefront = Object.values(pages).map((html) => /<meta name="o2o:sku" content="([^"]+)">/.exec(html)?.[1]);
    expect(SKUS.map((s) => s.sku).sort()).toEqual(storefront.sort());
    expect(new Set(events(visits).map((e) => e.k).filter(Boolean))).toEqual(new Set(storefront));
    for (const t of ['view', 'dwell', 'consult', 'appointment']) expect(events(visits).some((e) => e.t === t), t).toBe(true);
    expect(events(visits).some((e) => e.q?.pr)).toBe(true);
    const plans = visits.flatMap((v) => (v.plan ? [v.plan] : []));
    expect(plans.some((p) => p.arrive && p.deal)).toBe(true);
    expect(plans.some((p) => p.arrive && !p.deal)).toBe(true);
    expect(plans.some((p) => p.deal?.items.length > 1 && p.deal.items.reduce((s: number, it: { amount: number }) => s + it.amount, 0) === p.deal.amount)).toBe(true);
  });

  it('places visitors where the worker names them in Chinese, and the demo stores under the same names', () => {
    for (const { cf } of PLACES) {
      const { region, city } = placeCn(cf.country, cf.regionCode, cf.region, cf.city);
      expect(provinceNames()).toContain(region);
      expect(cityNames()).toContain(city);
    }
    const stores = [...seedSql.matchAll(/\('demo', '([a-z-]+)', '[^']+', '([^']+)', '([^']+)', '[^']+', 0\)/g)].map(([, id, region, city]) => ({ id, region, city }));
    expect(stores.map((s) => s.id)).toEqual(['sh-xuhui', 'bj-chaoyang', 'gz-tianhe']);
    for (const s of stores) {
      const near = PLACES.filter((p) => p.store === s.id).map(({ cf }) => placeCn(cf.country, cf.regionCode, cf.region, cf.city));
      expect(near, s.id).toContainEqual({ region: s.region, city: s.city });
    }
  });
});

describe('seeding the demo week through the worker', () => {
  it('fills every report once, however often it runs', { timeout: 120_000 }, async () => {
    const statements = seedSql.replace(/^--.*$/gm, '').split(/;\s*$/m).map((s) => s.trim()).filter(Boolean);
    await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
    const now = Date.now();
    const fetch = (url: string, init: RequestInit) => SELF.fetch(url, init);
    const tokens = { report: 'demo-report-token', store: 'demo-store-token', admin: ADMIN };

    const first = await seedDemoWeek({ base: BASE, fetch, now, tokens });
    const week = demoWeek(now);
    const all = events(week.visits);
    const past = week.visits.flatMap((v) => (v.plan && v.plan.day < week.days[6] ? [v.plan] : []));
    expect(first).toMatchObject({
      events: all.length,
      consults: distinct(week.visits, 'consult'),
      appointments: distinct(week.visits, 'appointment'),
      arrivals: past.filter((p) => p.arrive).length,
      deals: past.filter((p) => p.deal).length,
      revenue: past.reduce((s, p) => s + (p.deal?.amount ?? 0), 0),
    });
    expect(first.deals).toBeGreaterThan(0);

    const q = `site=demo&from=${week.days[0]}&to=${week.days[6]}`;
    const get = async (path: string) => (await SELF.fetch(`${BASE}${path}`, { headers: { authorization: 'Bearer demo-report-token' } })).json<{ rows: Record<string, unknown>[] }>();
    const channels = await get(`/api/v1/reports/channels?${q}`);
    for (const { channel } of CHANNELS) expect(channels.rows.find((r) => r.channel === channel)?.visitors, channel).toBeGreaterThan(0);
    const regions = await get(`/api/v1/reports/sku-interest?${q}&level=region`);
    expect(new Set(regions.rows.map((r) => r.region))).toEqual(new Set(['上海', '浙江', '江苏', '北京', '天津', '广东', '四川', '湖北']));
    const sold = new Set(regions.rows.filter((r) => (r.units as number) > 0).map((r) => r.region));
    for (const r of sold) expect(['上海', '北京', '广东']).toContain(r);
    const cities = await get(`/api/v1/reports/sku-interest?${q}&level=city`);
    expect(new Set(cities.rows.map((r) => r.city))).toEqual(new Set(['上海', '杭州', '苏州', '北京', '天津', '广州', '深圳', '佛山', '成都', '武汉']));

    // Again: nothing doubles (replayed events dropped, leads already screened left alone, deals by their key).
    expect(await seedDemoWeek({ base: BASE, fetch, now, tokens })).toEqual(first);
    expect(await get(`/api/v1/reports/sku-interest?${q}&level=region`)).toEqual(regions);
  });
});
