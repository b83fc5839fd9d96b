// The mini program SDK's real output against the real worker: the SDK module
// (sdk/miniprogram/) runs here in workerd under a simulated `wx` whose
// wx.request posts to the worker with the Referer a mini program sends
// (https://servicewechat.com/<appid>/<version>/page-frame.html). Allowed app
// ids are accepted and folded (channel from the scene, source
// wechat_miniprogram, the scene number as medium); others get a 403; the scenes
// report reads the cohort.
import { env, SELF } from 'cloudflare:test';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ScenesReport } from '../../protocol/scenes';
import { createTracker, encodeScene, type LaunchOptions } from '../../sdk/miniprogram/index';
import { ADMIN, BASE, call, createSite, createToken, foldOf, today } from './helpers';
import { store } from './report-fixtures';

const APP = 'wx1234567890abcdef';
const referer = (app: string) => `https://servicewechat.com/${app}/3/page-frame.html`;

/** A `wx` from WeChat's documented API whose requests reach the worker; `sent` keeps each answer for the fold wait. */
function fakeWx(app: string, launch: LaunchOptions) {
  const storage = new Map<string, unknown>();
  const answers: Promise<{ site: string; res: Response; body: unknown }>[] = [];
  const wx = {
    request(o: { url: string; data: string; header: Record<string, string>; success: (r: { statusCode: number; data: unknown }) => void; fail: (e: { errMsg: string }) => void }) {
      const url = o.url.replace(/^https:\/\/stats\.acme\.cn/, BASE);
      const p = SELF.fetch(url, { method: 'POST', headers: { ...o.header, referer: referer(app), 'user-agent': 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.50 miniProgram' }, body: o.data }).then(async (res) => {
        const body = await res.json();
        o.success({ statusCode: res.status, data: body });
        return { site: (JSON.parse(o.data) as { s: string }).s, res, body };
      });
      answers.push(p);
    },
    getStorageSync: (k: string) => (storage.has(k) ? structuredClone(storage.get(k)) : ''),
    setStorageSync: (k: string, v: unknown) => void storage.set(k, structuredClone(v)),
    getLaunchOptionsSync: () => launch,
    makePhoneCall: () => undefined,
  };
  (globalThis as { wx?: unknown }).wx = wx;
  /** Waits for every request so far and for the fold of what each enqueued; the answers' bodies. */
  const settled = async () => {
    const all = await Promise.all(answers.splice(0));
    for (const a of all) await foldOf(a.site, a.res);
    return all;
  };
  return { wx, settled };
}

/** A page as WeChat makes it: `route`, then the lifecycle the test drives. */
function openPage(o2o: ReturnType<typeof createTracker>, route: string, options: Record<string, string> = {}) {
  const page = { route, ...o2o.page({}) } as { route: string; onLoad: (o: unknown) => void; onShow: () => void; onHide: () => void };
  page.onLoad.call(page, options);
  page.onShow.call(page);
  return page;
}

afterEach(() => {
  delete (globalThis as { wx?: unknown }).wx;
});

describe('a mini program posting to the worker', () => {
  let site: string;
  beforeAll(async () => {
    site = await createSite({ miniprogramAppIds: [APP] });
    await store(site, 'sh-xuhui', '上海', '上海');
  });

  it('shows the allowed app ids in the site settings', async () => {
    const res = await call(`/api/v1/admin/sites/${site}`, { token: ADMIN });
    expect(((await res.json()) as { site: { miniprogramAppIds: string[] } }).site.miniprogramAppIds).toEqual([APP]);
    const bad = await call(`/api/v1/admin/sites/${site}`, { method: 'PATCH', token: ADMIN, json: { miniprogramAppIds: ['https://servicewechat.com'] } });
    expect(bad.status).toBe(400);
  });

  it('folds a scanned code: channel and promoter from its scene, source wechat_miniprogram, the scene as medium; the lead code at once', async () => {
    const { settled } = fakeWx(APP, { path: 'pages/sku/index', scene: 1047, query: { scene: encodeURIComponent(encodeScene({ ch: 'dy_live', pr: 'p0123' })) } });
    const o2o = createTracker({ site, endpoint: 'https://stats.acme.cn' });
    const app = o2o.app({}) as { onLaunch: (l: unknown) => void; onShow: (l: unknown) => void };
    const launch = { path: 'pages/sku/index', scene: 1047, query: { scene: 'dy_live~p0123' } };
    app.onLaunch.call(app, launch);
    app.onShow.call(app, launch);
    const first = openPage(o2o, 'pages/sku/index', { sku: 'SOFA-101' });
    o2o.tap({ currentTarget: { dataset: { o2oConsult: 'phone', o2oLabel: '门店电话' } } });
    first.onHide.call(first); // the dwell and the queue leave
    openPage(o2o, 'pages/list/index'); // navigation inside the app: not a landing
    o2o.flush();
    const answers = await settled();
    expect(answers.map((a) => a.res.status)).toEqual([202, 202]);
    // The view and the consult, and the dwell when workerd's clock moved between show and hide (it moves only across I/O).
    expect(answers[0].body).toMatchObject({ rejected: [] });
    expect((answers[0].body as { accepted: number }).accepted).toBeGreaterThanOrEqual(2);

    const code = o2o.appointment({ store: 'sh-xuhui', budget: 12000 });
    await settled();
    const lead = await code;
    expect(lead).toMatch(/^[0-9A-Z]{6}$/);

    const v = await env.DB.prepare(`SELECT visitor_id, first_channel, first_source, first_medium, first_promoter, last_channel, last_medium FROM visitors WHERE site_key = ?1`)
      .bind(site).all<Record<string, string>>();
    expect(v.results).toHaveLength(1);
    expect(v.results[0]).toMatchObject({
      first_channel: 'dy_live', first_source: 'wechat_miniprogram', first_medium: '1047', first_promoter: 'p0123', last_channel: 'dy_live', last_medium: '1047',
    });
    const l = await env.DB.prepare('SELECT first_channel, last_promoter, visitor_id FROM leads WHERE site_key = ?1 AND code = ?2').bind(site, lead).first();
    expect(l).toMatchObject({ first_channel: 'dy_live', last_promoter: 'p0123', visitor_id: v.results[0].visitor_id });

    // The store's side, through the staff API: the visitor arrives with the code and buys; the scenes report follows the cohort there.
    expect((await call('/api/v1/arrivals', { method: 'POST', token: ADMIN, json: { site, store: 'sh-xuhui', lead } })).status).toBe(201);
    const sold = await call('/api/v1/deals', { method: 'POST', token: ADMIN, headers: { 'idempotency-key': `mp-${lead}` }, json: { site, store: 'sh-xuhui', lead, amount: 1_200_000 } });
    expect(sold.status).toBe(201);
  });

  it('a shared card with no code is channel wechat_miniprogram, kept apart by its scene', async () => {
    const { settled } = fakeWx(APP, { path: 'pages/index/index', scene: 1007, query: {} });
    const o2o = createTracker({ site, endpoint: 'https://stats.acme.cn' });
    openPage(o2o, 'pages/index/index');
    o2o.flush();
    await settled();
    const r = await env.DB.prepare(`SELECT first_channel, first_source, first_medium FROM visitors WHERE site_key = ?1 AND first_medium = '1007'`).bind(site).first();
    expect(r).toEqual({ first_channel: 'wechat_miniprogram', first_source: 'wechat_miniprogram', first_medium: '1007' });
  });

  it('answers the scenes report: visitors by scene, with how many booked, arrived and bought', async () => {
    const token = await createToken('report', [site]);
    const res = await call(`/api/v1/reports/scenes?site=${site}&from=${today()}&to=${today()}`, { token });
    expect(res.status).toBe(200);
    const body = (await res.json()) as ScenesReport;
    expect(body.rows).toEqual([
      { scene: '1007', name: '单聊分享卡片', visitors: 1, booked: 0, arrived: 0, bought: 0, revenue: 0 },
      { scene: '1047', name: '扫小程序码', visitors: 1, booked: 1, arrived: 1, bought: 1, revenue: 1_200_000 },
    ]);
    // A range before the visits holds nobody; a bad range is a 400.
    const none = await call(`/api/v1/reports/scenes?site=${site}&from=2026-01-01&to=2026-01-02`, { token });
    expect(((await none.json()) as ScenesReport).rows).toEqual([]);
    const bad = await call(`/api/v1/reports/scenes?site=${site}&from=${today()}&to=2026-01-01`, { token });
    expect(bad.status).toBe(400);
    // The CSV: the same rows, Chinese headers, revenue in yuan.
    const csv = await (await call(`/api/v1/reports/scenes?site=${site}&from=${today()}&to=${today()}&format=csv&lang=zh-CN`, { token })).text();
    expect(csv.replace(/^\uFEFF/, '').trim().split('\r\n')).toEqual([
      '场景值,场景,访客数,预约人数,到店人数,成交人数,成交额（元）',
      '1007,单聊分享卡片,1,0,0,0,0',
      '1047,扫小程序码,1,1,1,1,12000',
    ]);
  });
});

describe('the scenes report holds the mini program\'s own visitors', () => {
  it('a web page or a server claiming a launch scene or utm_source=wechat_miniprogram is a web landing, outside the cohort', async () => {
    const s = await createSite({ miniprogramAppIds: [APP] });
    const views = ['constructor', '__proto__', '1047'].map((m, n) => ({
      i: `claim-${n}`, t: 'view', ts: Date.now(), v: `cv${n}`, ss: `cs${n}`, u: '/', sc: 1047, q: { utm_source: 'wechat_miniprogram', utm_medium: m },
    }));
    await foldOf(s, await SELF.fetch(`${BASE}/collect`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify({ s, e: views }) }));
    const res = await call(`/api/v1/reports/scenes?site=${s}&from=${today()}&to=${today()}`, { token: ADMIN });
    expect(res.status).toBe(200);
    expect(((await res.json()) as ScenesReport).rows).toEqual([]);
    const { results } = await env.DB.prepare('SELECT first_source AS s FROM visitors WHERE site_key = ?1').bind(s).all<{ s: string }>();
    expect(results.map((r) => r.s)).toEqual(['wechat_miniprogram_h5', 'wechat_miniprogram_h5', 'wechat_miniprogram_h5']);
  });
});

