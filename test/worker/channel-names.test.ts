// A site's display names for its channel codes (douyin_live → 抖音直播): set on
// create and merged on PATCH by the admin token only, read back in the site's
// admin JSON and the session, named on the channel report's rows (JSON and both
// CSV header languages) and in the morning report; hostile names stay text;
// every limit is a 400 that says what is wrong. In workerd against real D1.
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import seedSql from '../../worker/db/seed-demo.sql?raw';
import { CHANNELS } from '../../scripts/demo-week.mjs';
import { getSite } from '../../worker/db/sites';
import { morningMessage } from '../../worker/robots/message';
import { morningNumbers } from '../../worker/robots/numbers';
import { ADMIN, BASE, call, createSite, createToken } from './helpers';
import { arrival, at, deal, leadOf, postOk, shanghaiDay, store } from './report-fixtures';

type Json = Record<string, unknown>;
const D = shanghaiDay(1);
const HOSTILE = '<img src=x onerror=alert(1)>';
const FORMULA = '=HYPERLINK("http://evil.test","点我")';
const MARKDOWN = '[点我](http://evil.test) **抖音**';

const patch = (site: string, json: unknown, token = ADMIN) => call(`/api/v1/admin/sites/${site}`, { method: 'PATCH', token, json });
const siteJson = async (site: string) => ((await (await call(`/api/v1/admin/sites/${site}`, { token: ADMIN })).json()) as { site: Json }).site;

async function refused(res: Response, message: RegExp): Promise<void> {
  expect(res.status, await res.clone().text()).toBe(400);
  const { error } = (await res.json()) as { error: { code: string; message: string } };
  expect(error.code).toBe('invalid_field');
  expect(error.message).toMatch(message);
}

