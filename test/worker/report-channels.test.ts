// GET /api/v1/reports/channels on a small hand-computed journey set: every
// stage and rate under both attribution models, voided deals excluded, local
// day boundaries, spend, costs and ROI, groups of sites, CSV and token scope.
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createSite, createToken } from './helpers';
import { arrival, at, deal, leadOf, postOk, shanghaiDay, store } from './report-fixtures';

let site: string;
let other: string;
let token: string;
const D = shanghaiDay(3); // day D: its midnight in Shanghai is 16:00 UTC the day before
const prev = shanghaiDay(4).day;

type Row = Record<string, number | string | null>;
const get = async (qs: string, tok = token) => {
  const res = await call(`/api/v1/reports/channels?${qs}`, { token: tok });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { rows: Row[]; attribution: string; by: string };
};
const byKey = (rows: Row[], k = 'channel') => Object.fromEntries(rows.map((r) => [r[k], r]));

beforeAll(async () => {
  site = await createSite();
  other = await createSite();
  token = await createToken('report', [site]);
  await store(site, 's1', 'Shanghai', 'Shanghai');
  await store(site, 's2', 'Zhejiang', 'Hangzhou');
  const t = D.start + 10 * 3600_000; // 10:00 on day D, Shanghai
  await postOk(site, [
    at(t, 'a', { q: { ch: 'wechat' } }),
    at(t, 'a', { t: 'consult', c: 'chat' }),
    at(t, 'a', { t: 'appointment', p: { store: 's1', budget: 10000 } }), // budget 1,000,000 fen
    at(t, 'b', { q: { ch: 'baidu_sem' } }),
    at(t, 'b', { t: 'consult', c: 'phone' }),
    at(t, 'c', { q: { ch: 'wechat' } }),
    at(t, 'd', { q: { ch: 'douyin' }, ss: 'd1' }),
    at(t + 3600_000, 'd', { q: { ch: 'wechat' }, ss: 'd2' }), // last touch moves to wechat; first stays douyin
    at(t + 3600_000, 'd', { t: 'consult', c: 'wechat', ss: 'd2' }),
    at(t + 3600_000, 'd', { t: 'appointment', p: { store: 's2', budget: 20000 }, ss: 'd2' }),
    at(D.start - 1000, 'e', { q: { ch: 'weibo' } }), // 23:59:59 the day before D in Shanghai
    at(D.start + 1000, 'f', { q: { ch: 'weibo' } }), // 00:00:01 on D in Shanghai (still the previous UTC day)
  ]);
  const [la, ld] = [await leadOf(site, 'a'), await leadOf(site, 'd')];
  await arrival(site, { lead: la, store: 's1', day: D.day });
  await arrival(site, { lead: la, store: 's1', day: D.day }); // a second visit: still one lead
  await arrival(site, { lead: ld, store: 's2', day: D.day });
  await arrival(site, { visitor: 'c', store: 's1', day: D.day }); // walk-in without appointment
  await deal(site, { lead: la, store: 's1', day: D.day, amount: 1_200_000 }); // budget from the lead: +200,000
  await deal(site, { lead: ld, store: 's2', day: D.day, amount: 1_500_000, budget: 2_000_000 }); // −500,000
  await deal(site, { lead: ld, store: 's2', day: D.day, amount: 9_999_900, voided: true });
  await deal(site, { visitor: 'c', store: 's1', day: D.day, amount: 300_000 }); // no budget: not in uplift
  const spend = await call('/api/v1/spend', {
    method: 'PUT', token, json: { site, rows: [
      { channel: 'wechat', date: D.day, amount: 600_000 },
      { channel: 'WeChat', date: prev, amount: 999 }, // outside the range
      { channel: 'baidu_sem', date: D.day, amount: 50_000 },
    ] },
  });
  expect(spend.status, await spend.clone().text()).toBe(200);
  await postOk(other, [at(t, 'z', { q: { ch: 'wechat' } })]);
});

