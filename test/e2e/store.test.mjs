// The store workspace (/store, issue 17 item 1) in real Chromium at 390 × 844
// against `wrangler dev` with a fresh local D1: a visitor reads a SKU page and
// books an appointment on the demo storefront; the clerk signs in with a store
// token, sees the appointment, checks the customer in by typing the code in
// lower case, records a ¥13,500 deal with a SKU picked from the list (a double
// tap records one deal), and voids it. No page errors, no horizontal scroll.
// Run: npm run build:demo && node --test test/e2e/store.test.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, eventually } from './http.mjs';
import { launch, visitorOptions } from './browser.mjs';
import { ROOT, sleep, startStage } from './wrangler.mjs';

const PORT = 8815;
const STATE = `${ROOT}test/e2e/.state-store`;
const ADMIN = 'e2e-store-admin-token';
const SITE = 'demo';
const STORE = 'sh-xuhui';
const SKU = 'SOFA-101';
const PHONE = { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 2 };

const s = { url: '', report: '', store: '', lead: '', date: '', deal: '' };
let server;
let browser;
let clerk; // the clerk's page, shared by the steps
const pageErrors = [];

// Every call here must succeed: `call` is the shared `ok`.
const { ok: call } = api(() => s.url);

const dayIn = (offset) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(Date.now() + offset * 86_400_000);

/** The store's deals today, from the report by store: { deals, revenue }. */
async function storeDeals() {
  const r = await call(`/api/v1/reports/channels?site=${SITE}&from=${dayIn(0)}&to=${dayIn(0)}&by=store`, { token: s.report });
  const rows = (r.rows ?? []).filter((x) => x.store === STORE);
  return { deals: rows.reduce((n, x) => n + (x.deals ?? 0), 0), revenue: rows.reduce((n, x) => n + (x.revenue ?? 0), 0) };
}

async function noHorizontalScroll(page, when) {
  const { sw, cw } = await page.evaluate(() => ({ sw: document.documentElement.scrollWidth, cw: document.documentElement.clientWidth }));
  assert.ok(sw <= cw, `${when}: the page is ${sw} px wide in a ${cw} px viewport`);
}

before(async () => {
  server = await startStage({ port: PORT, state: STATE, admin: ADMIN });
  s.url = server.url;
  await call('/api/v1/admin/sites', { token: ADMIN, method: 'POST', json: { siteKey: SITE, name: '木语家居 e2e', origins: [s.url], timezone: 'Asia/Shanghai' } });
  for (const [id, name] of [[STORE, '上海徐汇体验店'], ['bj-chaoyang', '北京朝阳体验店'], ['gz-tianhe', '广州天河体验店']]) {
    await call(`/api/v1/admin/sites/${SITE}/stores/${id}`, { token: ADMIN, method: 'PUT', json: { name } });
  }
  s.report = (await call('/api/v1/admin/tokens', { token: ADMIN, method: 'POST', json: { kind: 'report', sites: [SITE] } })).token;
  s.store = (await call('/api/v1/admin/tokens', { token: ADMIN, method: 'POST', json: { kind: 'store', sites: [SITE], stores: [STORE] } })).token;
  browser = await launch();
});

after(async () => {
  if (pageErrors.length) console.log(`# page errors: ${pageErrors.join('\n')}`);
  await browser?.close();
  await server?.stop();
});

test('1. a visitor reads a SKU page and books an appointment for tomorrow on the storefront', async () => {
  const context = await browser.newContext(visitorOptions(PHONE));
  const page = await context.newPage();
  await page.goto(`${s.url}/sku/sofa-101.html`);
  await sleep(500);
  await page.goto(`${s.url}/appointment.html`);
  s.date = dayIn(1);
  await page.selectOption('form[data-o2o-appointment] select[name="store"]', STORE);
  await page.fill('form[data-o2o-appointment] input[name="budget"]', '20000');
  await page.selectOption('form[data-o2o-appointment] select[name="style"]', '新中式');
  await page.fill('form[data-o2o-appointment] input[name="date"]', s.date);
  await page.click('form[data-o2o-appointment] button[type="submit"]');
  const code = await page.waitForFunction(() => document.querySelector('[data-o2o-lead]')?.textContent?.trim() || null, null, { timeout: 10_000 });
  s.lead = await code.jsonValue();
  assert.match(s.lead, /^[2-9A-HJ-NP-Z]{6}$/);
  await context.close();
  // The SKU view reaches sku_pairs through the queue's fold: the SKU list has it.
  await eventually(async () => assert.deepEqual((await call(`/api/v1/skus?site=${SITE}`, { token: s.store })).skus, [SKU]));
});

test('2. the clerk signs in on /store with a store token and sees the appointment', async () => {
  const context = await browser.newContext({ ...PHONE, locale: 'zh-CN', timezoneId: 'Asia/Shanghai' });
  clerk = await context.newPage();
  clerk.on('pageerror', (e) => pageErrors.push(String(e)));
  // Chromium logs every failed or 4xx fetch as "Failed to load resource": step 6 makes both on purpose.
  clerk.on('console', (m) => m.type() === 'error' && !/^Failed to load resource/.test(m.text()) && pageErrors.push(`console: ${m.text()}`));
  const res = await clerk.goto(`${s.url}/store`);
  assert.equal(res.status(), 200);
  assert.match(res.headers()['content-security-policy'] ?? '', /script-src 'self'/, 'the CSP covers /store');
  await noHorizontalScroll(clerk, 'sign-in');
  await clerk.fill('input[name="token"]', s.store);
  await clerk.click('form.signin button[type="submit"]');
  const card = clerk.locator(`li.appt[data-code="${s.lead}"]`);
  await card.waitFor({ timeout: 10_000 });
  const text = await card.innerText();
  for (const want of [s.lead, s.date, '¥20,000', '新中式', '待筛选']) assert.ok(text.includes(want), `the card shows ${want}: ${text}`);
  assert.equal(await clerk.evaluate(() => sessionStorage.getItem('o2o.store.token')) !== null, true, 'the token is kept in sessionStorage');
  await noHorizontalScroll(clerk, 'workspace');
});

