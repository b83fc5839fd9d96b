// The whole journey in real Chromium against `wrangler dev` with a fresh local
// D1 (issue 8, steps 1–6; issue 17): a visitor from a Baidu ad with a promoter
// code reads a SKU page (with the tab hidden for a while), consults, books; a
// clerk on a phone checks the customer in and records the deal on the store
// screen (/store, not the API), and the dashboard's Channels tab shows both on
// the visitor's channel; the reports show exactly that; a second visitor's
// events survive going offline; the dashboard shows it all.
// Run: npm run test:e2e (needs /usr/bin/chromium: apt-get install -y chromium).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { hiddenByTabSwitch, launch, setVisibility, visitorOptions } from './browser.mjs';
import { api, eventually } from './http.mjs';
import { ROOT, sleep, startStage } from './wrangler.mjs';

const PORT = 8795;
const STATE = `${ROOT}test/e2e/.state`;
const ARTIFACTS = `${ROOT}test/e2e/artifacts`;
const ADMIN = 'e2e-admin-token';
const SITE = 'demo'; // the demo storefront's script tag says data-site="demo"
const SKU = 'SOFA-101';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

const s = { url: '', day: '', report: '', store: '', lead: '' };
let server;
let browser;

const { call, ok } = api(() => s.url);

/**
 * What the SDK hands to the network for /collect (sendBeacon and fetch bodies), kept in
 * the tab's sessionStorage so it outlives the page that sent it. Playwright's request
 * events cannot be used: a beacon sent on pagehide leaves after its page is gone, and
 * Playwright never reports it. The wrappers call the real functions and change nothing.
 */
function recordSends() {
  const KEY = 'e2e_sent';
  const rec = (url, body) => {
    if (String(url).endsWith('/collect')) sessionStorage.setItem(KEY, JSON.stringify([...JSON.parse(sessionStorage.getItem(KEY) || '[]'), String(body)]));
  };
  const beacon = navigator.sendBeacon;
  navigator.sendBeacon = function (url, body) {
    const queued = beacon.call(this, url, body);
    if (queued) rec(url, body);
    return queued;
  };
  const f = window.fetch;
  window.fetch = function (url, init) {
    rec(url, init?.body);
    return f.apply(this, arguments);
  };
}

/** A visitor's browser context whose tabs record what the SDK sends. */
async function visitorContext() {
  const context = await browser.newContext(visitorOptions());
  await context.addInitScript(recordSends);
  return context;
}

/** Every event the SDK of this tab has sent so far (beacons and fetches to /collect), in order. */
async function sentEvents(page) {
  const bodies = await page.evaluate(() => JSON.parse(sessionStorage.getItem('e2e_sent') || '[]'));
  return bodies.flatMap((b) => JSON.parse(b).e ?? []);
}
const row = (body, key, value) => (body.rows ?? []).find((r) => r[key] === value);

