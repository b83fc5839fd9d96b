// The consult desk in real Chromium against `wrangler dev` (issue 20): a visitor
// lands on the demo storefront from a channel link, opens the chat on a SKU page
// and asks; an agent in a second browser (a service token, made through the admin
// API) claims the conversation in the desk, answers and books the visit; the
// visitor sees the lead code and the store's address in the chat; the Channels
// tab and the service report both count it. Then the visitor goes offline, types,
// and comes back: nothing is lost or doubled. Polls, never sleeps, for answers.
// Run: node --test test/e2e/desk.test.mjs (needs /usr/bin/chromium).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, eventually } from './http.mjs';
import { launch, visitorOptions } from './browser.mjs';
import { ROOT, startStage } from './wrangler.mjs';

const PORT = 8875;
const STATE = `${ROOT}test/e2e/.state-desk`;
const ADMIN = 'e2e-desk-admin-token';
const SITE = 'demo'; // the demo storefront's script tag says data-site="demo"
const ADDRESS = '上海市徐汇区漕溪北路 88 号';

const s = { url: '', day: '', report: '', service: '', lead: '', c: '' };
let server;
let browser;
let visitor; // { context, page }
let agent;
const errors = [];
const { ok } = api(() => s.url);

/** A locator inside the chat's shadow root (Playwright's CSS pierces open shadow roots). */
const chat = (page, sel) => page.locator(`[data-o2o-chat] ${sel}`);
/** The texts of the chat's messages, in order. */
const chatTexts = (page) => page.evaluate(() => [...document.querySelector('[data-o2o-chat]').shadowRoot.querySelectorAll('.msg')].map((m) => m.lastChild.textContent));
const deskTexts = (page) => page.locator('.desk-log .desk-msg p').allTextContents();