describe('channel report, last touch', () => {
  it('counts every stage and rate as computed by hand', async () => {
    const { rows, attribution } = await get(`site=${site}&from=${D.day}&to=${D.day}`);
    expect(attribution).toBe('last');
    const r = byKey(rows);
    expect(Object.keys(r).sort()).toEqual(['baidu_sem', 'douyin', 'wechat', 'weibo']);
    expect(r.wechat).toEqual({
      channel: 'wechat', channelName: null, visitors: 3, views: 3, consults: 2, appointments: 2, arrivals: 3, bookedArrivals: 2, walkIns: 1, deals: 3, revenue: 3_000_000,
      consultRate: 0.666667, appointmentRate: 1,
      arrivalRate: 1, // the 2 booked arrivals of 2 appointments; c walked in and is not in it
      closeRate: 1, // 3 buyers of all 3 arrivals, the walk-in included
      avgDeal: 1_000_000,
      uplift: -0.1, // (200,000 − 500,000) / (1,000,000 + 2,000,000)
      spend: 600_000, costPerConsult: 300_000, costPerAppointment: 300_000, costPerArrival: 200_000, costPerDeal: 200_000,
      roi: 4, // (3,000,000 − 600,000) / 600,000
    });
    expect(r.baidu_sem).toMatchObject({
      visitors: 1, views: 1, consults: 1, appointments: 0, arrivals: 0, deals: 0, revenue: 0,
      consultRate: 1, appointmentRate: 0, arrivalRate: null, closeRate: null, avgDeal: null, uplift: null,
      spend: 50_000, costPerConsult: 50_000, costPerAppointment: null, roi: -1,
    });
    expect(r.douyin).toMatchObject({ visitors: 1, views: 1, consults: 0, appointments: 0, consultRate: 0, appointmentRate: null, spend: 0, roi: null });
    expect(r.weibo).toMatchObject({ visitors: 1, views: 1 }); // f only: e's view was the day before in Shanghai
    expect(rows[0].channel).toBe('wechat'); // most buyers first
  });

  it('puts the view at 23:59:59 on the previous local day', async () => {
    const r = byKey((await get(`site=${site}&from=${prev}&to=${prev}`)).rows);
    expect(Object.keys(r).sort()).toEqual(['wechat', 'weibo']);
    expect(r.weibo).toMatchObject({ visitors: 1, views: 1, spend: 0 });
    // A channel with spend and no visitors still shows, with what it cost.
    expect(r.wechat).toMatchObject({ visitors: 0, deals: 0, spend: 999, costPerConsult: null, roi: -1 });
    const wechat = byKey((await get(`site=${site}&from=${prev}&to=${D.day}`)).rows).wechat;
    expect(wechat).toMatchObject({ visitors: 3, spend: 600_999 });
  });
});

describe('channel report, first touch', () => {
  it('credits each stage to the first touch', async () => {
    const r = byKey((await get(`site=${site}&from=${D.day}&to=${D.day}&attribution=first`)).rows);
    expect(r.wechat).toMatchObject({
      visitors: 2, views: 2, consults: 1, appointments: 1, arrivals: 2, bookedArrivals: 1, walkIns: 1, deals: 2, revenue: 1_500_000,
      consultRate: 0.5, appointmentRate: 1, arrivalRate: 1, closeRate: 1, avgDeal: 750_000, uplift: 0.2,
      spend: 600_000, roi: 1.5,
    });
    expect(r.douyin).toMatchObject({
      visitors: 1, views: 2, consults: 1, appointments: 1, arrivals: 1, deals: 1, revenue: 1_500_000,
      consultRate: 1, appointmentRate: 1, arrivalRate: 1, closeRate: 1, avgDeal: 1_500_000, uplift: -0.25,
    });
  });
});