/** A dashboard page signed in with the report token (Chinese, the default). */
async function dashboard(options = {}) {
  const context = await browser.newContext(visitorOptions(options));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${s.url}/dashboard`);
  await page.fill('input[name="token"]', s.report);
  await page.click('form.signin button[type="submit"]');
  await page.waitForSelector('select[name="site"]');
  assert.equal(await page.inputValue('select[name="site"]'), SITE);
  assert.ok(!page.url().includes(s.report), 'the token is never in the URL');
  return { context, page, errors };
}

/** The cells of the shown table's row whose first cell names `key`, by column header: { 到店: '1', … }, or null. */
function tableRow(page, key) {
  return page.evaluate((k) => {
    const table = document.querySelector('#view table');
    if (!table) return null;
    const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent.trim());
    const tr = [...table.querySelectorAll('tbody tr')].find((r) => r.cells[0]?.textContent.includes(k));
    return tr ? Object.fromEntries([...tr.cells].map((c, i) => [heads[i], c.textContent.trim()])) : null;
  }, key);
}

before(async () => {
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  server = await startStage({ port: PORT, state: STATE, admin: ADMIN });
  s.url = server.url;
  s.day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());

  // The site, its stores and tokens, through the real admin API.
  await ok('/api/v1/admin/sites', { token: ADMIN, method: 'POST', json: { siteKey: SITE, name: '木语家居 e2e', origins: [s.url], timezone: 'Asia/Shanghai' } });
  for (const [id, name, region, city] of [['sh-xuhui', '上海徐汇体验店', '上海', '上海'], ['bj-chaoyang', '北京朝阳体验店', '北京', '北京'], ['gz-tianhe', '广州天河体验店', '广东', '广州']]) {
    await ok(`/api/v1/admin/sites/${SITE}/stores/${id}`, { token: ADMIN, method: 'PUT', json: { name, region, city } });
  }
  s.report = (await ok('/api/v1/admin/tokens', { token: ADMIN, method: 'POST', json: { kind: 'report', sites: [SITE] } })).token;
  s.store = (await ok('/api/v1/admin/tokens', { token: ADMIN, method: 'POST', json: { kind: 'store', sites: [SITE], stores: ['sh-xuhui'] } })).token;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('1. a visitor from baidu_sem/P007 reads a SKU page: 3 s visible, 5 s hidden, 2 s visible, leaves', async () => {
  const context = await visitorContext();
  const page = await context.newPage();
  await page.goto(`${s.url}/?ch=baidu_sem&pr=P007`);
  await page.click('a[href="/sku/sofa-101.html"]');
  await page.waitForURL(/\/sku\/sofa-101(\.html)?$/); // the assets drop .html with a redirect
  const shown = Date.now();
  console.log(`# headless chromium hides a tab when another is opened: ${await hiddenByTabSwitch(context, page)}`);
  await sleep(3000);
  await setVisibility(page, 'hidden');
  const hidden = Date.now();
  await sleep(5000);
  await setVisibility(page, 'visible');
  const hiddenMs = Date.now() - hidden;
  await sleep(2000);
  await page.click('header nav a[href="/"]'); // leaves the SKU page for the home page
  await page.waitForURL(`${s.url}/`);
  // The visible time as this test saw it: a loaded machine stretches the steps
  // around the sleeps, so the bound is measured, not assumed to be 5 s.
  const visibleMs = Date.now() - shown - hiddenMs;
  s.page = page;
  s.context = context;

  const sent = await sentEvents(page);
  const views = sent.filter((e) => e.t === 'view');
  const landing = views.find((e) => e.q?.ch === 'baidu_sem');
  assert.ok(landing, `the landing view carries ch=baidu_sem; sent: ${JSON.stringify(sent)}`);
  assert.equal(landing.q.pr, 'P007');
  assert.ok(views.some((e) => e.k === SKU), 'a view of the SKU page with its SKU');
  const dwell = sent.filter((e) => e.t === 'dwell' && e.k === SKU).reduce((n, e) => n + e.d, 0);
  assert.ok(dwell >= 4000 && dwell <= visibleMs + 500, `engaged dwell on ${SKU} sent by the SDK: ${dwell} ms, expected the ~5 s visible (${visibleMs} ms measured), not the ${hiddenMs} ms hidden too`);
  s.dwell = dwell;
});

test('2. the visitor consults, books an appointment and reads the lead code on the page', async () => {
  assert.ok(s.page, 'step 1 left the visitor on the home page');
  const page = s.page;
  await page.click('[data-o2o-consult="chat"]');
  await page.click('header nav a[href="/appointment.html"]');
  await page.waitForURL(/\/appointment(\.html)?$/);
  await page.selectOption('form[data-o2o-appointment] select[name="store"]', 'sh-xuhui');
  await page.fill('form[data-o2o-appointment] input[name="budget"]', '20000');
  await page.click('form[data-o2o-appointment] button[type="submit"]');
  const code = await page.waitForFunction(() => document.querySelector('[data-o2o-lead]')?.textContent?.trim() || null, null, { timeout: 10_000 });
  s.lead = await code.jsonValue();
  assert.match(s.lead, /^[A-HJ-NP-Z2-9]{4,12}$/, `a lead code without 0/O/1/I/L: ${s.lead}`);
  assert.ok((await sentEvents(page)).some((e) => e.t === 'consult' && e.c === 'chat'), 'a consult event of kind chat');
  await s.context.close(); // the visitor leaves: page hide flushes the last beacons
});