before(async () => {
  server = await startStage({ port: PORT, state: STATE, admin: ADMIN });
  s.url = server.url;
  s.day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(Date.now());
  await ok('/api/v1/admin/sites', { token: ADMIN, method: 'POST', json: { siteKey: SITE, name: '木语家居 desk e2e', origins: [s.url], timezone: 'Asia/Shanghai' } });
  await ok(`/api/v1/admin/sites/${SITE}/stores/sh-xuhui`, { token: ADMIN, method: 'PUT', json: { name: '上海徐汇体验店', region: '上海', city: '上海', address: ADDRESS } });
  await ok(`/api/v1/admin/sites/${SITE}/desk`, { token: ADMIN, method: 'PUT', json: { quickReplies: ['您好，我是木语家居的客服，请问有什么可以帮您？'], topicTags: ['价格', '现货'] } });
  s.report = (await ok('/api/v1/admin/tokens', { token: ADMIN, method: 'POST', json: { kind: 'report', sites: [SITE] } })).token;
  s.service = (await ok('/api/v1/admin/tokens', { token: ADMIN, method: 'POST', json: { kind: 'service', sites: [SITE], label: '小王' } })).token;
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function open(options = {}) {
  const context = await browser.newContext(visitorOptions(options));
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  return { context, page };
}

/**
 * Keeps the page's WebSockets in window.__sockets (the wrapper changes nothing), so the test can
 * cut the chat's connection as a dropped network does: Chromium's offline emulation
 * (context.setOffline) refuses new connections but leaves an open WebSocket working.
 */
function recordSockets() {
  const Real = window.WebSocket;
  window.__sockets = [];
  window.WebSocket = class extends Real {
    constructor(...a) {
      super(...a);
      window.__sockets.push(this);
    }
  };
}

test('1. a visitor from a channel link opens the chat on a SKU page and asks', async () => {
  visitor = await open();
  await visitor.context.addInitScript(recordSockets);
  const { page } = visitor;
  await page.goto(`${s.url}/sku/sofa-101.html?ch=baidu_sem`);
  assert.equal(await page.locator('script[src$="/chat.js"]').count(), 0, 'no chat.js before the chat is opened');
  await page.click('button[data-o2o-consult="chat"]');
  await chat(page, 'textarea').waitFor();
  assert.equal(await page.locator('script[src$="/chat.js"]').count(), 1, 'chat.js injected once');
  await chat(page, 'textarea').fill('这款沙发有现货吗？');
  await chat(page, 'textarea').press('Enter');
  await page.waitForFunction(() => !document.querySelector('[data-o2o-chat]').shadowRoot.querySelector('.msg.pending'));
  s.c = await page.evaluate(() => JSON.parse(localStorage.o2o_chat_demo).c);
  assert.ok(s.c, 'the conversation id is kept per site');
});

test('2. an agent claims it in the desk, answers, and books the visit; the visitor sees the code and the address', async () => {
  agent = await open({ locale: 'zh-CN', viewport: { width: 1400, height: 900 } });
  const { page } = agent;
  await page.goto(`${s.url}/dashboard`);
  await page.fill('input[name="token"]', s.service);
  await page.click('form.signin button[type="submit"]');
  // A service token sees the desk and nothing else.
  await page.locator('nav.tabs a[data-tab="desk"]').waitFor();
  assert.deepEqual(await page.locator('nav.tabs a').evaluateAll((as) => as.map((a) => a.dataset.tab)), ['desk']);
  const item = page.locator(`.desk-item[data-c="${s.c}"]`);
  await item.locator('button[data-action="claim"]').click();
  await page.locator(`.desk-conv[data-c="${s.c}"]`).waitFor();
  await page.locator('.desk-log .desk-msg.visitor', { hasText: '这款沙发有现货吗？' }).waitFor();
  // The visitor's context: the SKU page at once, the channel once the visitor's events are folded (refreshed until then).
  await page.locator('.desk-side .desk-kv', { hasText: 'SOFA-101' }).waitFor();
  await eventually(async () => {
    await page.click('.desk-side button[data-action="refresh-context"]');
    await page.locator('.desk-side .desk-kv', { hasText: 'baidu_sem' }).waitFor({ timeout: 1000 });
  });

  await page.fill('textarea[name="reply"]', '有现货的，欢迎到店体验。');
  await page.click('.desk-reply button[type="submit"]');
  await visitor.page.locator('[data-o2o-chat] .msg.agent', { hasText: '有现货的，欢迎到店体验。' }).waitFor();
  await visitor.page.locator('[data-o2o-chat] .status', { hasText: '小王' }).waitFor();

  await page.selectOption('form.desk-book select[name="store"]', 'sh-xuhui');
  await page.fill('form.desk-book input[name="budget"]', '12000');
  await page.fill('form.desk-book input[name="style"]', '北欧简约');
  await page.fill('form.desk-book input[name="time"]', '周六下午');
  await page.click('form.desk-book button[type="submit"]');
  s.lead = (await page.locator('form.desk-book .lead-code').textContent()).trim();
  assert.match(s.lead, /^[0-9A-Z]{4,}$/);
  const card = visitor.page.locator('[data-o2o-chat] .card');
  await card.waitFor();
  assert.equal((await card.locator('code').textContent()).trim(), s.lead);
  assert.match(await card.textContent(), new RegExp(ADDRESS));
});

test('3. offline and back: the message typed offline arrives once, and nothing is doubled', async () => {
  const { page, context } = visitor;
  const sockets = [];
  page.on('websocket', (ws) => sockets.push(ws.url()));
  await context.setOffline(true);
  await page.waitForFunction(() => !navigator.onLine);
  // The network drops: the socket closes under the chat (the phone's connection is gone), and reconnects fail while offline.
  await page.evaluate(() => window.__sockets.at(-1).close());
  await page.locator('[data-o2o-chat] .status', { hasText: '网络已断开' }).waitFor();
  await chat(page, 'textarea').fill('周六下午两点可以吗？');
  await chat(page, 'textarea').press('Enter');
  await chat(page, '.msg.pending').waitFor(); // not sent: no connection
  await context.setOffline(false);
  // Acknowledged once back: the room stored it.
  await page.waitForFunction(() => !document.querySelector('[data-o2o-chat]').shadowRoot.querySelector('.msg.pending'), null, { timeout: 45_000 });
  await agent.page.locator('.desk-log .desk-msg.visitor', { hasText: '周六下午两点可以吗？' }).waitFor();
  assert.ok(sockets.some((u) => u.includes('/chat/ws')), `a new socket after the network came back: ${JSON.stringify(sockets)}`);
  // The agent answers after the reconnect: it reaches the visitor's new socket.
  await agent.page.fill('textarea[name="reply"]', '可以的，到时见。');
  await agent.page.click('.desk-reply button[type="submit"]');
  await page.locator('[data-o2o-chat] .msg.agent', { hasText: '可以的，到时见。' }).waitFor();
  const once = (texts, t) => assert.equal(texts.filter((x) => x === t).length, 1, `${t} once in ${JSON.stringify(texts)}`);
  const mine = ['这款沙发有现货吗？', '周六下午两点可以吗？'];
  const theirs = ['有现货的，欢迎到店体验。', '可以的，到时见。'];
  for (const t of [...mine, ...theirs]) once(await chatTexts(page), t);
  for (const t of [...mine, ...theirs]) once(await deskTexts(agent.page), t);
  // And the transcript a report token reads holds each message once.
  const tr = await ok(`/api/v1/conversations/${s.c}/messages?site=${SITE}`, { token: s.report });
  for (const t of [...mine, ...theirs]) once(tr.messages.map((m) => m.text), t);
  // A reload replays the conversation (hello from 0) without doubling anything.
  await page.reload();
  await page.click('button[data-o2o-consult="chat"]');
  await page.locator('[data-o2o-chat] .msg.agent', { hasText: '可以的，到时见。' }).waitFor();
  for (const t of [...mine, ...theirs]) once(await chatTexts(page), t);
  assert.equal(await page.locator('[data-o2o-chat] .card').count(), 1, 'the booking card once');
});

test('4. the Channels tab and the service report count the booked visit on the visitor\'s channel', async () => {
  const q = `site=${SITE}&from=${s.day}&to=${s.day}`;
  await eventually(async () => {
    const body = await ok(`/api/v1/reports/service?${q}&by=channel`, { token: s.report });
    assert.ok(body.totals.conversations >= 1, JSON.stringify(body));
    assert.equal(body.totals.appointments, 1, `the booked visit: ${JSON.stringify(body.totals)}`);
  });
  await eventually(async () => {
    const body = await ok(`/api/v1/reports/channels?${q}`, { token: s.report });
    const row = body.rows.find((r) => r.channel === 'baidu_sem');
    assert.ok(row && row.appointments === 1, `baidu_sem with one appointment: ${JSON.stringify(body.rows)}`);
  });
  const { page, context } = await open();
  await page.goto(`${s.url}/dashboard`);
  await page.fill('input[name="token"]', s.report);
  await page.click('form.signin button[type="submit"]');
  await page.locator('nav.tabs a[data-tab="channels"]').click();
  await page.locator('#view section.channel-table tbody tr', { hasText: 'baidu_sem' }).waitFor();
  const cells = await page.locator('#view section.channel-table tbody tr', { hasText: 'baidu_sem' }).locator('td').allTextContents();
  assert.ok(cells.includes('1'), `the row counts the appointment: ${JSON.stringify(cells)}`);
  await context.close();
  await visitor.context.close();
  await agent.context.close();
  assert.deepEqual(errors, [], 'no script errors in the storefront, the chat or the dashboard');
});
