// Fixtures for the morning-report tests: a furniture site with two stores, a
// day (yesterday, Shanghai) whose events go through the real /collect and its
// queue fold, and the same weekday a week earlier, folded by the real fold at
// its own time (/collect takes events up to 7 days old); arrivals and deals as
// report-fixtures.ts writes them. The robots are added through the admin API.
import { env } from 'cloudflare:test';
import { expect } from 'vitest';
import { getSite } from '../../worker/db/sites';
import type { Env } from '../../worker/env';
import { commitFold } from '../../worker/ingest/commit';
import { ADMIN, call, createSite } from './helpers';
import { message, msgId } from './queue-fixtures';
import { arrival, at, deal, leadOf, postOk, shanghaiDay } from './report-fixtures';

/** The signing secret test/worker/crm-receiver.js verifies DingTalk's messages with. */
export const DINGTALK_SECRET = 'SECtest0123456789abcdef0123456789abcdef0123456789abcdef012345';
export const ORIGIN = 'https://www.muyu.test';

export const D = shanghaiDay(1); // yesterday
export const W = shanghaiDay(8); // the same weekday a week earlier

const SH = { country: 'CN', region: 'Shanghai', city: 'Shanghai' };
const ZJ = { country: 'CN', region: 'Zhejiang', city: 'Hangzhou' };

/** The region name the fold gave a SKU's visitors (the edge names places as reports and stores do). */
async function regionOf(site: string, sku: string): Promise<string> {
  const r = await env.DB.prepare("SELECT place FROM sku_totals WHERE site_key = ?1 AND p = 'r' AND sku = ?2").bind(site, sku).first<{ place: string }>();
  if (!r) throw new Error(`no region for ${sku}`);
  return r.place;
}

export interface Seeded {
  site: string;
  shanghai: string; // the region's name as the reports have it
  zhejiang: string;
}

/** A site with stores s1 (上海徐汇店) and s2 (杭州西湖店) and the two days' funnels (the numbers: robots.test.ts). */
export async function seededSite(): Promise<Seeded> {
  const site = await createSite({ name: '木语家居', origins: [ORIGIN] });
  const putStore = async (id: string, name: string, region: string | null) => {
    const res = await call(`/api/v1/admin/sites/${site}/stores/${id}`, { method: 'PUT', token: ADMIN, json: { name, region } });
    expect(res.status, await res.clone().text()).toBe(200);
  };
  await putStore('s1', '上海徐汇店', null); // regions below, named as the visitors' are
  await putStore('s2', '杭州西湖店', null);

  // Yesterday: a (wechat) consults on SOFA-01 and books s1; b (baidu_sem) consults on BED-02;
  // c (wechat) views SOFA-01 and walks into s1; d (douyin, Zhejiang) consults on TABLE-9 and books s2.
  const t = D.start + 10 * 3600_000;
  await postOk(site, [
    at(t, 'a', { q: { ch: 'wechat' }, k: 'SOFA-01', u: '/p/SOFA-01' }),
    at(t, 'a', { t: 'consult', c: 'chat', k: 'SOFA-01' }),
    at(t, 'a', { t: 'appointment', p: { store: 's1', sku: 'SOFA-01' } }),
    at(t, 'b', { q: { ch: 'baidu_sem' }, k: 'BED-02', u: '/p/BED-02' }),
    at(t, 'b', { t: 'consult', c: 'phone', k: 'BED-02' }),
    at(t, 'c', { q: { ch: 'wechat' }, k: 'SOFA-01', u: '/p/SOFA-01' }),
  ], SH);
  await postOk(site, [
    at(t, 'd', { q: { ch: 'douyin' }, k: 'TABLE-9', u: '/p/TABLE-9' }),
    at(t, 'd', { t: 'consult', c: 'chat', k: 'TABLE-9' }),
    at(t, 'd', { t: 'appointment', p: { store: 's2' } }),
  ], ZJ);
  const [la, ld] = [await leadOf(site, 'a'), await leadOf(site, 'd')];
  await arrival(site, { lead: la, store: 's1', day: D.day });
  await arrival(site, { lead: ld, store: 's2', day: D.day });
  await arrival(site, { visitor: 'c', store: 's1', day: D.day });
  await deal(site, { lead: la, store: 's1', day: D.day, amount: 1_350_000, items: [{ sku: 'SOFA-01', qty: 1, amount: 1_350_000 }] });
  await deal(site, { visitor: 'c', store: 's1', day: D.day, amount: 300_000 });
  await deal(site, { lead: ld, store: 's2', day: D.day, amount: 9_999_900, voided: true }); // voided: not counted

  // A week earlier: w1 (wechat) consults, w2 and w3 (wechat) only look; w4 (baidu_sem)
  // consults, books, walks into s1 and buys. Folded by the real fold at that day's time.
  const tw = W.start + 10 * 3600_000;
  const m = await message(site, [
    at(tw, 'w1', { q: { ch: 'wechat' } }), at(tw, 'w1', { t: 'consult', c: 'chat' }),
    at(tw, 'w2', { q: { ch: 'wechat' } }), at(tw, 'w3', { q: { ch: 'wechat' } }),
    at(tw, 'w4', { q: { ch: 'baidu_sem' } }), at(tw, 'w4', { t: 'consult', c: 'chat' }), at(tw, 'w4', { t: 'appointment', p: { store: 's1' } }),
  ], SH, tw + 60_000);
  expect(m.events).toHaveLength(7);
  await commitFold(env as unknown as Env, (await getSite(env.DB, site))!, [m], [msgId()]);
  await arrival(site, { visitor: 'w4', store: 's1', day: W.day });
  await deal(site, { visitor: 'w4', store: 's1', day: W.day, amount: 500_000 });
  // The stores' regions as the visitors' are named, so the SKU report puts s1's sales in s1's region.
  const [shanghai, zhejiang] = [await regionOf(site, 'SOFA-01'), await regionOf(site, 'TABLE-9')];
  await putStore('s1', '上海徐汇店', shanghai);
  await putStore('s2', '杭州西湖店', zhejiang);
  return { site, shanghai, zhejiang };
}

/** PUT a robot; expects 201. */
export async function addRobot(site: string, id: string, json: Record<string, unknown>): Promise<Record<string, unknown>> {
  const res = await call(`/api/v1/admin/sites/${site}/robots/${id}`, { method: 'PUT', token: ADMIN, json });
  expect(res.status, await res.clone().text()).toBe(201);
  return ((await res.json()) as { robot: Record<string, unknown> }).robot;
}

export interface RobotMessage {
  kind: 'wecom' | 'dingtalk';
  attempt: number;
  errcode: number;
  errmsg: string;
  body: { msgtype: string; markdown: { content?: string; title?: string; text?: string } };
  query: Record<string, string>;
}

/** What the receiver's robot got for keys "<mode>-<name>". */
export const robotGot = async (name: string): Promise<RobotMessage[]> => (await fetch(`http://crm.test/robots/${name}`)).json();
