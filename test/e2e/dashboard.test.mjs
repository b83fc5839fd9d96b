// The dashboard's own figures against the API's, in real Chromium against
// `wrangler dev` (issue 17): the Channels tab's trend over a two-day range with
// its comparison to the two days before (较上期), booked arrivals and walk-ins
// apart in the table and beside the funnel, the rate glossary, a channel's
// site-given name, and a CSV button on every table whose file is the API's CSV
// of the same query (BOM, Chinese headers in zh-CN). Own port, own state.
// Run: npm run test:e2e (needs /usr/bin/chromium).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launch, visitorAgent, visitorOptions } from './browser.mjs';
import { api, eventually } from './http.mjs';
import { ROOT, startStage } from './wrangler.mjs';

const PORT = 8845;
const STATE = `${ROOT}test/e2e/.state-dashboard`;
const ARTIFACTS = `${ROOT}test/e2e/artifacts`;
const ADMIN = 'e2e-dashboard-admin-token';
const SITE = 'dash';
const STORE = 'sh-1';
const SKU = 'SOFA-7';
const LIVE = 'douyin_live';
const LIVE_NAME = '抖音直播';

const DAY_MS = 86_400_000;
const TZ_MS = 8 * 3_600_000; // Asia/Shanghai has no daylight saving
const localDay = (ms) => new Date(ms + TZ_MS).toISOString().slice(0, 10);
const noon = (day) => Date.parse(`${day}T12:00:00Z`) - TZ_MS;
const shift = (day, n) => new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);

const s = { url: '', report: '', store: '', lead: '', days: {} };
let server;
let browser;
const { ok } = api(() => s.url);