test('3. the clerk checks the customer in by typing the code in lower case; a second check-in says already today', async () => {
  await clerk.fill('#checkin input[name="lead"]', s.lead.toLowerCase());
  await clerk.click('#checkin button[type="submit"]');
  const ok = clerk.locator('#checkin .result .card.ok');
  await ok.waitFor({ timeout: 10_000 });
  const text = await ok.innerText();
  for (const want of ['已签到', s.lead, '¥20,000', '新中式']) assert.ok(text.includes(want), `the result shows ${want}: ${text}`);
  await clerk.click('#checkin button[type="submit"]');
  await clerk.locator('#checkin .result .card.dup').waitFor({ timeout: 10_000 });
  assert.match(await clerk.locator('#checkin .result').innerText(), /今天已签到过/);
});

test('4. the clerk records a ¥13,500 deal with a SKU from the list; a double tap records one deal', async () => {
  await clerk.click('#checkin .result button'); // 为此顾客记成交: the form opens with the lead code
  assert.equal(await clerk.inputValue('#deal input[name="lead"]'), s.lead);
  await clerk.fill('#deal input[name="amount"]', '13,500');
  await clerk.click(`#deal .chip[data-sku="${SKU}"]`);
  assert.equal(await clerk.getAttribute(`#deal .chip[data-sku="${SKU}"]`, 'aria-pressed'), 'true');
  await clerk.dblclick('#deal button[type="submit"]');
  const done = clerk.locator('#deal .card.ok');
  await done.waitFor({ timeout: 10_000 });
  s.deal = await done.getAttribute('data-deal');
  assert.match(await done.innerText(), /¥13,500 · SOFA-101/);
  const deal = (await call(`/api/v1/deals/${s.deal}`, { token: s.store })).deal;
  assert.equal(deal.amount, 1_350_000);
  assert.equal(deal.lead, s.lead);
  assert.deepEqual(deal.items.map((i) => [i.sku, i.qty, i.amount]), [[SKU, 1, 1_350_000]]);
  assert.deepEqual(await storeDeals(), { deals: 1, revenue: 1_350_000 }, 'exactly one deal, whatever the double tap sent');
  assert.equal(await clerk.locator('#mine li.deal').count(), 1);
  await noHorizontalScroll(clerk, 'after the deal');
});

test('5. the clerk voids the deal with a reason', async () => {
  const row = clerk.locator(`#mine li.deal[data-id="${s.deal}"]`);
  await row.locator('button[type="submit"]').click();
  assert.match(await row.innerText(), /请填写作废原因/, 'no void without a reason');
  await row.locator('input[name="reason"]').fill('录错金额');
  await row.locator('button[type="submit"]').click();
  await clerk.locator(`#mine li.deal.voided[data-id="${s.deal}"]`).waitFor({ timeout: 10_000 });
  const deal = (await call(`/api/v1/deals/${s.deal}`, { token: s.store })).deal;
  assert.equal(deal.voided, true);
  assert.equal(deal.voidReason, '录错金额');
  assert.deepEqual(await storeDeals(), { deals: 0, revenue: 0 });
  await noHorizontalScroll(clerk, 'after the void');
});

test('6. offline: a failed submit stays with a Retry that re-sends the same Idempotency-Key; a 4xx shows the message', async () => {
  await clerk.click('#deal button.btn:not([type="submit"])'); // 再记一单: a fresh form, a fresh key
  const keys = [];
  let fail = true;
  await clerk.route('**/api/v1/deals', (route) => {
    keys.push(route.request().headers()['idempotency-key']);
    if (fail) return route.abort('internetdisconnected');
    return route.continue();
  });
  await clerk.fill('#deal input[name="lead"]', s.lead);
  await clerk.fill('#deal input[name="amount"]', '¥2,000.50');
  await clerk.click('#deal button[type="submit"]');
  const retry = clerk.locator('#deal .status button.retry');
  await retry.waitFor({ timeout: 10_000 });
  assert.match(await clerk.locator('#deal .status').innerText(), /网络不通/);
  fail = false;
  await retry.click();
  await clerk.locator('#deal .card.ok').waitFor({ timeout: 10_000 }).catch(async (e) => {
    throw new Error(`${e.message}\n#deal shows: ${await clerk.locator('#deal').innerText()}\nkeys: ${keys}`);
  });
  assert.equal(keys.length, 2);
  assert.equal(keys[0], keys[1], 'the retry sends the same Idempotency-Key');
  assert.match(keys[0], /^[0-9a-f-]{36}$/);
  assert.deepEqual(await storeDeals(), { deals: 1, revenue: 200_050 });
  await clerk.unroute('**/api/v1/deals');

  await clerk.click('#deal button.btn:not([type="submit"])');
  await clerk.fill('#deal input[name="lead"]', 'OOOOOO');
  await clerk.fill('#deal input[name="amount"]', '100');
  await clerk.click('#deal button[type="submit"]');
  await clerk.locator('#deal .status .fail').waitFor({ timeout: 10_000 });
  const msg = await clerk.locator('#deal .status').innerText();
  assert.match(msg, /lead/i, `the envelope's message: ${msg}`);
  assert.equal(await clerk.locator('#deal .status button.retry').count(), 0, 'no Retry for a 4xx');
  await noHorizontalScroll(clerk, 'after a failed submit');
  assert.deepEqual(pageErrors, [], 'no page errors');
});