test('3. a clerk on a 390×844 phone checks the customer in on /store by typing the lead code and records a ¥12,800 deal with its SKU', async () => {
  assert.ok(s.lead, 'step 2 produced a lead code');
  // The deal form offers the site's known SKUs: the visitor's view of the SKU page must have folded.
  await eventually(async () => assert.ok((await ok(`/api/v1/skus?site=${SITE}`, { token: s.store })).skus.includes(SKU), `${SKU} is a known SKU`));
  const context = await browser.newContext(visitorOptions(PHONE));
  const clerk = await context.newPage();
  const errors = [];
  clerk.on('pageerror', (e) => errors.push(e.message));
  await clerk.goto(`${s.url}/store`);
  await clerk.fill('input[name="token"]', s.store);
  await clerk.click('form.signin button[type="submit"]');

  // The code as the customer reads it out, typed key by key in lower case (the worker forgives case).
  const code = clerk.locator('#checkin input[name="lead"]');
  await code.waitFor({ timeout: 10_000 });
  await code.pressSequentially(s.lead.toLowerCase());
  await clerk.click('#checkin button[type="submit"]');
  const checkedIn = clerk.locator('#checkin .result .card.ok');
  await checkedIn.waitFor({ timeout: 10_000 });
  const shown = await checkedIn.innerText();
  for (const want of ['已签到', s.lead, '¥20,000']) assert.ok(shown.includes(want), `the check-in is confirmed with ${want}: ${shown}`);

  await clerk.click('#checkin .result button'); // 为此顾客记成交: the deal form opens with the lead code
  assert.equal(await clerk.inputValue('#deal input[name="lead"]'), s.lead);
  await clerk.locator('#deal input[name="amount"]').pressSequentially('12,800');
  const chip = clerk.locator(`#deal .chip[data-sku="${SKU}"]`);
  if ((await chip.getAttribute('aria-pressed')) !== 'true') await chip.click(); // the lead's own SKUs start picked
  assert.equal(await chip.getAttribute('aria-pressed'), 'true');
  await clerk.dblclick('#deal button[type="submit"]'); // a double tap records one deal (step 5 counts them)
  const done = clerk.locator('#deal .card.ok');
  await done.waitFor({ timeout: 10_000 });
  assert.match(await done.innerText(), /¥12,800 · SOFA-101/);
  const { sw, cw } = await clerk.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(sw <= cw, `the store screen is ${sw} px wide in a ${cw} px phone`);
  await clerk.evaluate(() => scrollTo(0, 0)); // the sticky header at the top of the full-page shot
  await clerk.screenshot({ path: `${ARTIFACTS}/store-deal-phone.png`, fullPage: true });

  const deal = (await ok(`/api/v1/deals/${await done.getAttribute('data-deal')}`, { token: s.store })).deal;
  assert.deepEqual([deal.lead, deal.store, deal.amount, deal.budget], [s.lead, 'sh-xuhui', 1_280_000, 2_000_000], 'the lead\'s budget rides along');
  assert.deepEqual(deal.items.map((i) => [i.sku, i.qty, i.amount]), [[SKU, 1, 1_280_000]]);
  await context.close();
  assert.deepEqual(errors, [], 'no script errors on the store screen');
});

