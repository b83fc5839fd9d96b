// The SKU report read from running totals (sku_totals) less repeat rows
// (sku_chains), with everything folded by the queue consumer out of order: each
// day's events arrive in a shuffled day order (so late events re-link later
// totals rows), and distinct visitors, consults and appointments, views and
// dwell must equal a brute-force count for every range, short or two years
// long; the median within its stated bound (±9.6%).
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { recomputedRollups, storedRollups } from '../../worker/rollups/recompute';
import { getSite } from '../../worker/db/sites';
import type { Env } from '../../worker/env';
import { commitFold } from '../../worker/ingest/commit';
import { call, createSite, createToken } from './helpers';
import { message, msgId } from './queue-fixtures';
import { at, shanghaiDay } from './report-fixtures';

// Facts: visitor, days ago, SKU, views, dwell ms, consult, appointment.
type Fact = { v: string; ago: number; sku: string; views: number; dwell: number; consult: boolean; appt: boolean };
const facts: Fact[] = [];
let seed = 29;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
for (let i = 0; i < 14; i++) {
  for (let k = 0; k < 5; k++) {
    const ago = Math.floor(rnd() * 60);
    const sku = rnd() < 0.6 ? 'X' : 'Y';
    if (facts.some((f) => f.v === `w${i}` && f.ago === ago && f.sku === sku)) continue;
    facts.push({ v: `w${i}`, ago, sku, views: 1 + Math.floor(rnd() * 3), dwell: rnd() < 0.3 ? 0 : 1000 + Math.floor(rnd() * 90_000),
      consult: rnd() < 0.3, appt: rnd() < 0.15 });
  }
}

let site: string;
let token: string;
beforeAll(async () => {
  site = await createSite();
  token = await createToken('report', [site]);
  const s = (await getSite(env.DB, site))!;
  // Shuffled day order: later days often fold before earlier ones.
  const days = [...new Set(facts.map((f) => f.ago))].sort((a, b) => ((a * 7919) % 61) - ((b * 7919) % 61));
  for (const ago of days) {
    const noon = shanghaiDay(ago).start + 12 * 3600_000;
    const evs = facts.filter((f) => f.ago === ago).flatMap((f) => [
      ...Array.from({ length: f.views }, () => at(noon, f.v, { k: f.sku, u: `/p/${f.sku}` })),
      ...(f.dwell ? [at(noon, f.v, { t: 'dwell', k: f.sku, d: f.dwell })] : []),
      ...(f.consult ? [at(noon, f.v, { t: 'consult', c: 'chat', k: f.sku })] : []),
      ...(f.appt ? [at(noon, f.v, { t: 'appointment', p: { sku: f.sku } })] : []),
    ]);
    const m = await message(site, evs, { country: 'CN', region: 'Hubei', city: 'Wuhan' }, noon + 60_000);
    expect(m.events).toHaveLength(evs.length);
    await commitFold(env as unknown as Env, s, [m], [msgId()]);
  }
});

function oracle(a: number, b: number, sku: string) {
  const fs = facts.filter((f) => f.sku === sku && f.ago <= a && f.ago >= b);
  const dwells = fs.map((f) => f.dwell).sort((x, y) => x - y);
  const n = dwells.length;
  return {
    views: fs.reduce((s, f) => s + f.views, 0), visitors: new Set(fs.map((f) => f.v)).size, dwellMs: fs.reduce((s, f) => s + f.dwell, 0),
    consults: new Set(fs.filter((f) => f.consult).map((f) => f.v)).size, appointments: new Set(fs.filter((f) => f.appt).map((f) => f.v)).size,
    median: n ? (dwells[Math.floor((n - 1) / 2)] + dwells[Math.floor(n / 2)]) / 2 : 0,
  };
}

describe('sku interest from running totals', () => {
  it('keeps sku_totals, sku_pairs and sku_chains equal to a from-scratch recomputation after out-of-order folds', async () => {
    const stored = await storedRollups(env.DB, site);
    const again = await recomputedRollups(env.DB, site);
    const sort = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(stored.skuTotals.length).toBeGreaterThan(20);
    expect(stored.skuChains.length).toBeGreaterThan(5); // repeat rows
    expect(sort(stored.skuTotals)).toEqual(sort(again.skuTotals));
    expect(sort(stored.skuPairs)).toEqual(sort(again.skuPairs));
    expect(sort(stored.skuChains)).toEqual(sort(again.skuChains));
  });

  it.each([[59, 0], [730, 0], [44, 30], [30, 5], [25, 2], [12, 11], [40, 20], [9, 0], [0, 0]])('counts exactly from %i to %i days ago', async (a, b) => {
    const from = shanghaiDay(a).day;
    const to = shanghaiDay(b).day;
    for (const level of ['region', 'city'] as const) {
      const res = await call(`/api/v1/reports/sku-interest?site=${site}&from=${from}&to=${to}&level=${level}`, { token });
      const { rows } = (await res.json()) as { rows: Record<string, number>[] };
      for (const sku of ['X', 'Y']) {
        const want = oracle(a, b, sku);
        const row = rows.find((r) => r.sku === (sku as unknown));
        if (!want.visitors) {
          expect(row).toBeUndefined();
          continue;
        }
        expect(row).toMatchObject({ [level]: level === 'region' ? '湖北' : '武汉', views: want.views, visitors: want.visitors,
          dwellMs: want.dwellMs, consults: want.consults, appointments: want.appointments });
        expect(Math.abs(row!.medianDwellMs - want.median)).toBeLessThanOrEqual(0.096 * want.median + 0.5);
      }
    }
  });

  it('gives stocking the same figures for its top rows', async () => {
    const from = shanghaiDay(59).day;
    const to = shanghaiDay(0).day;
    const res = await call(`/api/v1/reports/stocking?site=${site}&from=${from}&to=${to}&top=1`, { token });
    const body = (await res.json()) as { regions: { region: string; skus: Record<string, number>[] }[] };
    const [top] = body.regions[0].skus;
    const want = oracle(59, 0, top.sku as unknown as string);
    expect(top).toMatchObject({ visitors: want.visitors, views: want.views, consults: want.consults });
  });
});