before(async () => {
  server = await startStage({ port: PORT, state: STATE, admin: ADMIN });
  s.url = server.url;
  browser = await launch();
  mkdirSync(ARTIFACTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

let seq = 0;
/** One visitor's landing on `day` through channel `ch`: a view of the SKU page (today: a minute ago). */
function landing(day, ch, n) {
  const v = `dv-${day}-${ch}-${n}`;
  const ts = day === s.days.today ? Date.now() - 60_000 : noon(day) + n * 60_000;
  return { v, ss: `${v}-s`, events: [{ i: `de-${seq++}`, ts, t: 'view', v, ss: `${v}-s`, pv: `${v}-p`, u: `/sku/${SKU}`, q: { ch }, k: SKU }] };
}

test('1. a site with a named channel, two days and the two before them of Douyin live traffic, a booked arrival, a walk-in, a deal and a conversation', async () => {
  const today = localDay(Date.now() - 60_000);
  s.days = { today, yesterday: shift(today, -1), before1: shift(today, -2), before2: shift(today, -3) };
  await ok('/api/v1/admin/sites', { token: ADMIN, method: 'POST', json: { siteKey: SITE, name: '木语家居', origins: [s.url], timezone: 'Asia/Shanghai', channelNames: { [LIVE]: LIVE_NAME } } });
  await ok(`/api/v1/admin/sites/${SITE}/stores/${STORE}`, { token: ADMIN, method: 'PUT', json: { name: '上海徐汇店', region: '上海', city: '上海' } });
  s.report = (await ok('/api/v1/admin/tokens', { token: ADMIN, method: 'POST', json: { kind: 'report', sites: [SITE] } })).token;
  s.store = (await ok('/api/v1/admin/tokens', { token: ADMIN, method: 'POST', json: { kind: 'store', sites: [SITE], stores: [STORE] } })).token;

  // Douyin live: 2 and 1 visitors the two days before, 3 and 2 in the range; Baidu once today.
  const { today: d, yesterday: d1, before1: d2, before2: d3 } = s.days;
  const visits = [
    ...[0, 1].map((n) => landing(d3, LIVE, n)), landing(d2, LIVE, 0),
    ...[0, 1, 2].map((n) => landing(d1, LIVE, n)), ...[0, 1].map((n) => landing(d, LIVE, n)), landing(d, 'baidu_sem', 0),
  ];
  // Today's first Douyin visitor consults and books; the second walks in without booking.
  const [booker, walker] = visits.filter((x) => x.events[0].ts > Date.now() - 120_000);
  const at = booker.events[0].ts + 1000;
  booker.events.push(
    { i: `de-${seq++}`, ts: at, t: 'consult', v: booker.v, ss: booker.ss, pv: `${booker.v}-p`, u: `/sku/${SKU}`, k: SKU, c: 'chat', l: '在线咨询' },
    { i: `de-${seq++}`, ts: at + 1000, t: 'appointment', v: booker.v, ss: booker.ss, pv: `${booker.v}-p`, u: `/sku/${SKU}`, k: SKU, p: { store: STORE, budget: 12000, style: '原木', sku: SKU } },
  );
  const body = await ok('/collect', { method: 'POST', json: { s: SITE, e: visits.flatMap((x) => x.events) }, headers: { 'user-agent': visitorAgent() } });
  assert.equal(body.rejected?.length ?? 0, 0, `every event accepted: ${JSON.stringify(body)}`);

  const range = `site=${SITE}&from=${d1}&to=${d}`;
  const leads = await eventually(async () => {
    const list = (await ok(`/api/v1/leads?${range}`, { token: s.report })).leads;
    assert.equal(list.length, 1, `one lead: ${JSON.stringify(list)}`);
    assert.equal(list[0].lastChannel, LIVE, 'the lead is credited to Douyin live (the fold ran)');
    // Every visitor folded too: the walk-in is credited from the visitor's own record.
    const row = (await ok(`/api/v1/reports/channels?${range}`, { token: s.report })).rows.find((r) => r.channel === LIVE);
    assert.equal(row?.visitors, 5, `Douyin live's visitors folded: ${JSON.stringify(row)}`);
    return list;
  }, 60_000); // the fold's queue, on a machine other tests share
  s.lead = leads[0].code;
  await ok('/api/v1/arrivals', { token: s.store, method: 'POST', json: { site: SITE, store: STORE, lead: s.lead } });
  await ok('/api/v1/arrivals', { token: s.store, method: 'POST', json: { site: SITE, store: STORE, visitor: walker.v } });
  await ok('/api/v1/deals', { token: s.store, method: 'POST', json: { site: SITE, store: STORE, lead: s.lead, amount: 1_350_000, skus: [SKU] }, headers: { 'idempotency-key': `dash-${s.lead}` } });
  const now = Date.now();
  await ok('/api/v1/conversations', { token: s.store, method: 'POST', json: { site: SITE, events: [
    { conversation: 'dc-1', type: 'started', at: now - 120_000, agent: '小王', channel: LIVE, visitor: booker.v, topics: ['price'] },
    { conversation: 'dc-1', type: 'first_reply', at: now - 100_000 },
    { conversation: 'dc-1', type: 'ended', at: now - 10_000 },
  ] } });

  // The API's figures settle (the fold is asynchronous): poll, never sleep.
  await eventually(async () => {
    const row = (await ok(`/api/v1/reports/channels?${range}`, { token: s.report })).rows.find((r) => r.channel === LIVE);
    assert.deepEqual([row?.visitors, row?.bookedArrivals, row?.walkIns, row?.deals], [5, 1, 1, 1], `Douyin live this range: ${JSON.stringify(row)}`);
    const prev = (await ok(`/api/v1/reports/channels?site=${SITE}&from=${d3}&to=${d2}`, { token: s.report })).rows.find((r) => r.channel === LIVE);
    assert.equal(prev?.visitors, 3, `Douyin live the two days before: ${JSON.stringify(prev)}`);
    const service = await ok(`/api/v1/reports/service?${range}`, { token: s.report });
    assert.equal(service.totals.conversations, 1);
  });
});

/** Signs in with the report token in `lang` and shows the Channels tab over yesterday and today. */
async function openDashboard(lang, viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({ ...visitorOptions({ viewport }), acceptDownloads: true });
  await context.addInitScript((l) => localStorage.setItem('o2o.dashboard.lang', l), lang);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${s.url}/dashboard#channels`);
  await page.fill('input[name="token"]', s.report);
  await page.click('form.signin button[type="submit"]');
  await ready(page);
  for (const [name, day] of [['from', s.days.yesterday], ['to', s.days.today]]) {
    await page.fill(`input[name="${name}"]`, day);
    await page.dispatchEvent(`input[name="${name}"]`, 'change');
    await ready(page);
  }
  return { context, page, errors };
}

async function ready(page) {
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('view')?.dataset.state));
  await page.waitForFunction(() => [...document.querySelectorAll('[data-chart]')].every((c) => c.dataset.rendered === '1'));
  assert.equal(await page.evaluate(() => document.getElementById('view').dataset.state), 'ready', await page.textContent('#view'));
}

const pctZh = (v) => new Intl.NumberFormat('zh-CN', { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(v);
const dayZh = (d) => new Intl.DateTimeFormat('zh-CN', { month: 'short', day: 'numeric', timeZone: 'UTC' }).format(Date.parse(`${d}T00:00:00Z`));

test('2. the Channels tab: the trend by day, 较上期 as the API counts it, booked arrivals and walk-ins apart, the glossary, the channel name', async () => {
  assert.ok(s.report, 'step 1 loaded the fixture');
  const { today: d, yesterday: d1, before1: d2, before2: d3 } = s.days;
  const cur = await ok(`/api/v1/reports/channels?site=${SITE}&from=${d1}&to=${d}`, { token: s.report });
  const prev = await ok(`/api/v1/reports/channels?site=${SITE}&from=${d3}&to=${d2}`, { token: s.report });
  const series = await ok(`/api/v1/reports/channels?site=${SITE}&from=${d1}&to=${d}&period=day`, { token: s.report });
  const live = cur.rows.find((r) => r.channel === LIVE);
  const before = prev.rows.find((r) => r.channel === LIVE);
  assert.deepEqual(series.periods.map((p) => p.period), [d1, d], 'two periods in the range');
  assert.deepEqual(series.rows.filter((r) => r.channel === LIVE).map((r) => r.visitors), [3, 2], 'Douyin live has data in both');

  const { context, page, errors } = await openDashboard('zh-CN');
  // The row shows the site's name with its code; clicking it selects it for the funnel and the trend.
  const row = page.locator('#view section.channel-table tbody tr', { hasText: LIVE });
  assert.match(await row.locator('td').first().textContent(), new RegExp(`^${LIVE_NAME}\\s*${LIVE}$`));
  await row.click();
  await ready(page);
  await page.click('section.trend button[data-scope="selected"]');
  await ready(page);
  assert.equal(await page.getAttribute('section.trend', 'data-period'), 'day', 'a two-day range is drawn by day');
  assert.ok((await page.textContent('section.trend button[data-scope="selected"]')).includes(LIVE_NAME), 'the trend is of the selected channel');

  // The chart: one point per day, on an axis labelled with both days.
  const axis = await page.$$eval('[data-chart="trend"] svg text', (els) => els.map((e) => e.textContent));
  for (const day of [d1, d]) assert.ok(axis.includes(dayZh(day)), `axis label ${dayZh(day)} in ${JSON.stringify(axis)}`);
  // Hover today's point: above its axis label, halfway up the chart.
  const box = await page.locator('[data-chart="trend"]').boundingBox();
  const label = await page.locator('[data-chart="trend"] svg text', { hasText: dayZh(d) }).boundingBox();
  await page.mouse.move(label.x + label.width / 2, box.y + box.height / 2);
  const tipText = await page.waitForFunction(() => {
    const el = [...document.querySelectorAll('[data-chart="trend"] div')].find((x) => x.style.display !== 'none' && x.style.position === 'absolute' && x.textContent);
    return el?.textContent;
  });
  const shown = await tipText.jsonValue();
  assert.ok(shown.includes(`${LIVE_NAME}: 2`) && shown.includes(`上期 · ${LIVE_NAME}: 1`), `today 2 visitors, the day before the range's start 1 (tooltip: ${shown})`);

  // 较上期: each stage's figure now and before is the API's, and the change is computed from them.
  const items = await page.$$eval('section.trend .compare-item', (els) => els.map((e) => ({
    stage: e.dataset.stage, now: Number(e.dataset.now), before: Number(e.dataset.before), delta: e.querySelector('.compare-delta').textContent,
  })));
  assert.deepEqual(items.map((i) => i.stage), ['visitors', 'consults', 'appointments', 'bookedArrivals', 'walkIns', 'deals', 'revenue']);
  for (const i of items) {
    assert.deepEqual([i.now, i.before], [live[i.stage] ?? 0, before?.[i.stage] ?? 0], `${i.stage} now and before`);
    const want = i.before > 0 ? `较上期 ${pctZh((i.now - i.before) / i.before)}` : i.now > 0 ? '较上期 新增' : '较上期 —';
    assert.equal(i.delta, want, `${i.stage}: ${JSON.stringify(i)}`);
  }
  assert.equal(items[0].delta, `较上期 ${pctZh(2 / 3)}`, 'visitors 5 against 3: +66.7%');

  // Booked arrivals and walk-ins apart: in the row, and beside the funnel (whose last stage is the booked arrivals).
  const cells = await row.evaluate((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.label, td.textContent])));
  assert.deepEqual([cells['预约到店'], cells['自然到店'], cells['全部到店']], [live.bookedArrivals, live.walkIns, live.arrivals].map(String));
  const side = await page.$$eval('.funnel-side [data-stage]', (els) => Object.fromEntries(els.map((e) => [e.dataset.stage, e.querySelector('dd').textContent])));
  assert.deepEqual([side.bookedArrivals, side.walkIns], [String(live.bookedArrivals), String(live.walkIns)]);
  const funnelText = await page.$$eval('[data-chart="funnel"] svg text', (els) => els.map((e) => e.textContent));
  assert.ok(funnelText.includes(`预约到店 ${live.bookedArrivals}`) && !funnelText.some((x) => x.startsWith('自然到店')), `the funnel's stages: ${funnelText}`);

  // The glossary: one line per rate, the answer's zh-CN text.
  const lines = await page.$$eval('.glossary li', (els) => els.map((e) => [e.dataset.rate, e.textContent]));
  assert.deepEqual(lines, ['consultRate', 'appointmentRate', 'arrivalRate', 'closeRate'].map((k) => [k, cur.rates[k]['zh-CN']]));
  await page.screenshot({ path: `${ARTIFACTS}/dashboard-trend-1280x860.png`, fullPage: true });
  await page.mouse.move(0, 0); // the tooltip leaves with the pointer
  await page.setViewportSize({ width: 390, height: 844 });
  await ready(page);
  // The charts follow the window's resize (charts.js); then nothing is wider than the phone.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-chart] svg')].every((svg) => svg.getBoundingClientRect().right <= innerWidth));
  const wide = await page.evaluate(() => [...document.querySelectorAll('body *')]
    // A chart is measured by its <svg> (what it draws inside is clipped to it); a table scrolls in its own box.
    .filter((e) => e.getBoundingClientRect().right > innerWidth + 1 && !e.closest('.table-wrap') && !(e.closest('[data-chart]') && e.localName !== 'svg'))
    .map((e) => `${e.localName}.${e.getAttribute('class') ?? ''} → ${Math.round(e.getBoundingClientRect().right)}px`));
  assert.deepEqual(wide, [], 'nothing but a table (which scrolls in its panel) is wider than the phone');
  const page$ = await page.evaluate(() => ({
    width: document.documentElement.scrollWidth,
    past: [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > innerWidth + 1).map((e) => `${e.localName}.${e.getAttribute('class') ?? ''}`),
  }));
  assert.ok(page$.width <= 390, `the phone page does not scroll sideways: ${page$.width}px wide; past the edge: ${page$.past.join(', ')}`);
  await page.screenshot({ path: `${ARTIFACTS}/dashboard-trend-390x844.png`, fullPage: true });
  await context.close();
  assert.deepEqual(errors, []);
});

/** Clicks a CSV button and answers the saved file's name and bytes. */
async function download(page, selector) {
  const [file] = await Promise.all([page.waitForEvent('download'), page.click(selector)]);
  return { name: file.suggestedFilename(), bytes: readFileSync(await file.path()) };
}

test('3. every table\'s CSV button saves the API\'s CSV of the same query: BOM, Chinese headers, yuan', async () => {
  assert.ok(s.report, 'step 1 loaded the fixture');
  const { today: d, yesterday: d1 } = s.days;
  const { context, page, errors } = await openDashboard('zh-CN');
  const range = `site=${SITE}&from=${d1}&to=${d}`;
  // [tab, button, the API's CSV of the table, a Chinese header it must hold]
  const cases = [
    ['channels', 'channels', `/api/v1/reports/channels?${range}&attribution=last&by=channel`, '预约到店数'],
    ['regions', 'sku-interest', `/api/v1/reports/sku-interest?${range}`, '兴趣分'],
    ['regions', 'stocking', `/api/v1/reports/stocking?${range}&top=10`, '浏览得分'],
    ['stores', 'stores', `/api/v1/reports/channels?${range}&by=store`, '成交额（元）'],
    ['leads', 'leads', `/api/v1/leads?${range}`, '预约码'],
    ['service', 'service-agent', `/api/v1/reports/service?${range}&by=agent`, null],
  ];
  const problems = [];
  for (const [tab, report, path, header] of cases) {
    await page.click(`nav.tabs a[data-tab="${tab}"]`);
    await ready(page);
    const { name, bytes } = await download(page, `#view button[data-csv="${report}"]`);
    assert.equal(name, `${report}-${d1}_${d}.csv`);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xef, 0xbb, 0xbf], `${report}: the file starts with the UTF-8 BOM`);
    const res = await fetch(`${s.url}${path}&format=csv&lang=zh-CN`, { headers: { authorization: `Bearer ${s.report}` } });
    const api = Buffer.from(await res.arrayBuffer());
    if (!bytes.equals(api)) problems.push(`${report}: the saved file is not the API's CSV of the table's query`);
    const head = bytes.toString('utf8').slice(1).split('\r\n')[0];
    if (header && !head.split(',').includes(header)) problems.push(`${report}: no Chinese header ${header} in ${head}`);
  }
  const revenue = (await fetch(`${s.url}/api/v1/reports/channels?${range}&format=csv&lang=zh-CN`, { headers: { authorization: `Bearer ${s.report}` } }).then((r) => r.text()));
  assert.ok(revenue.includes('13500'), `money in yuan (¥13,500), not fen: ${revenue.slice(0, 400)}`);

  // A failed download says why, as text, beside the button.
  await page.click('nav.tabs a[data-tab="leads"]');
  await ready(page);
  await page.route('**/api/v1/leads?*format=csv*', (route) => route.fulfill({ status: 503, contentType: 'application/json', body: JSON.stringify({ error: { code: 'unavailable', message: '<b>busy</b>' } }) }));
  await page.click('#view button[data-csv="leads"]');
  await page.waitForSelector('#view .csv-msg.bad');
  assert.match(await page.textContent('#view .csv-msg.bad'), /<b>busy<\/b>/, 'the error message is shown as text');
  assert.equal(await page.$('#view .csv-msg.bad b'), null, 'and never as markup');
  await context.close();
  assert.deepEqual(errors, []);
  assert.deepEqual(problems, []);
});