test('4. the dashboard\'s Channels tab shows the arrival and the deal on the visitor\'s channel', async () => {
  const { context, page, errors } = await dashboard();
  await page.click('nav.tabs a[data-tab="channels"]');
  // Polled: each try draws the tab afresh (to another tab and back) and reads baidu_sem's row.
  const cells = await eventually(async () => {
    await page.click('nav.tabs a[data-tab="stores"]');
    await page.click('nav.tabs a[data-tab="channels"]');
    await page.waitForFunction(() => document.querySelector('nav.tabs a[data-tab="channels"]')?.getAttribute('aria-selected') === 'true'
      && document.getElementById('view')?.dataset.state === 'ready');
    const r = await tableRow(page, 'baidu_sem');
    assert.ok(r, 'a baidu_sem row on the Channels tab');
    // The arrival is a booked one: every arrival column the table has (到店, or 预约到店 and 全部到店) reads 1.
    const arrivals = ['到店', '预约到店', '全部到店'].filter((k) => k in r);
    assert.ok(arrivals.length > 0, `an arrivals column: ${JSON.stringify(r)}`);
    for (const k of arrivals) assert.equal(r[k], '1', `${k}: one arrival: ${JSON.stringify(r)}`);
    assert.equal(r['成交'], '1', `one deal: ${JSON.stringify(r)}`);
    return r;
  });
  assert.match(cells['成交额'], /12,800/, `the revenue in yuan: ${JSON.stringify(cells)}`);
  await context.close();
  assert.deepEqual(errors, [], 'no script errors on the dashboard');
});

test('5. the reports show exactly one visitor, consult, appointment, arrival and deal; dwell near 5 s in Shanghai', async () => {
  const q = `site=${SITE}&from=${s.day}&to=${s.day}`;
  const funnel = { visitors: 1, consults: 1, appointments: 1, arrivals: 1, deals: 1 };
  await eventually(async () => {
    const byChannel = await ok(`/api/v1/reports/channels?${q}`, { token: s.report });
    const r = row(byChannel, 'channel', 'baidu_sem');
    assert.ok(r, `a baidu_sem row in ${JSON.stringify(byChannel.rows)}`);
    assert.deepEqual(Object.fromEntries(Object.keys(funnel).map((k) => [k, r[k]])), funnel);
    assert.equal(r.revenue, 1_280_000);
  });
  const byPromoter = await ok(`/api/v1/reports/channels?${q}&by=promoter`, { token: s.report });
  const p = row(byPromoter, 'promoter', 'P007');
  assert.ok(p, `a P007 row in ${JSON.stringify(byPromoter.rows)}`);
  assert.deepEqual(Object.fromEntries(Object.keys(funnel).map((k) => [k, p[k]])), funnel);

  const sku = await ok(`/api/v1/reports/sku-interest?${q}&region=${encodeURIComponent('上海')}`, { token: s.report });
  const r = (sku.rows ?? []).find((x) => x.sku === SKU);
  assert.ok(r, `${SKU} in Shanghai in ${JSON.stringify(sku.rows)}`);
  assert.equal(r.region, '上海'); // request.cf's Shanghai (cf.json), in Chinese
  assert.equal(r.dwellMs, s.dwell, 'the report holds exactly the engaged dwell the SDK sent');
});

test('6. a second visitor goes offline while browsing; the events arrive after the network returns and the next page loads', async () => {
  const context = await visitorContext();
  const page = await context.newPage();
  const failed = [];
  page.on('requestfailed', (req) => new URL(req.url()).pathname === '/collect' && failed.push(req.url()));
  await page.goto(`${s.url}/?ch=wechat_moments`);
  await page.click('a[href="/sku/table-205.html"]');
  await page.waitForURL(/\/sku\/table-205(\.html)?$/);
  await context.setOffline(true);
  await page.click('[data-o2o-consult="chat"]');
  await sleep(1500);
  await setVisibility(page, 'hidden'); // the SDK flushes on hide: offline, so the batch must be kept
  await sleep(1000);
  await setVisibility(page, 'visible');
  const q = `site=${SITE}&from=${s.day}&to=${s.day}`;
  const before = row(await ok(`/api/v1/reports/channels?${q}`, { token: s.report }), 'channel', 'wechat_moments');
  assert.equal(before?.consults ?? 0, 0, 'while offline, the consult has not reached the worker');
  await context.setOffline(false);
  await page.click('header nav a[href="/"]'); // the next page load replays the kept batch
  await page.waitForURL(`${s.url}/`);
  await sleep(1000);
  await context.close();
  console.log(`# /collect requests that failed while offline: ${failed.length}`);
  await eventually(async () => {
    const r = row(await ok(`/api/v1/reports/channels?${q}`, { token: s.report }), 'channel', 'wechat_moments');
    assert.ok(r, 'a wechat_moments row');
    assert.equal(r.visitors, 1);
    assert.equal(r.consults, 1, 'the consult made offline reached the report');
  });
});