describe("the Referer's app id", () => {
  const batch = (s: string) => JSON.stringify({ s, e: [{ i: 'mp-evt-1', t: 'view', ts: Date.now(), v: 'mp-v', ss: 'mp-s', u: '/pages/index/index', sc: 1047 }] });
  const send = (s: string, app: string) => SELF.fetch(`${BASE}/collect`, { method: 'POST', headers: { 'content-type': 'application/json', referer: referer(app) }, body: batch(s) });

  it('refuses a mini program the site does not allow, naming its app id', async () => {
    const s = await createSite({ miniprogramAppIds: [APP] });
    const res = await send(s, 'wxffffffffffffffff');
    expect(res.status).toBe(403);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('origin_not_allowed');
    expect(body.error.message).toContain('wxffffffffffffffff');
  });

  it('refuses every mini program while the site lists none, as an empty origins list admits no other page', async () => {
    const s = await createSite();
    expect((await send(s, APP)).status).toBe(403);
    // The development build's Referer (version devtools) names the same app id.
    const allowed = await createSite({ miniprogramAppIds: [APP] });
    const res = await SELF.fetch(`${BASE}/collect`, {
      method: 'POST', headers: { 'content-type': 'application/json', referer: `https://servicewechat.com/${APP}/devtools/page-frame.html` }, body: batch(allowed),
    });
    expect(res.status).toBe(202);
    await foldOf(allowed, res);
  });
});