test('4. the service CSV has Chinese headers in zh-CN', async () => {
  const { today: d, yesterday: d1 } = s.days;
  const text = await fetch(`${s.url}/api/v1/reports/service?site=${SITE}&from=${d1}&to=${d}&by=agent&format=csv&lang=zh-CN`, { headers: { authorization: `Bearer ${s.report}` } }).then((r) => r.text());
  assert.match(text.replace(/^\uFEFF/, '').split('\r\n')[0], /[\u4e00-\u9fff]/, `a Chinese header: ${text.slice(0, 200)}`);
});

test('5. the attribution models: a visitor who came by Baidu yesterday and by Douyin live today, then booked, is credited per model, and the comparison table shows the API\'s figures', async () => {
  const { today: d, yesterday: d1 } = s.days;
  const v = 'dv-multi';
  const at = Date.now() - 30_000;
  const ev = (i, ts, t, extra) => ({ i: `dm-${i}`, ts, t, v, ss: `${v}-${i < 1 ? 'a' : 'b'}`, pv: `${v}-p${i < 1 ? 'a' : 'b'}`, u: `/sku/${SKU}`, k: SKU, ...extra });
  await ok('/collect', { method: 'POST', headers: { 'user-agent': visitorAgent() }, json: { s: SITE, e: [
    ev(0, noon(d1), 'view', { q: { ch: 'baidu_sem' } }),
    ev(1, at, 'view', { q: { ch: LIVE } }),
    ev(2, at + 1000, 'appointment', { p: { store: STORE, budget: 8000, sku: SKU } }),
  ] } });
  const range = `site=${SITE}&from=${d1}&to=${d}`;
  const report = (m) => ok(`/api/v1/reports/channels?${range}&attribution=${m}`, { token: s.report });
  const baidu = async (m) => (await report(m)).rows.find((r) => r.channel === 'baidu_sem')?.appointments ?? 0;
  // Baidu brought the visitor first, Douyin live last: each model's share of the one appointment.
  await eventually(async () => {
    assert.deepEqual([await baidu('first'), await baidu('last'), await baidu('linear'), await baidu('position')], [1, 0, 0.5, 0.5]);
  }, 60_000);
  const decay = await baidu('time_decay');
  assert.ok(decay > 0 && decay < 0.5, `time decay favours the later touch: Baidu's share ${decay}`);

  const { context, page, errors } = await openDashboard('zh-CN');
  await page.click('.toolbar button[data-value="linear"]');
  await ready(page);
  const cells = await page.locator('#view section.channel-table tbody tr', { hasText: 'baidu_sem' })
    .evaluate((tr) => Object.fromEntries([...tr.querySelectorAll('td')].map((td) => [td.dataset.label, td.textContent])));
  assert.equal(cells['预约'], '0.5', `the table under the linear model: ${JSON.stringify(cells)}`);

  await page.click('section.models button[name="compare-open"]');
  await ready(page);
  await page.selectOption('select[name="compare-metric"]', 'appointments');
  await ready(page);
  const shown = await page.$$eval('section.models tbody tr', (trs) => trs.map((tr) =>
    [tr.querySelector('td').textContent, Object.fromEntries([...tr.querySelectorAll('[data-model]')].map((e) => [e.dataset.model, Number(e.dataset.value)]))]));
  for (const m of ['first', 'last', 'linear', 'position', 'time_decay']) {
    const rows = (await report(m)).rows;
    for (const [label, values] of shown) {
      const row = rows.find((r) => label.endsWith(r.channel));
      assert.equal(values[m], row?.appointments ?? 0, `${label} under ${m}`);
    }
  }
  const notes = await page.$$eval('.models-notes li', (els) => els.map((e) => e.textContent));
  assert.ok(notes.some((n) => n.includes('每早 7 天')), `the half-life the site set is named: ${notes}`);
  await page.screenshot({ path: `${ARTIFACTS}/dashboard-models-1280x860.png`, fullPage: true });
  await context.close();
  assert.deepEqual(errors, []);
});

