// Channel classification (hand-computed expectations) and touch sequences
// through the real /collect and D1.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { WireEvent } from '../../protocol/wire';
import { classifyLanding, type LandingContext } from '../../worker/attribution/classify';
import { parseRules } from '../../worker/attribution/rules';
import { ADMIN, call, createSite, ev, post, storedEvent } from './helpers';

const WECHAT_UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN';
const rules = parseRules([
  { prefix: 'dy_', channel: 'douyin_ads', source: 'douyin', medium: 'cpc' },
  { host: 'partner.example.com', channel: 'partner' },
  { clickId: 'gdt_vid', channel: 'tencent_ads', source: 'tencent' },
]);
const ctx = (userAgent = '', withRules = false): LandingContext => ({
  rules: withRules && rules.ok ? rules.rules : [],
  ownHosts: new Set(['shop.example.cn']),
  userAgent,
});
const view = (q: Record<string, string> = {}, r?: string): WireEvent => ({ i: 'x', t: 'view', ts: 1, v: 'v', ss: 's', q, r });

describe('classifyLanding', () => {
  it.each([
    // [what, params, referrer, channel, source, medium, strength]
    ['explicit code, lowercased', { ch: 'Baidu_SEM' }, undefined, 'baidu_sem', 'baidu_sem', '(not set)', 'strong'],
    ['code wins over UTM, UTM gives source/medium', { ch: 'wechat_moments', utm_source: 'wechat', utm_medium: 'social' }, undefined, 'wechat_moments', 'wechat', 'social', 'strong'],
    ['code with a search referrer', { ch: 'baidu_sem' }, 'https://www.baidu.com/s', 'baidu_sem', 'baidu', 'organic', 'strong'],
    ['UTM', { utm_source: 'Newsletter', utm_medium: 'Email' }, undefined, 'newsletter_email', 'newsletter', 'email', 'strong'],
    ['UTM beats a click id', { utm_source: 'baidu', utm_medium: 'cpc', bd_vid: 'x' }, undefined, 'baidu_cpc', 'baidu', 'cpc', 'strong'],
    ['Baidu click id', { bd_vid: 'abc' }, 'https://www.sogou.com/', 'baidu_cpc', 'baidu', 'cpc', 'strong'],
    ['360 click id', { qhclickid: 'abc' }, undefined, '360_cpc', '360', 'cpc', 'strong'],
    ['Ocean Engine click id from Douyin', { clickid: 'abc' }, 'https://www.douyin.com/video/1', 'douyin_cpc', 'douyin', 'cpc', 'strong'],
    ['Ocean Engine click id, app unknown', { clickid: 'abc' }, undefined, 'oceanengine_cpc', 'oceanengine', 'cpc', 'strong'],
    ['Google click id', { gclid: 'abc' }, undefined, 'google_cpc', 'google', 'cpc', 'strong'],
    ['Baidu search', {}, 'https://www.baidu.com/link', 'baidu_organic', 'baidu', 'organic', 'weak'],
    ['Baidu ad redirect', {}, 'https://www.baidu.com/baidu.php', 'baidu_cpc', 'baidu', 'cpc', 'weak'],
    ['Sogou mobile', {}, 'https://m.sogou.com/web/searchList.jsp', 'sogou_organic', 'sogou', 'organic', 'weak'],
    ['360 Search', {}, 'https://www.so.com/s', '360_organic', '360', 'organic', 'weak'],
    ['Shenma', {}, 'https://m.sm.cn/s', 'shenma_organic', 'shenma', 'organic', 'weak'],
    ['Bing China', {}, 'https://cn.bing.com/search', 'bing_organic', 'bing', 'organic', 'weak'],
    ['Google (dataset)', {}, 'https://www.google.com/', 'google_organic', 'google', 'organic', 'weak'],
    ['DuckDuckGo (dataset only)', {}, 'https://duckduckgo.com/', 'duckduckgo_organic', 'duckduckgo', 'organic', 'weak'],
    ['Weibo', {}, 'https://weibo.com/u/1', 'weibo_social', 'weibo', 'social', 'weak'],
    ['Zhihu', {}, 'https://www.zhihu.com/question/1', 'zhihu_social', 'zhihu', 'social', 'weak'],
    ['Douban (dataset and table agree)', {}, 'https://www.douban.com/group/1', 'douban_social', 'douban', 'social', 'weak'],
    ['Xiaohongshu', {}, 'https://www.xiaohongshu.com/explore/1', 'xiaohongshu_social', 'xiaohongshu', 'social', 'weak'],
    ['Toutiao feed', {}, 'https://www.toutiao.com/article/1', 'toutiao_social', 'toutiao', 'social', 'weak'],
    ['Toutiao search', {}, 'https://so.toutiao.com/search', 'toutiao_organic', 'toutiao', 'organic', 'weak'],
    ['Baidu Tieba forum', {}, 'https://tieba.baidu.com/p/1', 'tieba_social', 'tieba', 'social', 'weak'],
    ['Sina portal', {}, 'https://news.sina.com.cn/a', 'sina_referral', 'sina', 'referral', 'weak'],
    ['an unknown site', {}, 'https://blog.example.com/post', 'referral', 'blog.example.com', 'referral', 'weak'],
    ['the WeChat Android app', {}, 'android-app://com.tencent.mm/', 'wechat_app', 'wechat', 'app', 'weak'],
    ['internal navigation', {}, 'https://shop.example.cn/sku/1', 'direct', '(direct)', '(none)', 'none'],
    ['a referrer that is no URL', {}, 'not a url', 'direct', '(direct)', '(none)', 'none'],
    ['nothing at all', {}, undefined, 'direct', '(direct)', '(none)', 'none'],
    ['a promoter link', { pr: 'zhang' }, undefined, 'promoter', 'promoter', '(not set)', 'strong'],
    ['control characters leave a code (a NUL would split the credit rollups\' keys)', { ch: 'baidu_sem\u00002020-01-01\u0000\u0085' }, undefined, 'baidu_sem2020-01-01', 'baidu_sem2020-01-01', '(not set)', 'strong'],
  ] as const)('%s', (_what, q, r, channel, source, medium, strength) => {
    const l = classifyLanding(view({ ...q }, r), ctx());
    expect({ ...l.touch, strength: l.strength }).toMatchObject({ channel, source, medium, strength });
  });

  it('keeps a promoter link (only pr) channel promoter inside WeChat and from a referrer, with where it was read as its source', () => {
    const inApp = classifyLanding(view({ pr: 'li4' }), ctx(WECHAT_UA));
    expect({ ...inApp.touch, strength: inApp.strength }).toMatchObject({ channel: 'promoter', source: 'wechat', promoter: 'li4', strength: 'strong' });
    const referred = classifyLanding(view({ pr: 'li4' }, 'https://www.baidu.com/s'), ctx());
    expect(referred.touch).toMatchObject({ channel: 'promoter', source: 'baidu', promoter: 'li4' });
    // A code, UTM or click id still names the channel, the promoter beside it.
    expect(classifyLanding(view({ pr: 'li4', bd_vid: 'c1' }), ctx(WECHAT_UA)).touch).toMatchObject({ channel: 'baidu_cpc', promoter: 'li4' });
    expect(classifyLanding(view({ pr: 'li4', ch: 'poster' }), ctx(WECHAT_UA)).touch).toMatchObject({ channel: 'poster', promoter: 'li4' });
  });

  it('keeps the promoter and the campaign beside the channel', () => {
    const l = classifyLanding(view({ ch: 'store_flyer', pr: 'zhang-01', utm_campaign: 'spring' }), ctx());
    expect(l.touch).toEqual({ channel: 'store_flyer', source: 'store_flyer', medium: '(not set)', campaign: 'spring', promoter: 'zhang-01' });
  });

  it.each([
    ['WeChat', WECHAT_UA, 'wechat_app'],
    ['WeCom (says MicroMessenger too)', `${WECHAT_UA} wxwork/4.1.0`, 'wecom_app'],
    ['QQ', 'Mozilla/5.0 (Linux; Android 12) MQQBrowser/6.2 TBS/046011 Mobile Safari/537.36 V1_AND_SQ_8.9.0 QQ/8.9.0.8470', 'qq_app'],
    ['Weibo', 'Mozilla/5.0 (iPhone) Mobile/15E148 Weibo (iPhone14,2__weibo__13.1.0__iphone__os16.0)', 'weibo_app'],
    ['Douyin', 'Mozilla/5.0 (Linux; Android 12) Mobile Safari/537.36 aweme_230400 JsSdk/1.0 NetType/WIFI', 'douyin_app'],
    ['DingTalk', 'Mozilla/5.0 (iPhone) Mobile/15E148 AliApp(DingTalk/7.0.20) com.laiwang.DingTalk', 'dingtalk_app'],
  ])('recognises the %s in-app browser when there is no referrer', (_app, ua, channel) => {
    expect(classifyLanding(view(), ctx(ua)).touch.channel).toBe(channel);
    // An internal referrer inside the app is navigation, not a landing.
    expect(classifyLanding(view({}, 'https://shop.example.cn/'), ctx(ua)).strength).toBe('none');
  });

  it('applies site rules: a code prefix and a referrer host', () => {
    expect(classifyLanding(view({ ch: 'DY_spring_01' }), ctx('', true)).touch).toMatchObject({ channel: 'douyin_ads', source: 'douyin', medium: 'cpc' });
    expect(classifyLanding(view({}, 'https://shop.partner.example.com/x'), ctx('', true)).touch).toMatchObject({
      channel: 'partner', source: 'shop.partner.example.com', medium: 'referral',
    });
    // A brand's own ad click id: strong, medium cpc unless the rule says otherwise; it outranks a referrer, not UTM.
    expect(classifyLanding(view({ gdt_vid: 'G1' }, 'https://www.baidu.com/s'), ctx('', true))).toMatchObject({
      touch: { channel: 'tencent_ads', source: 'tencent', medium: 'cpc' }, strength: 'strong',
    });
    expect(classifyLanding(view({ gdt_vid: 'G1', utm_source: 'qq', utm_medium: 'cpc' }), ctx('', true)).touch.channel).toBe('qq_cpc');
    // Without the rules the same landings classify by the defaults.
    expect(classifyLanding(view({ gdt_vid: 'G1' }), ctx()).touch.channel).toBe('direct');
    expect(classifyLanding(view({ ch: 'dy_spring_01' }), ctx()).touch.channel).toBe('dy_spring_01');
    expect(classifyLanding(view({}, 'https://partner.example.com/x'), ctx()).touch.channel).toBe('referral');
  });
});