describe('channel report by store', () => {
  it('has the offline stages only', async () => {
    const r = byKey((await get(`site=${site}&from=${D.day}&to=${D.day}&by=store`)).rows, 'store');
    expect(r.s1).toEqual({
      store: 's1', visitors: null, views: null, consults: null, appointments: 1, arrivals: 2, bookedArrivals: 1, walkIns: 1, deals: 2, revenue: 1_500_000,
      consultRate: null, appointmentRate: null, arrivalRate: 1, closeRate: 1, avgDeal: 750_000, uplift: 0.2,
    });
    expect(r.s2).toMatchObject({ appointments: 1, arrivals: 1, deals: 1, revenue: 1_500_000, uplift: -0.25 });
  });
});

describe('groups of sites, CSV and access', () => {
  it('adds up a group of sites the token may read', async () => {
    const both = await createToken('report', [site, other]);
    const r = byKey((await get(`site=${site},${other}&from=${D.day}&to=${D.day}`, both)).rows);
    expect(r.wechat).toMatchObject({ visitors: 4, deals: 3 });
  });

  it('refuses a group with a site the token does not name', async () => {
    const res = await call(`/api/v1/reports/channels?site=${site},${other}&from=${D.day}&to=${D.day}`, { token });
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
  });

  it('answers CSV with a BOM, a header and quoted cells', async () => {
    const res = await call(`/api/v1/reports/channels?site=${site}&from=${D.day}&to=${D.day}&format=csv`, { token: ADMIN });
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]).toBe('channel,channelName,visitors,views,consults,appointments,arrivals,bookedArrivals,walkIns,deals,revenue_yuan,consultRate,appointmentRate,arrivalRate,closeRate,avgDeal_yuan,uplift,spend_yuan,costPerConsult_yuan,costPerAppointment_yuan,costPerArrival_yuan,costPerDeal_yuan,roi');
    // Money in yuan in the CSV (fen in the JSON): 3,000,000 fen = 30,000 yuan.
    expect(lines[1]).toBe('wechat,,3,3,2,2,3,2,1,3,30000,0.666667,1,1,1,10000,-0.1,6000,3000,3000,2000,2000,4');
    expect(lines).toContain('douyin,,1,1,0,0,0,0,0,0,0,0,,,,,,0,,,,,');
  });

  it('answers CSV with Chinese headers for lang=zh-CN, money in yuan, the BOM kept', async () => {
    const res = await call(`/api/v1/reports/channels?site=${site}&from=${D.day}&to=${D.day}&format=csv&lang=zh-CN`, { token });
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = new TextDecoder().decode(bytes).split('\r\n');
    expect(lines[0]).toBe('渠道,渠道名称,访客数,浏览量,咨询人数,预约数,到店数,预约到店数,自然到店数,成交人数,成交额（元）,咨询率,预约率,到店率,成交率,客单价（元）,超预算比例,'
      + '投放花费（元）,咨询成本（元）,预约成本（元）,到店成本（元）,成交成本（元）,投资回报率');
    expect(lines[1]).toBe('wechat,,3,3,2,2,3,2,1,3,30000,0.666667,1,1,1,10000,-0.1,6000,3000,3000,2000,2000,4');
  });

  it('explains each rate in English and Chinese, and keeps money in fen in the JSON', async () => {
    const res = await call(`/api/v1/reports/channels?site=${site}&from=${D.day}&to=${D.day}`, { token });
    const body = (await res.json()) as { rates: Record<string, { en: string; 'zh-CN': string }>; rows: Row[] };
    expect(Object.keys(body.rates)).toEqual(['consultRate', 'appointmentRate', 'arrivalRate', 'closeRate']);
    expect(body.rates.arrivalRate.en).toMatch(/walk-ins are left out/);
    expect(body.rates.arrivalRate['zh-CN']).toMatch(/到店率/);
    expect(byKey(body.rows).wechat.revenue).toBe(3_000_000);
  });

  it.each([
    ['attribution=any', 'invalid_parameter'],
    ['by=sku', 'invalid_parameter'],
    ['format=xml', 'invalid_parameter'],
    ['lang=fr', 'invalid_parameter'],
    ['period=year', 'invalid_parameter'],
  ])('refuses %s', async (qs, code) => {
    const res = await call(`/api/v1/reports/channels?site=${site}&from=${D.day}&to=${D.day}&${qs}`, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code } });
  });
});