/** Every chart on the tab has rendered SVG with drawn shapes. */
async function chartsRendered(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-chart]')].map((el) => {
      const svg = el.querySelector('svg');
      const box = svg?.getBoundingClientRect();
      return { name: el.dataset.chart, shapes: svg ? svg.querySelectorAll('path, rect').length : 0, width: box?.width ?? 0, height: box?.height ?? 0 };
    }),
  );
}

test('7. the dashboard, signed in, shows that data on every tab; screenshots and rendered charts', async () => {
  // A conversation from the chat system, so the service tab has something to show.
  const now = Date.now();
  await call('/api/v1/conversations', { token: s.store, method: 'POST', json: { site: SITE, events: [
    { conversation: 'e2e-c1', type: 'started', at: now - 120_000, agent: '小王', channel: 'baidu_sem', topics: ['price'] },
    { conversation: 'e2e-c1', type: 'first_reply', at: now - 100_000 },
    { conversation: 'e2e-c1', type: 'ended', at: now - 10_000 },
  ] } });

  const { context, page, errors } = await dashboard({ viewport: { width: 1280, height: 900 } });

  const expectations = {
    channels: { text: ['baidu_sem', 'wechat_moments'], charts: ['funnel', 'stages'] },
    regions: { text: [SKU, '上海'], charts: ['heatmap'] },
    stores: { text: ['上海徐汇体验店'], charts: ['stores'] },
    leads: { text: [s.lead || '(no lead)'], charts: [] },
    service: { text: ['小王'], charts: ['response'] },
  };
  const problems = [];
  for (const [tab, want] of Object.entries(expectations)) {
    await page.click(`nav.tabs a[data-tab="${tab}"]`);
    await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('view')?.dataset.state));
    await page.waitForTimeout(400); // charts draw on the next frame
    await page.screenshot({ path: `${ARTIFACTS}/dashboard-${tab}.png`, fullPage: true });
    const text = await page.textContent('#view');
    for (const t of want.text) if (!text.includes(t)) problems.push(`${tab}: "${t}" not shown (tab says: ${text.slice(0, 160)})`);
    const charts = await chartsRendered(page);
    for (const name of want.charts) {
      const c = charts.find((x) => x.name === name);
      if (!c || c.shapes < 3 || c.width < 50 || c.height < 50) problems.push(`${tab}: chart ${name} not rendered (${JSON.stringify(c)})`);
    }
  }
  // A phone: the same data in one column.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.click('nav.tabs a[data-tab="channels"]');
  await page.waitForFunction(() => document.getElementById('view')?.dataset.state === 'ready');
  await page.waitForTimeout(400);
  await page.screenshot({ path: `${ARTIFACTS}/dashboard-channels-phone.png`, fullPage: true });
  await context.close();
  assert.deepEqual(errors, [], 'no script errors on the dashboard');
  assert.deepEqual(problems, []);
});

test('8. every origin-wide request a browser makes is answered: /favicon.ico is an icon, not a 404', async () => {
  const res = await fetch(`${s.url}/favicon.ico`);
  assert.equal(res.status, 200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 4)], [0, 0, 1, 0]); // the ICO header: reserved 0, type 1 (icon)
});
