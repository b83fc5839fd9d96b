// Known bots and crawlers: a 2xx (so they do not retry), nothing stored, counted per day.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CollectResult } from '../../protocol/wire';
import { ADMIN, call, createSite, ev, post, storedEvent, storedEvents, today } from './helpers';

const BOTS = [
  'Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)',
  'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)',
  'Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)',
  'Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)',
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.0.0 Safari/537.36',
  'curl/8.5.0',
];
const PHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1';

let site: string;
beforeAll(async () => {
  site = await createSite();
});

// The site's folded events (post() waits for the fold of the bot's count message too).
const count = async () => (await storedEvents(site)).length;

describe('bots', () => {
  it.each(BOTS)('drops %s with a 202 and stores nothing', async (ua) => {
    const before = await count();
    const res = await post({ s: site, e: [ev(), ev()] }, 'text/plain', { 'user-agent': ua });
    expect(res.status).toBe(202);
    expect(await res.json()).toEqual({ accepted: 0, duplicates: 0, rejected: [], dropped: 2 });
    expect(await count()).toBe(before);
  });

  it('counts what was dropped per site and local day, readable by the admin', async () => {
    const row = await env.DB.prepare('SELECT events, requests FROM bot_hits WHERE site_key = ?1 AND day = ?2').bind(site, today()).first();
    expect(row).toEqual({ events: 2 * BOTS.length, requests: BOTS.length });
    const res = await call(`/api/v1/admin/sites/${site}/bots?from=${today()}&to=${today()}`, { token: ADMIN });
    expect(await res.json()).toMatchObject({ days: [{ day: today(), events: 2 * BOTS.length, requests: BOTS.length }] });
  });

  it('stores a real browser, and a server-side sender with no user agent', async () => {
    const a = ev();
    const b = ev();
    const r1 = (await (await post({ s: site, e: [a] }, 'text/plain', { 'user-agent': PHONE })).json()) as CollectResult;
    const r2 = (await (await post({ s: site, e: [b] }, 'text/plain', { 'user-agent': '' })).json()) as CollectResult;
    expect([r1.accepted, r2.accepted]).toEqual([1, 1]);
    expect(r1.dropped).toBeUndefined();
    expect(await storedEvent(site, a.i)).not.toBeNull();
    expect(await storedEvent(site, b.i)).not.toBeNull();
  });
});
