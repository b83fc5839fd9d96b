// The whole journey in real Chromium against `wrangler dev` with a fresh local
// D1 (issue 8, steps 1–6): a visitor from a Baidu ad with a promoter code reads
// a SKU page (with the tab hidden for a while), consults, books; the store
// records the arrival and the deal; the reports show exactly that; a second
// visitor's events survive going offline; the dashboard shows it all.
// Run: npm run test:e2e (needs /usr/bin/chromium: apt-get install -y chromium).
import assert from 'node:assert/strict';
import { mkdirSync, rmSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { hiddenByTabSwitch, launch, setVisibility, visitorOptions } from './browser.mjs';
import { api, eventually } from './http.mjs';
import { build, freshDatabase, ROOT, sleep, startWrangler, writeCf } from './wrangler.mjs';

const PORT = 8795;
const STATE = `${ROOT}test/e2e/.state`;
const ARTIFACTS = `${ROOT}test/e2e/artifacts`;
const ADMIN = 'e2e-admin-token';
const SITE = 'demo'; // the demo storefront's script tag says data-site="demo"
const SKU = 'SOFA-101';

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

before(async () => {
  if (process.env.O2O_E2E_NO_BUILD !== '1') build();
  rmSync(ARTIFACTS, { recursive: true, force: true });
  mkdirSync(ARTIFACTS, { recursive: true });
  freshDatabase(STATE);
  const cfPath = `${STATE}/cf.json`;
  writeCf(cfPath);
  server = await startWrangler({ port: PORT, persistTo: STATE, cfPath, vars: { ADMIN_TOKEN: ADMIN }, readyPath: '/o2o.js' });
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

test('3. store staff record the arrival and a deal with a store token', async () => {
  assert.ok(s.lead, 'step 2 produced a lead code');
  await ok('/api/v1/arrivals', { token: s.store, method: 'POST', json: { site: SITE, lead: s.lead, store: 'sh-xuhui' } });
  const deal = { site: SITE, lead: s.lead, store: 'sh-xuhui', amount: 1_280_000, budget: 2_000_000, skus: [SKU] };
  await ok('/api/v1/deals', { token: s.store, method: 'POST', json: deal, headers: { 'idempotency-key': `e2e-${s.lead}` } });
  // The same request again records nothing new.
  await ok('/api/v1/deals', { token: s.store, method: 'POST', json: deal, headers: { 'idempotency-key': `e2e-${s.lead}` } });
});

test('4. the reports show exactly one visitor, consult, appointment, arrival and deal; dwell near 5 s in Shanghai', async () => {
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

test('5. a second visitor goes offline while browsing; the events arrive after the network returns and the next page loads', async () => {
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

test('6. the dashboard, signed in, shows that data on every tab; screenshots and rendered charts', async () => {
  // A conversation from the chat system, so the service tab has something to show.
  const now = Date.now();
  await call('/api/v1/conversations', { token: s.store, method: 'POST', json: { site: SITE, events: [
    { conversation: 'e2e-c1', type: 'started', at: now - 120_000, agent: '小王', channel: 'baidu_sem', topics: ['price'] },
    { conversation: 'e2e-c1', type: 'first_reply', at: now - 100_000 },
    { conversation: 'e2e-c1', type: 'ended', at: now - 10_000 },
  ] } });

  const context = await browser.newContext(visitorOptions({ viewport: { width: 1280, height: 900 } }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${s.url}/dashboard`);
  await page.fill('input[name="token"]', s.report);
  await page.click('form.signin button[type="submit"]');
  await page.waitForSelector('select[name="site"]');
  assert.equal(await page.inputValue('select[name="site"]'), SITE);
  assert.ok(!page.url().includes(s.report), 'the token is never in the URL');

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

test('7. every origin-wide request a browser makes is answered: /favicon.ico is an icon, not a 404', async () => {
  const res = await fetch(`${s.url}/favicon.ico`);
  assert.equal(res.status, 200);
  const bytes = new Uint8Array(await res.arrayBuffer());
  assert.deepEqual([...bytes.slice(0, 4)], [0, 0, 1, 0]); // the ICO header: reserved 0, type 1 (icon)
});
