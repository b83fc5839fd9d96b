// GET /api/v1/reports/sku-interest and /stocking on hand-computed signals:
// views, distinct visitors, dwell and its median, consults and appointments
// naming the SKU, normalised weighted scores, ranks, store sales and Spearman.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createSite, createToken } from './helpers';
import { at, deal, postOk, shanghaiDay, store } from './report-fixtures';

let site: string;
let token: string;
const D = shanghaiDay(2);
// request.cf names places in English; the worker stores 浙江 / 杭州 and 上海 / 上海, as the stores are written.
const ZJ = { region: 'Zhejiang', regionCode: 'ZJ', city: 'Hangzhou', country: 'CN' };
const SH = { region: 'Shanghai', regionCode: 'SH', city: 'Shanghai', country: 'CN' };

type Row = Record<string, unknown>;
const get = async (path: string, qs: string, tok = token) => {
  const res = await call(`/api/v1/reports/${path}?site=${site}&from=${D.day}&to=${D.day}&${qs}`, { token: tok });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as Record<string, unknown> & { rows: Row[] };
};

beforeAll(async () => {
  site = await createSite();
  token = await createToken('report', [site]);
  await store(site, 'zj', '浙江', '杭州');
  await store(site, 'sh', '上海', '上海');
  const t = D.start + 9 * 3600_000;
  const dwell = (v: string, k: string, d: number) => at(t, v, { t: 'dwell', k, d });
  await postOk(site, [
    // Zhejiang, SKU A: v1 2 views 40 s, v2 1 view 20 s, v3 1 view no dwell + consult
    at(t, 'v1', { k: 'A' }), at(t, 'v1', { k: 'A' }), dwell('v1', 'A', 30_000), dwell('v1', 'A', 10_000),
    at(t, 'v2', { k: 'A' }), dwell('v2', 'A', 20_000),
    at(t, 'v3', { k: 'A' }), at(t, 'v3', { t: 'consult', c: 'chat', k: 'A' }),
    // SKU B: v1 1 view 50 s and an appointment on its page, v4 1 view 10 s
    at(t, 'v1', { k: 'B' }), dwell('v1', 'B', 50_000), at(t, 'v1', { t: 'appointment', k: 'B', p: { store: 'zj' } }),
    at(t, 'v4', { k: 'B' }), dwell('v4', 'B', 10_000),
    // SKU C: v5 1 view 5 s
    at(t, 'v5', { k: 'C' }), dwell('v5', 'C', 5_000),
  ], ZJ);
  await postOk(site, [
    // Shanghai, SKU A: v6 3 views 9 s, a consult, an appointment naming A from a page without SKU
    at(t, 'v6', { k: 'A' }), at(t, 'v6', { k: 'A' }), at(t, 'v6', { k: 'A' }), dwell('v6', 'A', 9_000),
    at(t, 'v6', { t: 'consult', c: 'phone', k: 'A' }), at(t, 'v6', { t: 'appointment', p: { sku: 'A' } }),
    // SKU D: v7 1 view, no dwell
    at(t, 'v7', { k: 'D' }),
  ], SH);
  await deal(site, { visitor: 'v1', store: 'zj', day: D.day, amount: 1000, items: [
    { sku: 'A', qty: 1, amount: 100 }, { sku: 'B', qty: 3, amount: 600 }, { sku: 'C', qty: 2, amount: 300 }] });
  await deal(site, { visitor: 'v1', store: 'zj', day: D.day, amount: 5000, voided: true, items: [{ sku: 'A', qty: 50, amount: 5000 }] });
  await deal(site, { visitor: 'v6', store: 'sh', day: D.day, amount: 400, items: [{ sku: 'A', qty: 2, amount: 400 }] });
});

