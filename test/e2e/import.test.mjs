// Importing a CRM's deals through the dashboard's 导入 tab in real Chromium: a
// CSV in UTF-8 and the same kind of file in GBK (Chinese Excel's "CSV", bytes
// made by gbk.mjs), each with one bad row. Each file: the dry run's preview
// shows the bad row's error and what would be created (and the API agrees that
// nothing was written), Confirm imports it, and choosing the file again shows
// "nothing new"; through the API the deals exist once, with their amounts, and
// the report counts each once. A report token is told it cannot import.
// Own `wrangler dev` on port 8865. Run: node --test test/e2e/import.test.mjs
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { launch, visitorOptions } from './browser.mjs';
import { seedBrand, SITE } from './brand.mjs';
import { gbk } from './gbk.mjs';
import { api, eventually } from './http.mjs';
import { ROOT, startStage } from './wrangler.mjs';

const PORT = 8865;
const STATE = `${ROOT}test/e2e/.state-import`;
const ADMIN = 'e2e-import-admin-token';

const s = { url: '', report: '', store: '', days: [], leads: [] };
let server;
let browser;
const { ok } = api(() => s.url);

before(async () => {
  server = await startStage({ port: PORT, state: STATE, admin: ADMIN });
  s.url = server.url;
  Object.assign(s, await seedBrand({ base: s.url, admin: ADMIN, ok }));
  s.leads = (await ok(`/api/v1/leads?site=${SITE}&from=${s.days[0]}&to=${s.days[6]}`, { token: s.report })).leads;
  assert.ok(s.leads.length >= 4, `the demo week made leads: ${s.leads.length}`);
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** POSTs a file's bytes as the dashboard does; answers { status, body }. */
async function upload(query, token, bytes) {
  const res = await fetch(`${s.url}/api/v1/deals/import?site=${SITE}&${query}`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv' }, body: bytes });
  return { status: res.status, body: await res.json() };
}

/** The deals the channel report counts over the week, all stores. */
async function dealCount() {
  const { rows } = await ok(`/api/v1/reports/channels?site=${SITE}&from=${s.days[0]}&to=${s.days[6]}&by=store`, { token: s.report });
  return rows.reduce((n, r) => n + (r.deals ?? 0), 0);
}

/** What the import tab shows: its state, the totals and each row's outcome, detail and deal id. */
const shown = (page) =>
  page.evaluate(() => {
    const out = document.querySelector('.import-out');
    const counts = Object.fromEntries([...out.querySelectorAll('[data-count]')].map((el) => [el.dataset.count, Number(el.textContent.replace(/\D+/g, ''))]));
    const rows = [...out.querySelectorAll('tbody tr')].map((tr) => ({
      status: tr.querySelector('[data-status]')?.dataset.status,
      detail: tr.lastElementChild.textContent,
      id: tr.querySelector('[data-id]')?.dataset.id ?? null,
    }));
    return {
      state: out.dataset.state, counts, rows, text: out.innerText,
      confirm: out.querySelector('button[name="confirm"]')?.textContent ?? null,
      nothing: out.querySelector('.import-nothing')?.textContent ?? null,
    };
  });

async function choose(page, name, buffer) {
  await page.evaluate(() => delete document.querySelector('.import-out').dataset.state);
  await page.setInputFiles('input[name="import-file"]', { name, mimeType: 'text/csv', buffer });
  await page.waitForFunction(() => ['preview', 'done', 'error'].includes(document.querySelector('.import-out')?.dataset.state));
  return shown(page);
}

const FILES = [
  // Two good deals (a lead's, amounts in yuan as the CRM writes them) and one with an amount of a tenth of a fen.
  { encoding: 'UTF-8', key: 'CRM-U', yuan: '¥', encode: (text) => Buffer.from(text, 'utf8') },
  { encoding: 'GBK', key: 'CRM-G', yuan: '￥', encode: gbk },
];

test('deals from a UTF-8 and a GBK CSV, each with a bad row, through the dashboard: preview, confirm, and again nothing new', async () => {
  const context = await browser.newContext(visitorOptions({ viewport: { width: 1280, height: 860 } }));
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${s.url}/dashboard#import`);
  await page.fill('input[name="token"]', s.store);
  await page.click('form.signin button[type="submit"]');
  await page.waitForSelector('input[name="import-file"]');
  assert.equal(await page.getAttribute('.segmented button[data-value="deals"]', 'aria-pressed'), 'true', 'deals are the default');
  const before = await dealCount();
  const made = [];

  for (const [n, f] of FILES.entries()) {
    const [a, b] = [s.leads[2 * n], s.leads[2 * n + 1]];
    const text = [
      '订单号,门店,预约码,金额,商品,成交日期',
      `${f.key}-1,${a.store},${a.code},"${f.yuan}13,500.00",SOFA-101;TABLE-205,${s.days[5]}`,
      `${f.key}-2,${b.store},${b.code.toLowerCase()},8800,BED-330,${s.days[5].replaceAll('-', '/')} 15:30`,
      `${f.key}-3,${a.store},${a.code},12.345,,${s.days[5]}`,
    ].join('\r\n');
    const bytes = f.encode(text);
    if (f.encoding === 'GBK') assert.ok(!bytes.equals(Buffer.from(text)) && new TextDecoder('gbk').decode(bytes) === text, 'the GBK file is GBK, and reads back as the text');
    const name = `crm-${f.key}.csv`;

    // The dry run: the preview names the bad row's error and what would be created; nothing is written.
    const dry = await choose(page, name, bytes);
    assert.equal(dry.state, 'preview', dry.text);
    assert.ok(dry.text.includes(`: ${f.encoding}`), `the preview names the encoding ${f.encoding}: ${dry.text}`);
    assert.deepEqual(dry.counts, { would_create: 2, duplicate: 0, error: 1 }, dry.text);
    assert.deepEqual(dry.rows.map((r) => r.status), ['would_create', 'would_create', 'error']);
    assert.match(dry.rows[2].detail, /amount/, `the bad row's error is shown: ${dry.rows[2].detail}`);
    assert.ok(dry.confirm?.includes('(2)'), `Confirm offers the two new deals: ${dry.confirm}`);
    const check = (await upload('dryRun=true', s.store, bytes)).body;
    assert.deepEqual(check.counts, { would_create: 2, duplicate: 0, created: 0, error: 1 }, 'the dry run wrote nothing');

    // Confirm: the real import, its result on screen, the deals through the API.
    await page.click('.import-out button[name="confirm"]');
    await page.waitForFunction(() => document.querySelector('.import-out')?.dataset.state === 'done');
    const real = await shown(page);
    assert.deepEqual(real.counts, { created: 2, duplicate: 0, error: 1 }, real.text);
    const ids = real.rows.filter((r) => r.status === 'created').map((r) => r.id);
    assert.equal(ids.length, 2, real.text);
    const deals = await Promise.all(ids.map(async (id) => (await ok(`/api/v1/deals/${id}`, { token: s.store })).deal));
    assert.deepEqual(deals.map((d) => [d.lead, d.amount, d.day]), [[a.code, 1_350_000, s.days[5]], [b.code, 880_000, s.days[5]]]);
    made.push(...ids);

    // The same file again: nothing new on screen, no Confirm; a forced real import doubles nothing.
    const again = await choose(page, name, bytes);
    assert.equal(again.state, 'preview', again.text);
    assert.deepEqual(again.counts, { would_create: 0, duplicate: 2, error: 1 }, again.text);
    assert.ok(again.nothing, `the preview says nothing new: ${again.text}`);
    assert.equal(again.confirm, null, 'no Confirm when nothing is new');
    assert.deepEqual(again.rows.filter((r) => r.status === 'duplicate').map((r) => r.id), ids, 'the duplicates are the deals just made');
    const forced = (await upload('dryRun=false', s.store, bytes)).body;
    assert.deepEqual(forced.counts, { created: 0, duplicate: 2, would_create: 0, error: 1 });
  }

  // Each imported deal is counted once by the report.
  await eventually(async () => assert.equal(await dealCount(), before + made.length));
  assert.equal(new Set(made).size, 4);
  assert.equal(await dealCount(), before + 4, 'still four more, not more');
  assert.deepEqual(errors, [], 'no script errors');
  await context.close();
});

test('a report token sees why it cannot import, and the API refuses it', async () => {
  const context = await browser.newContext(visitorOptions({ viewport: { width: 390, height: 844 } }));
  const page = await context.newPage();
  await page.goto(`${s.url}/dashboard#import`);
  await page.fill('input[name="token"]', s.report);
  await page.click('form.signin button[type="submit"]');
  await page.waitForFunction(() => document.getElementById('view')?.dataset.state === 'ready');
  assert.match(await page.textContent('.import-need'), /门店令牌/);
  assert.equal(await page.$('input[name="import-file"]'), null, 'no file picker for a report token');
  const refused = await upload('dryRun=true', s.report, Buffer.from('订单号,门店\r\n'));
  assert.deepEqual([refused.status, refused.body.error?.code], [403, 'forbidden']);
  await context.close();
});