test('6. a mini program visitor from a scanned code shows in the Channels tab\'s scenes panel, and its CSV is the API\'s', async () => {
  const { today: d, yesterday: d1 } = s.days;
  const APP = 'wx0123456789abcdef';
  await ok(`/api/v1/admin/sites/${SITE}`, { token: ADMIN, method: 'PATCH', json: { miniprogramAppIds: [APP] } });
  const v = 'dv-mp';
  // As wx.request sends it: no Origin, the mini program's Referer.
  await ok('/collect', {
    method: 'POST', headers: { referer: `https://servicewechat.com/${APP}/3/page-frame.html`, 'user-agent': 'Mozilla/5.0 (iPhone) MicroMessenger/8.0.50 miniProgram' },
    json: { s: SITE, e: [{ i: 'dmp-1', ts: Date.now() - 20_000, t: 'view', v, ss: `${v}-s`, pv: `${v}-p`, u: '/pages/sku/index', q: { ch: LIVE }, k: SKU, sc: 1047 }] },
  });
  const range = `site=${SITE}&from=${d1}&to=${d}`;
  await eventually(async () => {
    const r = await ok(`/api/v1/reports/scenes?${range}`, { token: s.report });
    assert.deepEqual(r.rows.map((x) => [x.scene, x.name, x.visitors]), [['1047', '扫小程序码', 1]]);
  }, 60_000);

  const { context, page, errors } = await openDashboard('zh-CN');
  await page.waitForSelector('section.scenes tbody tr');
  assert.equal((await page.textContent('section.scenes tbody td')).trim(), '扫小程序码 1047');
  const { name, bytes } = await download(page, '#view button[data-csv="scenes"]');
  assert.equal(name, `scenes-${d1}_${d}.csv`);
  const api = Buffer.from(await (await fetch(`${s.url}/api/v1/reports/scenes?${range}&format=csv&lang=zh-CN`, { headers: { authorization: `Bearer ${s.report}` } })).arrayBuffer());
  assert.ok(bytes.equals(api), 'the saved file is the API\'s CSV');
  await context.close();
  assert.deepEqual(errors, []);
});
