// Screenshots of every dashboard tab and the /store page, in zh-CN and English,
// on a laptop (1280×860) and a phone (390×844), saved to test/e2e/artifacts/
// (e.g. channels-zh-CN-390x844.png), and no text clipped on any of them: every
// label, button, tab, table cell and header fits its box or sits in a panel
// that scrolls sideways, the page never scrolls sideways (clipping.mjs), no
// chart text overlaps or leaves its chart, and the store bar chart names every
// store. A realistic brand (brand.mjs: Chinese and long English names, the
// demo week) is made through the public API of a `wrangler dev` of its own.
// Run: node --test test/e2e/screens.test.mjs (needs /usr/bin/chromium).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, before, test } from 'node:test';
import { launch, visitorOptions } from './browser.mjs';
import { seedBrand, STORES } from './brand.mjs';
import { chartTexts, findChartClashes, findClipped } from './clipping.mjs';
import { api } from './http.mjs';
import { ROOT, startStage } from './wrangler.mjs';

const PORT = 8855;
const STATE = `${ROOT}test/e2e/.state-screens`;
const ARTIFACTS = `${ROOT}test/e2e/artifacts`;
const ADMIN = 'e2e-screens-admin-token';
const SIZES = [[1280, 860], [390, 844]];
const LANGS = ['zh-CN', 'en'];

const s = { url: '', report: '', store: '' };
let server;
let browser;
const { ok } = api(() => s.url);

before(async () => {
  server = await startStage({ port: PORT, state: STATE, admin: ADMIN });
  s.url = server.url;
  Object.assign(s, await seedBrand({ base: s.url, admin: ADMIN, ok }));
  mkdirSync(ARTIFACTS, { recursive: true });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** A context of one size whose pages open in one language (both pages keep it in localStorage). */
async function open([width, height], lang) {
  const context = await browser.newContext(visitorOptions({ viewport: { width, height } }));
  await context.addInitScript((l) => {
    localStorage.setItem('o2o.dashboard.lang', l);
    localStorage.setItem('o2o.store.lang', l);
  }, lang);
  const page = await context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  return { context, page, errors };
}

async function signIn(page, path, secret) {
  await page.goto(`${s.url}${path}`);
  await page.fill('input[name="token"]', secret);
  await page.click('form.signin button[type="submit"]');
}

/**
 * The tab has drawn (or shown its error) and each chart has rendered. A draw that
 * starts after that (the sign-in's own draw of the first tab finishing before the
 * click's) is waited for in turn: the state read last is of no draw in flight.
 */
async function settled(page) {
  for (;;) {
    await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('view')?.dataset.state));
    await page.waitForFunction(() => [...document.querySelectorAll('[data-chart]')].every((c) => c.dataset.rendered === '1'));
    const state = await page.evaluate(() => document.getElementById('view').dataset.state);
    if (state !== 'loading') return state;
  }
}

/** Saves the full page and returns what is clipped on it, each line naming the shot. */
async function shoot(page, name) {
  await page.screenshot({ path: `${ARTIFACTS}/${name}.png`, fullPage: true });
  const found = [...(await page.evaluate(findClipped)), ...(await page.evaluate(findChartClashes))];
  return found.map((p) => `${name}: ${p}`);
}

const sized = ([w, h]) => `${w}x${h}`;

test('every dashboard tab, in both languages, on a laptop and a phone: screenshots, and no text clipped', async () => {
  const problems = [];
  let shots = 0;
  for (const size of SIZES) {
    for (const lang of LANGS) {
      const { context, page, errors } = await open(size, lang);
      await signIn(page, '/dashboard', s.report);
      await page.waitForSelector('nav.tabs a');
      const tabs = await page.$$eval('nav.tabs a', (as) => as.map((a) => a.dataset.tab));
      assert.ok(tabs.length >= 6 && tabs.includes('import'), `the report token's tabs: ${tabs}`);
      for (const tab of tabs) {
        await page.click(`nav.tabs a[data-tab="${tab}"]`);
        const state = await settled(page);
        if (state !== 'ready') problems.push(`${tab} ${lang}: the tab shows an error: ${(await page.textContent('#view')).slice(0, 200)}`);
        problems.push(...(await shoot(page, `${tab}-${lang}-${sized(size)}`)));
        shots++;
        if (tab === 'stores') {
          // Every store is named under its bars: in full, or cut with "…" (the tooltip names it whole).
          const texts = (await page.evaluate(chartTexts)).stores ?? [];
          for (const st of STORES) {
            const named = texts.some((x) => x === st.name || (x.endsWith('…') && st.name.startsWith(x.slice(0, -1))));
            if (!named) problems.push(`stores ${lang} ${sized(size)}: the bar chart does not name ${st.name} (its text: ${texts.join(' | ')})`);
          }
        }
      }
      assert.deepEqual(errors, [], `no script errors (${lang} ${sized(size)})`);
      await context.close();
    }
  }
  console.log(`# ${shots} dashboard screenshots in ${ARTIFACTS}`);
  assert.deepEqual(problems, []);
});

test('the import tab with a preview, and the /store page, in both languages, on a laptop and a phone: screenshots, and no text clipped', async () => {
  const problems = [];
  const { leads } = await ok(`/api/v1/leads?site=demo&from=${s.days[0]}&to=${s.days[6]}`, { token: s.report });
  assert.ok(leads.length, 'the demo week made leads');
  const csv = [
    '订单号,门店,预约码,金额,商品,成交日期',
    `SCREENS-001,bj-chaoyang,${leads[0].code},"¥13,500.00",SOFA-101;TABLE-205,`,
    'SCREENS-002,sh-xuhui,ZZZZZZ,800,,',
    'SCREENS-003,no-such-store-with-a-rather-long-identifier,,1200,,',
  ].join('\r\n');
  for (const size of SIZES) {
    for (const lang of LANGS) {
      const { context, page, errors } = await open(size, lang);
      await signIn(page, '/dashboard#import', s.store);
      await settled(page);
      await page.setInputFiles('input[name="import-file"]', { name: 'deals.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
      await page.waitForFunction(() => document.querySelector('.import-out')?.dataset.state === 'preview');
      const outcomes = await page.$$eval('.import-out tbody tr', (trs) => trs.map((tr) => tr.textContent));
      assert.equal(await page.locator('.import-out [data-status="error"]').count(), 2, `the preview shows the two bad rows: ${outcomes.join(' / ')}`);
      problems.push(...(await shoot(page, `import-preview-${lang}-${sized(size)}`)));

      await signIn(page, '/store', s.store);
      await page.waitForFunction(() => document.getElementById('view')?.dataset.state === 'ready');
      await page.waitForFunction(() => { const b = document.getElementById('appts-list'); return b?.children.length && !b.querySelector('[role="status"]'); });
      problems.push(...(await shoot(page, `store-${lang}-${sized(size)}`)));
      assert.deepEqual(errors, [], `no script errors (${lang} ${sized(size)})`);
      await context.close();
    }
  }
  assert.deepEqual(problems, []);
});
