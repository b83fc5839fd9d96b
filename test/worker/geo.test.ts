// Server-side enrichment: place from request.cf (never the IP; Chinese names
// for a Chinese visitor), device class, received time and the client clock clamp.
import { env, SELF } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { gunzipLines } from '../../worker/archive/chunks';
import { cityNames, placeCn, provinceNames, romanKey } from '../../worker/attribution/regions-cn';
import { BASE, createSite, ev, foldOf, storedEvent, storedEvents } from './helpers';

let site: string;
beforeAll(async () => {
  site = await createSite();
});

const IP = '203.0.113.77';
const IPV6 = '2001:db8::7';

/** POSTs a batch as Cloudflare's edge would hand it over (request.cf), and waits for its fold. */
async function send(body: { s: string; e: unknown[] }, cf?: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await SELF.fetch(`${BASE}/collect`, {
    method: 'POST',
    headers: { 'content-type': 'text/plain', ...headers },
    body: JSON.stringify(body),
    ...(cf ? { cf } : {}),
  } as RequestInit);
  await foldOf(body.s, res);
  return res;
}
const row = (id: string) => storedEvent(site, id);

describe('geo and device', () => {
  it('stores country, region and city from request.cf, a Chinese place in Chinese', async () => {
    const e = ev({ v: 'geo-1' });
    const res = await send({ s: site, e: [e] }, { country: 'CN', region: 'Guangdong', regionCode: 'GD', city: 'Shenzhen' });
    expect(res.status).toBe(202);
    expect(await row(e.i)).toMatchObject({ country: 'CN', region: '广东', city: '深圳' });
    const v = await env.DB.prepare('SELECT country, region, city FROM visitors WHERE site_key = ?1 AND visitor_id = ?2').bind(site, 'geo-1').first();
    expect(v).toEqual({ country: 'CN', region: '广东', city: '深圳' });
  });

  it('stores a place outside China as Cloudflare names it', async () => {
    const e = ev({ v: 'geo-2' });
    await send({ s: site, e: [e] }, { country: 'US', region: 'Texas', regionCode: 'TX', city: 'Austin' });
    expect(await row(e.i)).toMatchObject({ country: 'US', region: 'Texas', city: 'Austin' });
  });

  it('stores null when cf is absent or says the country is unknown (XX)', async () => {
    const a = ev();
    const b = ev();
    await send({ s: site, e: [a] });
    await send({ s: site, e: [b] }, { country: 'XX' });
    expect(await row(a.i)).toMatchObject({ country: null, region: null, city: null });
    expect(await row(b.i)).toMatchObject({ country: null });
  });

  it.each([
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Mobile/15E148 Safari/604.1', 'mobile'],
    ['Mozilla/5.0 (iPad; CPU OS 17_0 like Mac OS X) Safari/604.1', 'tablet'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 Chrome/124.0 Safari/537.36', 'desktop'],
    ['', null],
  ])('device class of %j is %s', async (ua, device) => {
    const e = ev();
    await send({ s: site, e: [e] }, undefined, { 'user-agent': ua });
    expect((await row(e.i))?.device).toBe(device);
  });

  it('never stores the IP address, in any column of any table it writes', async () => {
    const e = ev({ v: 'ip-visitor' });
    const f = ev({ v: 'ip-visitor-6' });
    await send({ s: site, e: [e] }, { country: 'CN' }, { 'cf-connecting-ip': IP, 'x-forwarded-for': IP, 'x-real-ip': IP });
    await send({ s: site, e: [f] }, { country: 'CN' }, { 'cf-connecting-ip': IPV6 });
    // What the fold writes: the visitors (and their ledgers), the event chunks (gzip:
    // read decompressed, in D1 and in R2), the rollups and the counters.
    const dumps: string[] = [JSON.stringify(await storedEvents(site))];
    for (const table of ['visitors', 'bot_hits', 'touch_days', 'sku_chains', 'ingest_days']) {
      const { results } = await env.DB.prepare(`SELECT * FROM ${table} WHERE site_key = ?1`).bind(site).all();
      dumps.push(JSON.stringify(results));
    }
    const { objects } = await env.ARCHIVE.list({ prefix: `events/site=${site}/` });
    expect(objects.length).toBeGreaterThan(0);
    for (const o of objects) dumps.push(JSON.stringify(await gunzipLines((await env.ARCHIVE.get(o.key))!.body)));
    for (const dump of dumps) {
      expect(dump).not.toContain(IP);
      expect(dump).not.toContain(IPV6);
    }
    expect(dumps[0]).toContain(e.i);
    expect(dumps[0]).toContain(f.i);
  });
});

describe('Chinese place names (placeCn)', () => {
  it.each([
    // ISO 3166-2:CN letter codes (2017 on), the numeric codes before them, with or without "CN-", any case
    ['GD', '广东'], ['44', '广东'], ['CN-GD', '广东'], ['cn-44', '广东'], ['sh', '上海'], ['31', '上海'], ['NM', '内蒙古'], ['15', '内蒙古'],
    ['XJ', '新疆'], ['65', '新疆'], ['GX', '广西'], ['NX', '宁夏'], ['XZ', '西藏'], ['SN', '陕西'], ['61', '陕西'], ['SX', '山西'], ['14', '山西'],
    ['HA', '河南'], ['HE', '河北'], ['HI', '海南'], ['HL', '黑龙江'], ['CQ', '重庆'], ['50', '重庆'], ['TW', '台湾'], ['71', '台湾'],
  ])('province code %s is %s', (code, zh) => {
    expect(placeCn('CN', code, 'Somewhere', null).region).toBe(zh);
  });

  it('knows all 34 provincial-level divisions, each by its new and old code', () => {
    expect(provinceNames()).toHaveLength(34);
    const letters = 'AH BJ CQ FJ GD GS GX GZ HA HB HE HI HK HL HN JL JS JX LN MO NM NX QH SC SD SH SN SX TJ TW XJ XZ YN ZJ'.split(' ');
    const numbers = '34 11 50 35 44 62 45 52 41 42 13 46 91 23 43 22 32 36 21 92 15 64 63 51 37 31 61 14 12 71 65 54 53 33'.split(' ');
    const fromLetters = letters.map((c) => placeCn('CN', c, null, null).region);
    expect(new Set(fromLetters).size).toBe(34);
    expect(numbers.map((c) => placeCn('CN', c, null, null).region)).toEqual(fromLetters);
  });

  it.each([
    ['Guangdong', '广东'], ['Inner Mongolia', '内蒙古'], ['Inner Mongolia Autonomous Region', '内蒙古'], ['Xinjiang Uyghur Autonomous Region', '新疆'],
    ['Guangxi Zhuang Autonomous Region', '广西'], ['Ningxia Hui Autonomous Region', '宁夏'], ['Tibet', '西藏'], ['Shaanxi', '陕西'], ['Shanxi', '山西'],
    ['Zhejiang Province', '浙江'], ['Beijing Municipality', '北京'],
  ])('without a code, the English region %j is %s', (region, zh) => {
    expect(placeCn('CN', null, region, null).region).toBe(zh);
  });

  it.each([
    ['GD', 'Shenzhen', '深圳'], ['GD', 'shenzhen', '深圳'], ['GD', 'SHENZHEN', '深圳'], ['GD', 'Foshan', '佛山'], ['GD', 'Guangzhou Shi', '广州'],
    ['SN', "Xi'an", '西安'], ['SN', 'Xian', '西安'], ['SN', 'Xi’an', '西安'], ['SN', 'Xianyang', '咸阳'],
    ['NM', 'Hohhot', '呼和浩特'], ['NM', 'Huhehaote', '呼和浩特'], ['XJ', 'Urumqi', '乌鲁木齐'], ['XJ', 'Wulumuqi', '乌鲁木齐'], ['XJ', 'Ürümqi', '乌鲁木齐'],
    ['HL', 'Harbin', '哈尔滨'], ['XZ', 'Lhasa', '拉萨'], ['FJ', 'Amoy', '厦门'], ['AH', "Lu'an", '六安'], ['JX', "Ji'an", '吉安'],
    // the same pinyin in two provinces: the province decides
    ['JS', 'Suzhou', '苏州'], ['AH', 'Suzhou', '宿州'], ['ZJ', 'Taizhou', '台州'], ['JS', 'Taizhou', '泰州'], ['FJ', 'Fuzhou', '福州'], ['JX', 'Fuzhou', '抚州'],
    ['GX', 'Yulin', '玉林'], ['SN', 'Yulin', '榆林'],
    // a municipality is its own city, whatever district Cloudflare names
    ['SH', 'Shanghai', '上海'], ['SH', 'Pudong', '上海'], ['BJ', 'Chaoyang', '北京'], ['CQ', 'Wanzhou', '重庆'], ['TJ', null, '天津'],
  ])('in %s the city %j is %s', (code, city, zh) => {
    expect(placeCn('CN', code, null, city).city).toBe(zh);
  });

  it('every provincial capital and municipality has a Chinese name', () => {
    const capitals = [
      ['HE', 'Shijiazhuang'], ['SX', 'Taiyuan'], ['NM', 'Hohhot'], ['LN', 'Shenyang'], ['JL', 'Changchun'], ['HL', 'Harbin'], ['JS', 'Nanjing'],
      ['ZJ', 'Hangzhou'], ['AH', 'Hefei'], ['FJ', 'Fuzhou'], ['JX', 'Nanchang'], ['SD', 'Jinan'], ['HA', 'Zhengzhou'], ['HB', 'Wuhan'], ['HN', 'Changsha'],
      ['GD', 'Guangzhou'], ['GX', 'Nanning'], ['HI', 'Haikou'], ['SC', 'Chengdu'], ['GZ', 'Guiyang'], ['YN', 'Kunming'], ['XZ', 'Lhasa'], ['SN', "Xi'an"],
      ['GS', 'Lanzhou'], ['QH', 'Xining'], ['NX', 'Yinchuan'], ['XJ', 'Urumqi'], ['TW', 'Taipei'], ['BJ', 'Beijing'], ['SH', 'Shanghai'], ['TJ', 'Tianjin'], ['CQ', 'Chongqing'],
    ];
    for (const [code, city] of capitals) expect(placeCn('CN', code, null, city).city, `${code} ${city}`).toMatch(/^\p{Script=Han}+$/u);
    expect(cityNames().length).toBeGreaterThan(130);
  });

  it('Hong Kong, Macao and Taiwan, which Cloudflare reports as countries, get their Chinese names', () => {
    expect(placeCn('HK', 'HCW', 'Central and Western', 'Hong Kong')).toEqual({ region: '香港', city: '香港' });
    expect(placeCn('MO', null, null, 'Macau')).toEqual({ region: '澳门', city: '澳门' });
    expect(placeCn('TW', 'TPE', 'Taipei City', 'Taipei')).toEqual({ region: '台湾', city: '台北' });
    expect(placeCn('TW', 'KHH', 'Kaohsiung', 'Kaohsiung')).toEqual({ region: '台湾', city: '高雄' });
  });

  it('leaves other countries untouched, and falls back to the English name it does not know', () => {
    expect(placeCn('US', 'TX', 'Texas', 'Austin')).toEqual({ region: 'Texas', city: 'Austin' });
    expect(placeCn('SG', 'SH', 'Shanghai', 'Shenzhen')).toEqual({ region: 'Shanghai', city: 'Shenzhen' }); // a code is only Chinese in China
    expect(placeCn(null, 'GD', 'Guangdong', 'Shenzhen')).toEqual({ region: 'Guangdong', city: 'Shenzhen' });
    expect(placeCn('CN', 'GD', 'Guangdong', 'Lecong')).toEqual({ region: '广东', city: 'Lecong' });
    expect(placeCn('CN', 'ZZ', 'Atlantis', 'Shenzhen')).toEqual({ region: 'Atlantis', city: '深圳' }); // a city unique to one province is known without it
    expect(placeCn('CN', null, 'Atlantis', 'Suzhou')).toEqual({ region: 'Atlantis', city: 'Suzhou' }); // two Suzhous: no guess
    expect(placeCn('CN', null, null, 'Beijing')).toEqual({ region: null, city: '北京' });
    expect(placeCn('CN', null, null, null)).toEqual({ region: null, city: null });
  });

  it('reads romanised names whatever their case, spaces, hyphens and apostrophes', () => {
    expect(romanKey("Xi'an")).toBe('xian');
    expect(romanKey('Hangzhou Shi')).toBe('hangzhou');
    expect(romanKey('Huangshi')).toBe('huangshi'); // a suffix is a separate word, never letters of the name
    expect(romanKey('Hong Kong SAR')).toBe('hongkong');
  });
});

describe('time', () => {
  it('records the received time and clamps the client clock to [received − 7 days, received]', async () => {
    const before = Date.now();
    const future = ev({ ts: before + 3_600_000 });
    const ancient = ev({ ts: before - 30 * 86_400_000 });
    const fine = ev({ ts: before - 60_000 });
    await send({ s: site, e: [future, ancient, fine] });
    const after = Date.now();
    const [f, a, ok] = await Promise.all([row(future.i), row(ancient.i), row(fine.i)]);
    const received = f!.received_at as number;
    expect(received).toBeGreaterThanOrEqual(before);
    expect(received).toBeLessThanOrEqual(after);
    expect(f!.ts).toBe(received);
    expect(a!.ts).toBe(received - 7 * 86_400_000);
    expect(ok!.ts).toBe(fine.ts);
  });
});
