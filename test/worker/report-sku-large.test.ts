// A full SKU list past what one D1 string holds. D1 refuses a string over
// 2 MB (SQLITE_TOOBIG; wrangler dev and Cloudflare do, the test pool's D1 does
// not), so the totals' read comes back in rows of PAIRS_PER_ROW pairs
// (worker/rollups/sku-totals.ts); one string for every pair failed past ~7k
// pairs with both ends of the range. Here 8,000 (region, SKU) pairs with large
// histograms at both ends (~4.7 MB as one string), their running totals
// written directly, so each figure is known by construction: every row of the
// read stays under 2 MB, the list answers every pair, each stitched row with
// its own figures, and `top` (medians read afterwards for the kept rows only)
// the same rows.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { HIST_COLUMNS } from '../../worker/rollups/sku-chains';
import { PAIRS_PER_ROW, rangeEndsSql } from '../../worker/rollups/sku-totals';
import { call, createSite, createToken } from './helpers';
import { shanghaiDay } from './report-fixtures';

const PAIRS = 8000;
const SKUS = 400; // per region: 20 regions
const H = Array.from({ length: 40 }, (_, k) => `h${k}`);
const from = shanghaiDay(30).day;
const to = shanghaiDay(1).day;

/** What pair i adds in range: every visitor-day's dwell in bucket 5 + i % 20, so the median is that bucket's centre. */
const want = (i: number) => {
  const vdays = (i % 9) + 1;
  return {
    region: `R${String(Math.floor(i / SKUS)).padStart(2, '0')}`, sku: `S${String(i % SKUS).padStart(3, '0')}`,
    visitors: vdays, views: (i % 13) + vdays, dwellMs: 5000 * vdays, consults: i % 3 === 0 ? 1 : 0, appointments: i % 2,
    medianDwellMs: Math.round(1000 * 1.2 ** (5 + (i % 20) - 0.5)), units: 0, revenue: 0,
  };
};

let site: string;
let token: string;
beforeAll(async () => {
  site = await createSite();
  token = await createToken('report', [site]);
  // Before the range (10 days before `from`): the same large histogram in every pair; at `to`, that plus the range's
  // visitor-days in one bucket. Every tenth pair has no row in range and must be left out.
  const pairs = `WITH RECURSIVE n(i) AS (SELECT 0 UNION ALL SELECT i + 1 FROM n WHERE i + 1 < ${PAIRS})
    SELECT i, 'R' || printf('%02d', i / ${SKUS}) AS place, 'S' || printf('%03d', i % ${SKUS}) AS sku, (i % 9) + 1 AS dv FROM n`;
  const cols = `site_key, p, place, sku, day, vdays, views, dwell_ms, consults, appointments, ${H.join(', ')}`;
  await env.DB.batch([
    env.DB.prepare(`INSERT INTO sku_pairs (site_key, p, place, sku) SELECT ?1, 'r', place, sku FROM (${pairs})`).bind(site),
    env.DB.prepare(`INSERT INTO sku_totals (${cols}) SELECT ?1, 'r', place, sku, ?2, 5, 9, 1000, 1, 0, ${H.map((_, k) => 100_000 + k).join(', ')}
      FROM (${pairs})`).bind(site, shanghaiDay(40).day),
    env.DB.prepare(`INSERT INTO sku_totals (${cols}) SELECT ?1, 'r', place, sku, ?2, 5 + dv, 9 + (i % 13) + dv, 1000 + 5000 * dv,
      1 + (i % 3 = 0), i % 2, ${H.map((_, k) => `${100_000 + k} + (5 + i % 20 = ${k}) * dv`).join(', ')}
      FROM (${pairs}) WHERE i % 10 <> 9`).bind(site, shanghaiDay(3).day),
  ]);
});

describe('a SKU list of 8,000 pairs', () => {
  it('reads the totals in rows D1 can hand back, each under 2 MB', async () => {
    const sql = rangeEndsSql(['vdays', 'views', 'dwell_ms', 'consults', 'appointments', ...HIST_COLUMNS]);
    const { results } = await env.DB.prepare(sql).bind(JSON.stringify([site]), from, 'r', null, to).all<{ j: string }>();
    expect(results).toHaveLength(Math.ceil(PAIRS / PAIRS_PER_ROW));
    const sizes = results.map((r) => new TextEncoder().encode(r.j).length);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeGreaterThan(2_000_000); // what one string would have been
    expect(Math.max(...sizes)).toBeLessThan(2_000_000);
  });

  it('answers every pair with a visitor-day in range, each with its own figures, in rank order per region', async () => {
    expect(PAIRS).toBeGreaterThan(10 * PAIRS_PER_ROW);
    const res = await call(`/api/v1/reports/sku-interest?site=${site}&from=${from}&to=${to}`, { token });
    expect(res.status).toBe(200);
    const { rows } = (await res.json()) as { rows: (ReturnType<typeof want> & { rank: number; score: number })[] };
    const expected = Array.from({ length: PAIRS }, (_, i) => i).filter((i) => i % 10 !== 9).map(want);
    expect(rows).toHaveLength(expected.length);
    const byPair = new Map(rows.map((r) => [`${r.region}|${r.sku}`, r]));
    for (const w of expected) expect(byPair.get(`${w.region}|${w.sku}`)).toMatchObject(w);
    // Ranks 1..n within each region, scores not increasing.
    for (let k = 1; k < rows.length; k++) {
      if (rows[k].region !== rows[k - 1].region) expect(rows[k].rank).toBe(1);
      else expect([rows[k].rank, rows[k].score <= rows[k - 1].score]).toEqual([rows[k - 1].rank + 1, true]);
    }
  });

  it('gives the same rows with `top`, their medians read for the kept rows only', async () => {
    const get = async (q: string) => ((await (await call(`/api/v1/reports/sku-interest?site=${site}&from=${from}&to=${to}${q}`, { token })).json()) as
      { rows: { rank: number }[] }).rows;
    const [all, top] = await Promise.all([get(''), get('&top=3')]);
    expect(top).toHaveLength(20 * 3);
    expect(top).toEqual(all.filter((r) => r.rank <= 3));
  });
});