const DAY = 86_400_000;

describe('touch sequences through /collect', () => {
  let site: string;
  beforeAll(async () => {
    site = await createSite({ attributionDays: 1, origins: ['https://shop.example.cn'] });
  });
  const row = (id: string) => storedEvent(site, id);
  const visitor = (v: string) =>
    env.DB.prepare('SELECT first_channel, last_channel, last_promoter FROM visitors WHERE site_key = ?1 AND visitor_id = ?2').bind(site, v).first();

  it('direct, then paid, then direct within the window: the return is credited to paid', async () => {
    const now = Date.now();
    const v = 'seq-1';
    const a = ev({ v, ss: 's1', ts: now - 3 * DAY, q: undefined });
    const b = ev({ v, ss: 's2', ts: now - 2.9 * DAY, q: { bd_vid: 'c1', pr: 'li' } });
    const c = ev({ v, ss: 's3', ts: now - 2.5 * DAY, q: undefined });
    const consult = ev({ v, ss: 's3', t: 'consult', c: 'chat', ts: now - 2.5 * DAY + 1000 });
    expect((await post({ s: site, e: [a, b, c, consult] })).status).toBe(202);
    expect((await row(a.i))?.channel).toBe('direct');
    expect((await row(b.i))?.channel).toBe('baidu_cpc');
    expect((await row(c.i))?.channel).toBe('baidu_cpc');
    expect((await row(consult.i))?.channel).toBe('baidu_cpc');
    expect(await visitor(v)).toMatchObject({ first_channel: 'direct', last_channel: 'baidu_cpc', last_promoter: 'li' });
  });

  it('two views of one millisecond folded in the other order: the landing is still the first touch', async () => {
    const at = Date.now() - 60_000;
    const v = 'seq-tie';
    // The page the landing led to is folded first (another request, another fold), then the landing itself.
    await post({ s: site, e: [ev({ v, ss: 's1', ts: at, q: undefined })] });
    await post({ s: site, e: [ev({ v, ss: 's1', ts: at, q: { ch: 'weibo' } })] });
    expect(await visitor(v)).toMatchObject({ first_channel: 'weibo', last_channel: 'weibo' });
  });

  it('past the window the paid touch earns nothing: the visitor is direct again', async () => {
    const now = Date.now();
    const v = 'seq-2';
    const paid = ev({ v, ss: 's1', ts: now - 4 * DAY, q: { ch: 'douyin_live' } });
    const late = ev({ v, ss: 's2', ts: now - 2 * DAY, q: undefined });
    const later = ev({ v, ss: 's2', t: 'consult', c: 'phone', ts: now - 2 * DAY + 5000 });
    await post({ s: site, e: [paid, late, later] });
    expect((await row(paid.i))?.channel).toBe('douyin_live');
    expect((await row(late.i))?.channel).toBe('direct');
    expect((await row(later.i))?.channel).toBe('direct');
    expect(await visitor(v)).toMatchObject({ first_channel: 'douyin_live', last_channel: 'direct' });
  });

  it('an event in a later batch is credited through the stored visitor row; a late delivery never rewinds it', async () => {
    const now = Date.now();
    const v = 'seq-3';
    await post({ s: site, e: [ev({ v, ss: 's1', ts: now - 60_000, q: { utm_source: 'zhihu', utm_medium: 'social' } })] });
    const consult = ev({ v, ss: 's1', t: 'consult', c: 'chat', ts: now - 30_000 });
    const old = ev({ v, ss: 's0', ts: now - 120_000, q: { ch: 'old_flyer' } });
    await post({ s: site, e: [consult, old] });
    expect((await row(consult.i))?.channel).toBe('zhihu_social');
    expect(await visitor(v)).toMatchObject({ last_channel: 'zhihu_social' });
  });

  it('inside WeChat, a reload in the same session keeps the paid touch; a new session from WeChat is a new touch', async () => {
    const now = Date.now();
    const v = 'seq-4';
    const headers = { 'user-agent': WECHAT_UA };
    const paid = ev({ v, ss: 's1', ts: now - 50_000, q: { ch: 'wechat_ads' } });
    const reload = ev({ v, ss: 's1', ts: now - 40_000, q: undefined, r: undefined });
    await post({ s: site, e: [paid, reload] }, 'text/plain', headers);
    expect((await row(reload.i))?.channel).toBe('wechat_ads');
    const next = ev({ v, ss: 's2', ts: now - 10_000, q: undefined, r: undefined });
    await post({ s: site, e: [next] }, 'text/plain', headers);
    expect((await row(next.i))?.channel).toBe('wechat_app');
  });

  it("uses the site's own rules, set through the admin API", async () => {
    const res = await call(`/api/v1/admin/sites/${site}`, {
      method: 'PATCH', token: ADMIN, json: { channelRules: [{ prefix: 'flyer_', channel: 'offline_flyer' }] },
    });
    expect(res.status).toBe(200);
    const e = ev({ v: 'seq-5', q: { ch: 'flyer_xuhui_03' } });
    await post({ s: site, e: [e] });
    expect((await row(e.i))?.channel).toBe('offline_flyer');
  });

  it("credits the site's own ad click id, which only its click-id rule lets in (gdt_vid is kept anyway: the ad connectors read it)", async () => {
    const tencent = await createSite({ channelRules: [{ clickId: 'wx_aid', channel: 'tencent_ads', source: 'tencent' }] });
    const plain = await createSite();
    const q = { wx_aid: 'G1', other_click: 'other' };
    const a = ev({ v: 'seq-7', q });
    const b = ev({ v: 'seq-7', q });
    expect(await (await post({ s: tencent, e: [a] })).json()).toMatchObject({ accepted: 1 });
    await post({ s: plain, e: [b] });
    const withRule = (await storedEvent(tencent, a.i))!;
    expect(withRule.channel).toBe('tencent_ads');
    expect(withRule.data!.q).toEqual({ wx_aid: 'G1' }); // a parameter no rule names is still dropped
    const without = (await storedEvent(plain, b.i))!;
    expect(without.channel).toBe('direct');
    expect(without.data).toBeNull();
    // The ad platforms' click ids (worker/adplatforms/) are kept without a rule; they credit nothing by themselves.
    const c = ev({ v: 'seq-8', q: { gdt_vid: 'G2', qz_gdt: 'Q2', other_click: 'x' } });
    await post({ s: plain, e: [c] });
    const kept = (await storedEvent(plain, c.i))!;
    expect(kept.data!.q).toEqual({ gdt_vid: 'G2', qz_gdt: 'Q2' });
    expect(kept.channel).toBe('direct');
  });

  it('internal navigation from an allowed origin is not a referral', async () => {
    const v = 'seq-6';
    const land = ev({ v, ss: 's1', q: undefined, r: 'https://www.zhihu.com/question/9' });
    const inner = ev({ v, ss: 's1', q: undefined, r: 'https://shop.example.cn/' });
    await post({ s: site, e: [land, inner] }, 'text/plain', { origin: 'https://shop.example.cn' });
    expect((await row(land.i))?.channel).toBe('zhihu_social');
    expect((await row(inner.i))?.channel).toBe('zhihu_social');
  });
});