describe('sku interest', () => {
  it('reports every signal, score and rank as computed by hand', async () => {
    const body = await get('sku-interest', '');
    expect(body.weights).toEqual({ views: 0.1, visitors: 0.2, dwellMs: 0.2, consults: 0.2, appointments: 0.3 });
    expect(body.weightsSource).toBe('default');
    // Zhejiang maxima: views 4, visitors 3, dwell 60 s, consults 1, appointments 1.
    // medianDwellMs is the centre of the median's log bucket (1 s · 1.2^(k − ½), k = ⌊log1.2(ms / 1 s)⌋ + 1):
    // 9 s → k 13 → 9767; 20 s → k 17 → 20253; 50 s → k 22 → 50396; 10 s → k 13 → 9767; 5 s → k 9 → 4710.
    expect(body.rows).toEqual([
      { region: '上海', sku: 'A', rank: 1, score: 1, views: 3, visitors: 1, dwellMs: 9000, medianDwellMs: 9767, consults: 1, appointments: 1, units: 2, revenue: 400 },
      // .1·1/3 + .2·1
      { region: '上海', sku: 'D', rank: 2, score: 0.233333, views: 1, visitors: 1, dwellMs: 0, medianDwellMs: 0, consults: 0, appointments: 0, units: 0, revenue: 0 },
      // .1 + .2 + .2 + .2; per-visitor-day dwell 40 s, 20 s, 0 → median 20 s, reported 20253
      { region: '浙江', sku: 'A', rank: 1, score: 0.7, views: 4, visitors: 3, dwellMs: 60000, medianDwellMs: 20253, consults: 1, appointments: 0, units: 1, revenue: 100 },
      // .1·.5 + .2·2/3 + .2·1 + .3·1; median of 50 s and 10 s: (50396 + 9767) / 2
      { region: '浙江', sku: 'B', rank: 2, score: 0.683333, views: 2, visitors: 2, dwellMs: 60000, medianDwellMs: 30082, consults: 0, appointments: 1, units: 3, revenue: 600 },
      // .1·.25 + .2·1/3 + .2·5/60
      { region: '浙江', sku: 'C', rank: 3, score: 0.108333, views: 1, visitors: 1, dwellMs: 5000, medianDwellMs: 4710, consults: 0, appointments: 0, units: 2, revenue: 300 },
    ]);
  });

  it('correlates score with units sold (Spearman, ties averaged; voided deals excluded)', async () => {
    const { correlation } = await get('sku-interest', '');
    // Zhejiang: score ranks A3 B2 C1, unit ranks A1 B3 C2: 1 − 6·(4+1+1)/(3·8) = −0.5.
    // Overall: score ranks [5,2,4,3,1], unit ranks [3.5,1,2,5,3.5]: 1/√95.
    expect(correlation).toEqual({ overall: 0.102598, byPlace: { 上海: 1, 浙江: -0.5 } });
  });

  it('filters a region, keeps the top N and takes a weights override', async () => {
    const { rows } = await get('sku-interest', `region=${encodeURIComponent('浙江')}&top=2&weights=appointments:1`);
    expect(rows.map((r) => [r.sku, r.rank, r.score])).toEqual([['B', 1, 1], ['A', 2, 0]]);
  });

  it('groups by city with level=city', async () => {
    const { rows } = await get('sku-interest', `level=city&region=${encodeURIComponent('杭州')}&top=1`);
    expect(rows).toEqual([expect.objectContaining({ city: '杭州', sku: 'A', rank: 1, score: 0.7, units: 1 })]);
  });

  it('answers CSV with a BOM', async () => {
    const res = await call(`/api/v1/reports/sku-interest?site=${site}&from=${D.day}&to=${D.day}&format=csv&region=${encodeURIComponent('浙江')}`, { token });
    const text = await res.text();
    expect(text.split('\r\n').slice(0, 2)).toEqual([
      'region,sku,rank,score,views,visitors,dwellMs,medianDwellMs,consults,appointments,units,revenue_yuan',
      '浙江,A,1,0.7,4,3,60000,20253,1,0,1,1', // 100 fen = 1 yuan
    ]);
    const zhRes = await call(`/api/v1/reports/sku-interest?site=${site}&from=${D.day}&to=${D.day}&format=csv&region=${encodeURIComponent('浙江')}&lang=zh-CN`, { token });
    const zh = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await zhRes.arrayBuffer());
    expect(zh.split('\r\n')[0]).toBe('\uFEFF省份,SKU,排名,兴趣分,浏览量,访客数,停留时长（毫秒）,停留中位数（毫秒）,咨询人数,预约数,销量（件）,成交额（元）');
    const raw = new Uint8Array(await (await call(`/api/v1/reports/sku-interest?site=${site}&from=${D.day}&to=${D.day}&format=csv`, { token })).arrayBuffer());
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it.each([
    ['weights=views:-1', 'invalid_parameter'],
    ['weights=price:1', 'invalid_parameter'],
    ['weights=views:0', 'invalid_parameter'],
    ['top=0', 'invalid_parameter'],
    ['level=country', 'invalid_parameter'],
  ])('refuses %s', async (qs, code) => {
    const res = await call(`/api/v1/reports/sku-interest?site=${site}&from=${D.day}&to=${D.day}&${qs}`, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code } });
  });

  it('is scoped to the token', async () => {
    const stranger = await createToken('report', [await createSite()]);
    const res = await call(`/api/v1/reports/sku-interest?site=${site}&from=${D.day}&to=${D.day}`, { token: stranger });
    expect(res.status).toBe(403);
    expect((await call(`/api/v1/reports/stocking?site=${site}&from=${D.day}&to=${D.day}&top=1`, { token: stranger })).status).toBe(403);
  });
});

describe('stocking', () => {
  it('lists each region’s top N with the score’s parts', async () => {
    const body = await get('stocking', 'top=1');
    expect(body.regions).toEqual([
      { region: '上海', skus: [expect.objectContaining({ sku: 'A', rank: 1, score: 1, parts: { views: 0.1, visitors: 0.2, dwellMs: 0.2, consults: 0.2, appointments: 0.3 } })] },
      { region: '浙江', skus: [expect.objectContaining({ sku: 'A', rank: 1, score: 0.7, parts: { views: 0.1, visitors: 0.2, dwellMs: 0.2, consults: 0.2, appointments: 0 } })] },
    ]);
  });

  it('needs top', async () => {
    const res = await call(`/api/v1/reports/stocking?site=${site}&from=${D.day}&to=${D.day}`, { token: ADMIN });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'missing_parameter' } });
  });
});