async function report(site: string, qs = '', token = ADMIN) {
  const res = await call(`/api/v1/reports/channels?site=${site}&from=${D.day}&to=${D.day}${qs}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return res;
}
const rowsOf = async (site: string, qs = '') => ((await (await report(site, qs)).json()) as { rows: Json[] }).rows;
const byChannel = (rows: Json[]) => Object.fromEntries(rows.map((r) => [r.channel, r]));
/** The CSV's lines, after its BOM (TextDecoder drops it). */
async function csvLines(site: string, qs: string): Promise<string[]> {
  const bytes = new Uint8Array(await (await report(site, `&format=csv${qs}`)).arrayBuffer());
  expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  return new TextDecoder().decode(bytes).split('\r\n');
}

describe('setting and reading the names', () => {
  it('takes names on create, trimmed, answered with codes in order', async () => {
    const site = await createSite({ channelNames: { xiaohongshu: ' 小红书 ', baidu_sem: '百度搜索推广' } });
    const names = (await siteJson(site)).channelNames;
    expect(names).toEqual({ baidu_sem: '百度搜索推广', xiaohongshu: '小红书' });
    expect(Object.keys(names as Json)).toEqual(['baidu_sem', 'xiaohongshu']);
    expect((await createSite()).length).toBeGreaterThan(0); // none given: {}
  });

  it('merges a PATCH: a name sets its code, null deletes one, codes left out keep theirs; other settings untouched', async () => {
    const site = await createSite({ channelNames: { wechat: '微信', douyin: '抖音' }, timezone: 'Asia/Shanghai' });
    const res = await patch(site, { channelNames: { douyin_live: '抖音直播', douyin: null, wechat: '微信公众号' } });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(((await res.json()) as { site: Json }).site.channelNames).toEqual({ douyin_live: '抖音直播', wechat: '微信公众号' });
    expect((await patch(site, { name: 'Renamed' })).status).toBe(200);
    expect(await siteJson(site)).toMatchObject({ name: 'Renamed', channelNames: { douyin_live: '抖音直播', wechat: '微信公众号' } });
    expect((await patch(site, { channelNames: { wechat: null, douyin_live: null, never_set: null } })).status).toBe(200);
    expect((await siteJson(site)).channelNames).toEqual({});
  });

  it('answers them in GET /api/v1/session for a report token and a store token', async () => {
    const site = await createSite({ channelNames: { douyin_live: '抖音直播' } });
    const put = await call(`/api/v1/admin/sites/${site}/stores/s1`, { method: 'PUT', token: ADMIN, json: { name: '一店' } });
    expect(put.status).toBe(200);
    for (const token of [await createToken('report', [site]), await createToken('store', [site], ['s1'])]) {
      const body = (await (await call('/api/v1/session', { token })).json()) as { sites: Json[] };
      expect(body.sites).toMatchObject([{ siteKey: site, channelNames: { douyin_live: '抖音直播' } }]);
    }
  });

  it('is the admin token\'s alone: a report or store token cannot set them', async () => {
    const site = await createSite({ channelNames: { wechat: '微信' } });
    expect((await call(`/api/v1/admin/sites/${site}/stores/s1`, { method: 'PUT', token: ADMIN, json: { name: '一店' } })).status).toBe(200);
    for (const token of [await createToken('report', [site]), await createToken('store', [site], ['s1'])]) {
      const res = await patch(site, { channelNames: { wechat: '改掉' } }, token);
      expect(res.status).toBe(403);
      expect(await res.json()).toMatchObject({ error: { code: 'forbidden' } });
      const made = await call('/api/v1/admin/sites', { method: 'POST', token, json: { siteKey: `${site}-x`, name: 'x', channelNames: { wechat: '改掉' } } });
      expect(made.status).toBe(403);
    }
    expect((await siteJson(site)).channelNames).toEqual({ wechat: '微信' });
  });
});

describe('the limits, each a 400 that says what is wrong', () => {
  let site: string;
  beforeAll(async () => {
    site = await createSite({ channelNames: { wechat: '微信' } });
  });
  const many = (n: number, from = 0) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`ch${from + i}`, `渠道${from + i}`]));

  it('refuses a code the channel rules would not take', async () => {
    for (const code of ['Douyin', 'douyin live', '_x', '', 'a'.repeat(65), '抖音', 'x<y']) {
      await refused(await patch(site, { channelNames: { [code]: '名' } }), /must be a channel code: 1-64 lowercase letters/);
    }
  });

  it('refuses a name that is empty, longer than 40 characters, not text or not printable', async () => {
    for (const name of ['', '   ', '长'.repeat(41), 'a'.repeat(41), 'line\nbreak', 'tab\there', 'bell\u0007', 'rtl\u202eoverride', 'zero\u200bwidth', 'para\u2029sep', 7, true, ['x'], { zh: '抖音' }]) {
      await refused(await patch(site, { channelNames: { douyin: name } }), /"channelNames\.douyin" must be a name of 1 to 40 printable characters/);
    }
    // 40 characters are taken, counted as characters (an emoji outside the BMP is one).
    expect((await patch(site, { channelNames: { long: '长'.repeat(40), emoji: '📺'.repeat(40) } })).status).toBe(200);
    expect((await patch(site, { channelNames: { long: null, emoji: null } })).status).toBe(200);
  });

  it('refuses null on create (there is nothing to delete) and a map that is not an object', async () => {
    const res = await call('/api/v1/admin/sites', { method: 'POST', token: ADMIN, json: { siteKey: `${site}-n`, name: 'n', channelNames: { wechat: null } } });
    await refused(res, /"channelNames\.wechat" must be a name/);
    for (const bad of [['wechat'], '微信', 3]) await refused(await patch(site, { channelNames: bad }), /"channelNames" must be an object of channel codes to names/);
  });

  it('holds at most 200 names: in one body, and on the site after a merge', async () => {
    await refused(await patch(site, { channelNames: many(201) }), /"channelNames" must hold at most 200 names/);
    expect((await patch(site, { channelNames: many(199) })).status).toBe(200); // 199 + wechat = 200
    await refused(await patch(site, { channelNames: many(1, 500) }), /would leave the site 201 names: a site keeps at most 200 \(a null name deletes one\)/);
    expect(Object.keys((await siteJson(site)).channelNames as Json)).toHaveLength(200);
    expect((await patch(site, { channelNames: { wechat: null, ch500: '新渠道' } })).status).toBe(200); // a swap within the limit
    expect(Object.keys((await siteJson(site)).channelNames as Json)).toHaveLength(200);
  });

  it('refuses a code named like an Object property, with the envelope\'s own code', async () => {
    for (const body of ['{"channelNames":{"constructor":"名"}}', '{"channelNames":{"__proto__":"名"}}', '{"channelNames":{"prototype":null}}']) {
      const res = await call(`/api/v1/admin/sites/${site}`, { method: 'PATCH', token: ADMIN, headers: { 'content-type': 'application/json' }, body });
      await refused(res, /"channelNames" cannot name the codes "__proto__", "constructor", "prototype"/);
    }
  });
});

describe('the channel report names each channel', () => {
  let site: string;
  beforeAll(async () => {
    site = await createSite({ channelNames: { douyin_live: '抖音直播', wechat: HOSTILE, baidu_sem: FORMULA } });
    await store(site, 's1', '上海', '上海');
    const t = D.start + 10 * 3600_000;
    await postOk(site, [
      at(t, 'a', { q: { ch: 'douyin_live' } }),
      at(t, 'a', { t: 'consult', c: 'chat' }),
      at(t, 'a', { t: 'appointment', p: { store: 's1' } }),
      at(t, 'b', { q: { ch: 'wechat', utm_campaign: 'winter' } }),
      at(t, 'c', { q: { ch: 'baidu_sem' } }),
      at(t, 'd', { q: { ch: 'constructor' } }), // a code anyone can send, named after an Object property
      at(t, 'e', { q: { ch: 'xiaohongshu' } }),
    ]);
    const lead = await leadOf(site, 'a');
    await arrival(site, { lead, store: 's1', day: D.day });
    await deal(site, { lead, store: 's1', day: D.day, amount: 1_350_000 });
  });

  it('answers channelName beside the code in JSON, null where the site named none; hostile names as they were typed', async () => {
    const rows = byChannel(await rowsOf(site));
    expect(rows.douyin_live).toMatchObject({ channel: 'douyin_live', channelName: '抖音直播', visitors: 1, arrivals: 1, deals: 1, revenue: 1_350_000 });
    expect(rows.wechat.channelName).toBe(HOSTILE);
    expect(rows.baidu_sem.channelName).toBe(FORMULA);
    expect(rows.xiaohongshu.channelName).toBeNull();
    expect(rows.constructor.channelName).toBeNull(); // never an inherited property
    expect(Object.keys(rows.douyin_live).slice(0, 3)).toEqual(['channel', 'channelName', 'visitors']);
    // With a period, each period's row names its channel too.
    expect(byChannel(await rowsOf(site, '&period=day')).douyin_live).toMatchObject({ period: D.day, channelName: '抖音直播' });
  });

  it('leaves channelName out of the other groupings', async () => {
    for (const by of ['campaign', 'promoter', 'store']) {
      for (const r of await rowsOf(site, `&by=${by}`)) expect(r, by).not.toHaveProperty('channelName');
    }
  });

  it('writes the name in the CSV after the code: 渠道名称 in Chinese, channelName in English; a formula stays text', async () => {
    const zh = await csvLines(site, '&lang=zh-CN');
    expect(zh[0].startsWith('渠道,渠道名称,访客数,')).toBe(true);
    expect(zh).toContainEqual(expect.stringMatching(/^douyin_live,抖音直播,1,/));
    const en = await csvLines(site, '');
    expect(en[0].startsWith('channel,channelName,visitors,')).toBe(true);
    expect(en).toContainEqual(expect.stringMatching(/^xiaohongshu,,1,/)); // no name: an empty cell
    expect(en.find((l) => l.startsWith('wechat,'))).toMatch(new RegExp(`^wechat,${HOSTILE.replace(/[()]/g, '\\$&')},1,`)); // as typed: text to a sheet
    // The formula is defused (a leading apostrophe) and quoted (it holds quotes and a comma).
    expect(en).toContainEqual(expect.stringMatching(/^baidu_sem,"'=HYPERLINK\(""http:\/\/evil\.test"",""点我""\)",1,/));
    const period = await csvLines(site, '&lang=zh-CN&period=day');
    expect(period[0].startsWith('周期,渠道,渠道名称,')).toBe(true);
  });

  it('reads a group of sites with the first site\'s name where two differ', async () => {
    const other = await createSite({ channelNames: { douyin_live: '另一个名字', xiaohongshu: '小红书' } });
    const rows = byChannel(await rowsOf(`${site},${other}`));
    expect(rows.douyin_live.channelName).toBe('抖音直播');
    expect(rows.xiaohongshu.channelName).toBe('小红书');
    expect(byChannel(await rowsOf(`${other},${site}`)).douyin_live.channelName).toBe('另一个名字');
  });
});

describe('the morning report', () => {
  it('names each channel by the site\'s name, markdown in a name written as text', async () => {
    const site = await createSite({ name: '木语家居', channelNames: { douyin_live: '抖音直播', wechat: MARKDOWN } });
    const t = D.start + 10 * 3600_000;
    await postOk(site, [at(t, 'a', { q: { ch: 'douyin_live' } }), at(t, 'b', { q: { ch: 'wechat' } }), at(t, 'c', { q: { ch: 'baidu_sem' } })]);
    const n = await morningNumbers(env.DB, (await getSite(env.DB, site))!, D.day);
    const labels = Object.fromEntries(n.channels.map((l) => [l.key, l.label]));
    expect(labels).toEqual({ douyin_live: '抖音直播', wechat: '［点我］(http://evil.test) ＊＊抖音＊＊', baidu_sem: 'baidu_sem' });
    const text = morningMessage(n, null).text;
    expect(text).toContain('- **抖音直播**：访客 1');
    expect(text).toContain('- **baidu_sem**：访客 1');
    expect(text).not.toContain('[点我]');
  });
});

describe('the demo site', () => {
  it('names every channel of the demo week in Chinese, through the seed the way npm start applies it', async () => {
    const statements = seedSql.replace(/^--.*$/gm, '').split(/;\s*$/m).map((s) => s.trim()).filter(Boolean);
    await env.DB.batch(statements.map((s) => env.DB.prepare(s)));
    await env.DB.batch(statements.map((s) => env.DB.prepare(s))); // a second start changes nothing
    const res = await SELF.fetch(`${BASE}/api/v1/session`, { headers: { authorization: 'Bearer demo-report-token' } });
    const names = ((await res.json()) as { sites: { siteKey: string; channelNames: Record<string, string> }[] }).sites.find((s) => s.siteKey === 'demo')!.channelNames;
    for (const { channel } of CHANNELS as { channel: string }[]) expect(names[channel], channel).toMatch(/^\p{Script=Han}+$/u);
    expect(names.douyin_live).toBe('抖音直播');
  });
});
