// The SKU report over long ranges, read from sku_chains' ten-day blocks plus
// daily rows at either end: distinct visitors, consults and appointments,
// views and dwell must equal a brute-force count over the fixture for every
// range (blocks or not), events posted out of order; the median of
// per-visitor-day dwell must be within its stated bound (±9.6%).
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { recomputedRollups, storedRollups } from '../../worker/rollups/recompute';
import { bucketOf, bucketValue, histMedian } from '../../worker/rollups/dwell';
import { spans } from '../../worker/rollups/spans';
import { call, createSite, createToken, storedEvents } from './helpers';
import { deliver, message, msgId } from './queue-fixtures';
import { at, shanghaiDay } from './report-fixtures';

describe('spans', () => {
  it('splits a range into head days, whole ten-day blocks and tail days', () => {
    expect(spans('2026-03-05', '2026-04-14')).toEqual({
      head: ['2026-03-05', '2026-03-10'], blocks: ['2026-03-11', '2026-04-01'], tail: ['2026-04-11', '2026-04-14'],
    });
    // Block starts and ends on the range's own edges; February's last block is 21–28.
    expect(spans('2026-02-11', '2026-02-28')).toEqual({ head: ['1', '0'], blocks: ['2026-02-11', '2026-02-21'], tail: ['1', '0'] });
    expect(spans('2026-02-12', '2026-02-27')).toEqual({ head: ['2026-02-12', '2026-02-27'], blocks: ['1', '0'], tail: ['1', '0'] });
    expect(spans('2026-12-21', '2027-01-10')).toEqual({ head: ['1', '0'], blocks: ['2026-12-21', '2027-01-01'], tail: ['1', '0'] });
  });
});

describe('median bound', () => {
  it('puts every dwell in the bucket whose centre is within ±9.6% of it (1 s – 19 min)', () => {
    for (let ms = 1000; ms < 1_150_000; ms = Math.ceil(ms * 1.013)) {
      expect(Math.abs(bucketValue(bucketOf(ms)) - ms) / ms).toBeLessThan(0.0955);
    }
  });

  it('keeps the histogram median within ±9.6% of the exact median', () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    for (let trial = 0; trial < 200; trial++) {
      const xs = Array.from({ length: 1 + Math.floor(rnd() * 40) }, () => (rnd() < 0.2 ? 0 : Math.floor(1000 + rnd() ** 2 * 600_000)));
      const sorted = [...xs].sort((a, b) => a - b);
      const n = sorted.length;
      const exact = (sorted[Math.floor((n - 1) / 2)] + sorted[Math.floor(n / 2)]) / 2;
      const hist = Array.from({ length: 40 }, () => 0);
      for (const x of xs) if (x > 0) hist[bucketOf(x)]++;
      const got = histMedian(n, hist);
      expect(Math.abs(got - exact)).toBeLessThanOrEqual(0.096 * exact + 0.5);
    }
  });
});

// Facts: visitor, days ago, SKU, views, dwell ms, consult, appointment.
type Fact = { v: string; ago: number; sku: string; views: number; dwell: number; consult: boolean; appt: boolean };
const facts: Fact[] = [];
let seed = 11;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
for (let i = 0; i < 14; i++) {
  for (let k = 0; k < 4; k++) {
    const ago = Math.floor(rnd() * 45);
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
  // Ingested in a shuffled day order, so later days often arrive before earlier ones. The
  // real ingest path with each day's noon as the receive time: the edge's own checks
  // (checkBatch, messageOf) make each day's message and the worker's queue consumer
  // folds it, one queue batch a day. /collect itself clamps a client clock to the last
  // 7 days, and this history spans 45.
  const days = [...new Set(facts.map((f) => f.ago))].sort((a, b) => ((a * 7919) % 45) - ((b * 7919) % 45));
  for (const ago of days) {
    const noon = shanghaiDay(ago).start + 12 * 3600_000;
    const evs = facts.filter((f) => f.ago === ago).flatMap((f) => [
      ...Array.from({ length: f.views }, () => at(noon, f.v, { k: f.sku })),
      ...(f.dwell ? [at(noon, f.v, { t: 'dwell', k: f.sku, d: f.dwell })] : []),
      ...(f.consult ? [at(noon, f.v, { t: 'consult', c: 'chat', k: f.sku })] : []),
      ...(f.appt ? [at(noon, f.v, { t: 'appointment', p: { sku: f.sku } })] : []),
    ]);
    const msg = await message(site, evs, { country: 'CN', region: 'Hubei', city: 'Wuhan' }, noon + 60_000);
    expect(msg.events.map((q) => q.e.i).sort()).toEqual(evs.map((e) => e.i).sort()); // every event valid, none dropped
    const id = msgId();
    const out = await deliver([{ id, body: msg }]);
    expect(out.explicitAcks).toEqual([id]);
  }
  expect((await storedEvents(site)).length).toBe(facts.reduce((n, f) => n + f.views + (f.dwell ? 1 : 0) + (f.consult ? 1 : 0) + (f.appt ? 1 : 0), 0));
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

describe('sku interest over long ranges', () => {
  it('keeps sku_chains equal to a from-scratch recomputation after out-of-order delivery', async () => {
    const stored = await storedRollups(env.DB, site);
    const again = await recomputedRollups(env.DB, site);
    const sort = (rows: Record<string, unknown>[]) => rows.map((r) => JSON.stringify(r)).sort();
    expect(stored.skuChains.length).toBeGreaterThan(20);
    expect(sort(stored.skuChains)).toEqual(sort(again.skuChains));
  });

  it.each([[44, 0], [30, 5], [25, 2], [12, 11], [40, 20], [9, 0]])('counts exactly from %i to %i days ago', async (a, b) => {
    const from = shanghaiDay(a).day;
    const to = shanghaiDay(b).day;
    if (a === 44) expect(spans(from, to).blocks[0]).not.toBe('1'); // the long range does read blocks
    const res = await call(`/api/v1/reports/sku-interest?site=${site}&from=${from}&to=${to}`, { token });
    const { rows } = (await res.json()) as { rows: Record<string, number>[] };
    for (const sku of ['X', 'Y']) {
      const want = oracle(a, b, sku);
      const row = rows.find((r) => r.sku === (sku as unknown));
      if (!want.visitors) {
        expect(row).toBeUndefined();
        continue;
      }
      expect(row).toMatchObject({ region: '湖北', views: want.views, visitors: want.visitors, dwellMs: want.dwellMs,
        consults: want.consults, appointments: want.appointments });
      expect(Math.abs(row!.medianDwellMs - want.median)).toBeLessThanOrEqual(0.096 * want.median + 0.5);
    }
  });
});
