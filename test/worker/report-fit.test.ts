// POST /api/v1/reports/sku-interest/fit: synthetic interest through /collect
// and sales made from known weights; the fit must recover those weights, beat
// the defaults, and only an admin may adopt them.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../protocol/wire';
import { ADMIN, call, createSite, createToken } from './helpers';
import { at, deal, postOk, shanghaiDay, store } from './report-fixtures';

let site: string;
let token: string;
const D = shanghaiDay(2);
const TRUE = { views: 0, visitors: 0.5, dwellMs: 0, consults: 0.3, appointments: 0.2 };
// Per SKU: visitors n, views per visitor m, dwell per visitor d, consulting c, booking a (c + a ≤ n).
const PLAN = [
  { sku: 'S1', n: 4, m: 1, d: 1000, c: 0, a: 0 },
  { sku: 'S2', n: 2, m: 3, d: 5000, c: 1, a: 0 },
  { sku: 'S3', n: 3, m: 2, d: 2000, c: 2, a: 1 },
  { sku: 'S4', n: 1, m: 2, d: 8000, c: 0, a: 1 },
  { sku: 'S5', n: 5, m: 1, d: 500, c: 1, a: 2 },
  { sku: 'S6', n: 2, m: 1, d: 3000, c: 0, a: 1 },
];

beforeAll(async () => {
  site = await createSite();
  token = await createToken('report', [site]);
  await store(site, 'js', 'Jiangsu', 'Nanjing');
  const t = D.start + 11 * 3600_000;
  const events: WireEvent[] = [];
  for (const p of PLAN) {
    for (let i = 0; i < p.n; i++) {
      const v = `${p.sku}-v${i}`;
      for (let j = 0; j < p.m; j++) events.push(at(t, v, { k: p.sku }));
      events.push(at(t, v, { t: 'dwell', k: p.sku, d: p.d }));
      if (i < p.c) events.push(at(t, v, { t: 'consult', c: 'chat', k: p.sku }));
      if (i >= p.n - p.a) events.push(at(t, v, { t: 'appointment', k: p.sku }));
    }
  }
  await postOk(site, events, { region: 'Jiangsu', city: 'Nanjing' });
  // Sales proportional to the true score (each signal over its max), in units of 1/1000;
  // the true scores (.4, .35, .7, .2, .85, .3) have no ties, so their ranks are exact.
  const max = { views: 6, visitors: 5, dwellMs: 12_000, consults: 2, appointments: 2 };
  for (const p of PLAN) {
    const s = { views: p.n * p.m, visitors: p.n, dwellMs: p.n * p.d, consults: p.c, appointments: p.a };
    const score = (Object.keys(TRUE) as (keyof typeof TRUE)[]).reduce((acc, k) => acc + TRUE[k] * (s[k] / max[k]), 0);
    await deal(site, { visitor: `${p.sku}-v0`, store: 'js', day: D.day, amount: 100, items: [{ sku: p.sku, qty: Math.round(score * 1000), amount: 100 }] });
  }
});

const fit = (body: Record<string, unknown>, tok = token) => call('/api/v1/reports/sku-interest/fit', { method: 'POST', token: tok, json: { site, from: D.day, to: D.day, ...body } });

describe('weight fit', () => {
  it('recovers the weights that made the sales, and beats the defaults', async () => {
    const res = await fit({});
    expect(res.status, await res.clone().text()).toBe(200);
    const body = (await res.json()) as { samples: number; fitted: { weights: Record<string, number>; spearman: number; r2: number }; current: { spearman: number }; improvement: { sse: number }; adopted: boolean };
    expect(body.samples).toBe(6);
    for (const [k, w] of Object.entries(TRUE)) expect(body.fitted.weights[k]).toBeCloseTo(w, 2);
    expect(body.fitted.spearman).toBe(1);
    expect(body.fitted.r2).toBeGreaterThan(0.999);
    expect(body.improvement.sse).toBeGreaterThan(0.5);
    expect(body.current.spearman).toBeLessThan(1);
    expect(body.adopted).toBe(false);
  });

  it('lets only an admin adopt, and the report then scores with the adopted weights', async () => {
    const refused = await fit({ adopt: true });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: { code: 'forbidden' } });
    const res = await fit({ adopt: true }, ADMIN);
    const { fitted, adopted } = (await res.json()) as { fitted: { weights: Record<string, number> }; adopted: boolean };
    expect(adopted).toBe(true);
    const saved = await env.DB.prepare('SELECT weights FROM sku_weights WHERE site_key = ?1').bind(site).first<{ weights: string }>();
    expect(JSON.parse(saved!.weights)).toEqual(fitted.weights);
    const report = (await (await call(`/api/v1/reports/sku-interest?site=${site}&from=${D.day}&to=${D.day}`, { token })).json()) as {
      weightsSource: string; weights: unknown; correlation: { overall: number };
    };
    expect(report.weightsSource).toBe('site');
    expect(report.weights).toEqual(fitted.weights);
    expect(report.correlation.overall).toBe(1);
  });

  it('needs sales to fit', async () => {
    const res = await fit({ from: '2020-01-01', to: '2020-01-31' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'not_enough_sales' } });
  });

  it.each([[{ target: 'margin' }], [{ level: 'country' }], [{ adopt: 'yes' }], [{ from: '2024-02-30' }]])('refuses %j', async (b) => {
    const res = await fit(b);
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'invalid_field' } });
  });
});
