// Hostile data stays data (issue 15), in real Chromium against `wrangler dev`:
// every string a visitor (/collect), a chat system (/api/v1/conversations) or
// an admin (sites, stores, spend, lead notes) can set is filled with markup,
// script URLs and formula starters through the public API. Then the dashboard
// is driven through every tab in both languages, every chart shape and a grid
// over each chart hovered, every table row and toggle clicked, and the check-in
// page opened. Proof that nothing ran: the global a payload would set stays
// unset, no element or attribute was ever created from a payload (a
// MutationObserver sees even a tooltip's passing content), the CSP reported no
// violation; and the payloads are on the page as text. Every HTML answer
// carries the CSP. Runs beside journey.test.mjs: own port, own state.
// Run: npm run test:e2e (needs /usr/bin/chromium).
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { api, eventually } from './http.mjs';
import { launch, visitorAgent, visitorOptions } from './browser.mjs';
import { ROOT, startStage } from './wrangler.mjs';

const PORT = 8805;
const STATE = `${ROOT}test/e2e/.state-hostile`;
const ADMIN = 'e2e-hostile-admin-token';
const SITE = 'hostile';

// The payloads. IMG and SVG would set window.__xss if they ever became elements;
// JS would if it became a link and was followed; FORMULA is a spreadsheet's.
const IMG = '<img src=x onerror="window.__xss=1">';
const SVG = '"><svg onload="window.__xss=1">';
const JS = 'javascript:window.__xss=1';
const FORMULA = '=1+1';
const ALL = [IMG, SVG, JS, FORMULA];

const s = { url: '', day: '', report: '', store: '', lead: '', checkin: '' };
let server;
let browser;

const { call, ok } = api(() => s.url);

let seq = 0;
const ev = (over) => ({ i: `hx-${Date.now().toString(36)}-${seq++}`, ts: Date.now() - 60_000 + seq, ...over });

/** A visitor's events as a server-side sender posts them (no Origin: accepted by design), with a browser's user agent (not a bot's). */
async function collect(events) {
  const body = await ok('/collect', { method: 'POST', json: { s: SITE, e: events }, headers: { 'user-agent': visitorAgent() } });
  assert.equal(body.rejected?.length ?? 0, 0, `every hostile event is accepted as data: ${JSON.stringify(body.rejected)}`);
  assert.ok(!body.dropped, `no event dropped as a bot's: ${JSON.stringify(body)}`);
  return body;
}

before(async () => {
  server = await startStage({ port: PORT, state: STATE, admin: ADMIN });
  s.url = server.url;
  const day = (ms) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(ms);
  s.day = day(Date.now());
  s.yesterday = day(Date.now() - 86_400_000); // the reports' range starts a day back: a run across midnight still finds its rows
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('1. an admin, visitors and a chat system fill every field they can set with payloads, through the public API', async () => {
  // Admin: the site's name, stores' names, regions and cities.
  await ok('/api/v1/admin/sites', { token: ADMIN, method: 'POST', json: { siteKey: SITE, name: `${IMG} ${FORMULA}`, origins: [s.url], timezone: 'Asia/Shanghai' } });
  const stores = [['st-a', IMG, SVG, JS], ['st-b', SVG, IMG, FORMULA], ['st-c', `${JS} ${FORMULA}`, FORMULA, IMG]];
  for (const [id, name, region, city] of stores) await ok(`/api/v1/admin/sites/${SITE}/stores/${id}`, { token: ADMIN, method: 'PUT', json: { name, region, city } });
  s.report = (await ok('/api/v1/admin/tokens', { token: ADMIN, method: 'POST', json: { kind: 'report', sites: [SITE] } })).token;
  s.store = (await ok('/api/v1/admin/tokens', { token: ADMIN, method: 'POST', json: { kind: 'store', sites: [SITE], stores: stores.map(([id]) => id) } })).token;

  // Visitors: path, referrer, SKU, every allow-listed parameter, consult kind and label,
  // custom event names and props, appointment fields. One visitor per payload, so the
  // heat map has a column and the channel table a row for each.
  ALL.forEach((p, n) => (s[`v${n}`] = `hv${n}-${Date.now().toString(36)}`));
  const events = ALL.flatMap((p, n) => {
    const v = s[`v${n}`];
    const ss = `${v}-s`;
    const pv = `${v}-pv`;
    const q = { ch: p, pr: p, utm_source: p, utm_medium: p, utm_campaign: p, utm_content: p, utm_term: p, gclid: p };
    return [
      ev({ t: 'view', v, ss, pv, u: `/sku/${p}`, r: n === 2 ? JS : `https://example.com/${p}`, q, k: p }),
      ev({ t: 'dwell', v, ss, pv, u: `/sku/${p}`, k: p, d: 4000 + n * 1000 }),
      ev({ t: 'consult', v, ss, pv, u: `/sku/${p}`, k: p, c: p, l: p }),
      ev({ t: 'track', v, ss, pv, u: `/sku/${p}`, n: p, p: { [p.slice(0, 40)]: p, label: p } }),
      ev({ t: 'appointment', v, ss, pv, u: `/sku/${p}`, k: p, p: { store: 'st-a', budget: 2_000_000, style: p, sku: p, note: p, name: p } }),
    ];
  });
  await collect(events);

  // The chat system: agents, channels, pages, SKUs, topics.
  const now = Date.now();
  const conv = ALL.flatMap((p, n) => [
    { conversation: `hc-${n}`, type: 'started', at: now - 300_000, agent: p, channel: p, page: `/sku/${p}`, sku: p, visitor: s[`v${n}`], topics: [p.toLowerCase()] },
    { conversation: `hc-${n}`, type: 'first_reply', at: now - 280_000 + n * 5000 },
    { conversation: `hc-${n}`, type: 'ended', at: now - 60_000 },
  ]);
  const service = await ok('/api/v1/conversations', { token: s.store, method: 'POST', json: { site: SITE, events: conv } });
  assert.equal(service.rejected?.length ?? 0, 0, `every conversation event is accepted: ${JSON.stringify(service.rejected)}`);

  // The report rows appear (now, or once a queue has folded them): poll, never sleep.
  const q = `site=${SITE}&from=${s.yesterday}&to=${s.day}`;
  await eventually(async () => {
    const { rows } = await ok(`/api/v1/reports/channels?${q}&by=promoter`, { token: s.report });
    for (const p of ALL) assert.ok(rows.some((r) => r.promoter === p && r.visitors === 1), `promoter ${p} in ${JSON.stringify(rows)}`);
  });
  await eventually(async () => {
    const { rows } = await ok(`/api/v1/reports/sku-interest?${q}`, { token: s.report });
    for (const p of ALL) assert.ok(rows.some((r) => r.sku === p), `SKU ${p} in ${JSON.stringify(rows)}`);
  });
  const leads = await eventually(async () => {
    const body = await ok(`/api/v1/leads?${q}`, { token: s.report });
    assert.equal(body.leads?.length, ALL.length, `a lead per appointment: ${JSON.stringify(body)}`);
    return body.leads;
  });
  assert.ok(leads.some((l) => l.style === IMG), `the appointment's style is kept as sent: ${JSON.stringify(leads)}`);

  // Staff: a note on every lead, the arrival and a deal of the first.
  leads.forEach((l, n) => (l.note = ALL[n]));
  for (const l of leads) await ok(`/api/v1/leads/${l.code}?site=${SITE}`, { token: s.report, method: 'PATCH', json: { site: SITE, note: l.note } });
  s.lead = leads[0].code;
  await ok('/api/v1/arrivals', { token: s.store, method: 'POST', json: { site: SITE, lead: s.lead, store: 'st-a' } });
  await ok('/api/v1/deals', { token: s.store, method: 'POST', json: { site: SITE, lead: s.lead, store: 'st-a', amount: 1_280_000, skus: [IMG, SVG] }, headers: { 'idempotency-key': `hostile-${s.lead}` } });
  await ok('/api/v1/arrivals', { token: s.store, method: 'POST', json: { site: SITE, lead: leads[1].code, store: 'st-b' } });
  // An admin's spend row (a channel code is checked by the API; its refusal is a defence too).
  const spend = await call('/api/v1/spend', { token: s.report, method: 'PUT', json: { site: SITE, rows: [{ channel: IMG, date: s.day, amount: 100_00 }] } });
  console.log(`# spend row with a markup channel code: ${spend.status} ${JSON.stringify(spend.body).slice(0, 160)}`);
  assert.ok(spend.status < 500, 'no 5xx on a hostile spend row');

  await eventually(async () => {
    const { rows } = await ok(`/api/v1/reports/channels?${q}&by=store`, { token: s.report });
    assert.ok(rows.some((r) => (r.store ?? r.key) === 'st-a' && r.arrivals === 1 && r.deals === 1), `st-a arrival and deal in ${JSON.stringify(rows)}`);
    assert.ok(rows.some((r) => (r.store ?? r.key) === 'st-b' && r.arrivals === 1), `st-b arrival in ${JSON.stringify(rows)}`);
  });
  await eventually(async () => {
    const body = await ok(`/api/v1/reports/service?${q}&by=agent`, { token: s.report });
    for (const p of ALL) assert.ok(body.rows.some((r) => r.agent === p), `agent ${p} in ${JSON.stringify(body.rows)}`);
  });
  s.checkin = (await ok('/api/v1/stores/st-a/checkin', { token: s.store })).url;
});

/**
 * Runs in every page before its own scripts: records every element or attribute
 * a payload could have produced (even one that lives a moment, as a tooltip's
 * content does) and every CSP violation.
 */
function watchPage() {
  window.__created = [];
  window.__violations = [];
  // A payload in an input's value or an aria-label is text; as a handler, a link or an element it is not.
  const URL_ATTR = /^(href|src|action|formaction|xlink:href|data)$/i;
  const bad = (el) =>
    el.nodeType === 1 &&
    ((el.localName === 'img' && el.getAttribute('src') === 'x') ||
      [...el.attributes].some((a) => /^on/i.test(a.name) || (URL_ATTR.test(a.name) && /^\s*javascript:/i.test(a.value))) ||
      (['iframe', 'object', 'embed', 'script'].includes(el.localName) && /__xss/.test(el.outerHTML)));
  const check = (el) => {
    if (bad(el)) window.__created.push(el.outerHTML.slice(0, 200));
    for (const child of el.querySelectorAll?.('*') ?? []) if (bad(child)) window.__created.push(child.outerHTML.slice(0, 200));
  };
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'attributes') check(r.target);
      for (const n of r.addedNodes) check(n);
    }
  }).observe(document, { subtree: true, childList: true, attributes: true });
  document.addEventListener('securitypolicyviolation', (e) => window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample}`));
}

/** Nothing ran, nothing was made from a payload, nothing was refused by the CSP: else the list of what happened. */
async function harm(page, where) {
  const found = await page.evaluate(() => ({
    xss: window.__xss,
    created: window.__created.splice(0),
    violations: window.__violations.splice(0),
    now: [...document.querySelectorAll('img[src="x"], svg[onload], [onerror], [onload], a[href^="javascript:" i], iframe, object, embed')].map((e) => e.outerHTML.slice(0, 200)),
  }));
  const out = [];
  if (found.xss !== undefined) out.push(`${where}: window.__xss = ${found.xss}`);
  for (const c of [...found.created, ...found.now]) out.push(`${where}: element from a payload: ${c}`);
  for (const v of found.violations) out.push(`${where}: CSP violation: ${v}`);
  return out;
}

const CSP_MUST = ["script-src 'self'", "object-src 'none'", "base-uri 'none'", "frame-ancestors 'none'"];

/** Records the CSP problems of every HTML document the page loads. */
function checkDocuments(page, problems, seen) {
  page.on('response', async (res) => {
    if (res.request().resourceType() !== 'document') return;
    const h = await res.allHeaders();
    const type = h['content-type'] ?? '';
    if (!type.startsWith('text/html')) return;
    seen.push(new URL(res.url()).pathname);
    const csp = h['content-security-policy'] ?? '';
    for (const d of CSP_MUST) if (!csp.includes(d)) problems.push(`${res.url()}: CSP lacks ${d} (${csp || 'no CSP'})`);
    if (/script-src[^;]*unsafe-inline/.test(csp)) problems.push(`${res.url()}: script-src allows inline script`);
    if (h['x-content-type-options'] !== 'nosniff') problems.push(`${res.url()}: no nosniff`);
    if (!h['referrer-policy']) problems.push(`${res.url()}: no Referrer-Policy`);
  });
}

/** Every chart shape's centre and a grid over each chart: the points to hover. */
async function hoverPoints(page) {
  return page.evaluate(() =>
    [...document.querySelectorAll('[data-chart]')].flatMap((el) => {
      const box = el.getBoundingClientRect();
      const pts = [];
      for (const shape of el.querySelectorAll('svg path, svg rect, svg text')) {
        const r = shape.getBoundingClientRect();
        if (r.width > 0 && r.height > 0) pts.push([r.x + r.width / 2, r.y + r.height / 2]);
      }
      for (let i = 1; i < 10; i++) for (let j = 1; j < 7; j++) pts.push([box.x + (box.width * i) / 10, box.y + (box.height * j) / 7]);
      return pts.filter(([x, y]) => x >= box.x && x <= box.right && y >= box.y && y <= box.bottom).map(([x, y]) => [Math.round(x), Math.round(y), el.dataset.chart]);
    }),
  );
}

/** Hovers every point; returns the text every tooltip showed, by chart. */
async function hoverCharts(page) {
  const shown = {};
  const points = await hoverPoints(page);
  for (const [x, y, chart] of points) {
    await page.mouse.move(x, y);
    const text = await page.evaluate((name) => {
      const el = document.querySelector(`[data-chart="${name}"]`);
      const tips = [...(el?.querySelectorAll('div') ?? [])].filter((d) => d.style.display !== 'none' && d.style.position === 'absolute' && d.textContent);
      return tips.map((d) => d.textContent).join(' | ');
    }, chart);
    if (text) (shown[chart] ??= new Set()).add(text);
  }
  await page.mouse.move(0, 0);
  return { shown, points: points.length };
}

async function waitReady(page) {
  await page.waitForFunction(() => ['ready', 'error'].includes(document.getElementById('view')?.dataset.state));
  // Charts draw on the next animation frame.
  await page.waitForFunction(() => [...document.querySelectorAll('[data-chart]')].every((c) => c.dataset.rendered === '1'));
  return page.evaluate(() => document.getElementById('view').dataset.state);
}

test('2. the dashboard, in both languages, on every tab, hovered and clicked all over, runs no payload and shows them as text', async () => {
  assert.ok(s.report && s.checkin, 'step 1 loaded the fixture');
  const context = await browser.newContext(visitorOptions({ viewport: { width: 1280, height: 900 } }));
  await context.addInitScript(watchPage);
  const page = await context.newPage();
  const problems = [];
  const documents = [];
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  checkDocuments(page, problems, documents);
  await page.goto(`${s.url}/dashboard`);
  await page.fill('input[name="token"]', s.report);
  await page.click('form.signin button[type="submit"]');
  await page.waitForSelector('select[name="site"]');
  assert.ok((await page.textContent('select[name="site"]')).includes(IMG), 'the site name is shown as text in the site picker');

  const tooltips = {};
  let hovered = 0;
  const visible = new Set();
  const seenText = async (tab) => {
    const text = await page.evaluate(() => document.getElementById('view').innerText + [...document.querySelectorAll('#view input')].map((i) => i.value).join(' '));
    for (const p of ALL) if (text.includes(p)) visible.add(`${tab}:${p}`);
  };
  const visit = async (where, { hover = true } = {}) => {
    const state = await waitReady(page);
    if (state !== 'ready') problems.push(`${where}: the tab shows an error: ${(await page.textContent('#view')).slice(0, 200)}`);
    await seenText(where.split(' ')[1]);
    if (hover) {
      const { shown, points } = await hoverCharts(page);
      hovered += points;
      for (const [chart, texts] of Object.entries(shown)) for (const t of texts) (tooltips[chart] ??= new Set()).add(t);
    }
    problems.push(...(await harm(page, where)));
  };

  for (const lang of ['zh-CN', 'en']) {
    if ((await page.evaluate(() => document.documentElement.lang)) !== lang) {
      await page.click('header .actions button.link >> nth=0'); // the language switch
      await page.waitForFunction((l) => document.documentElement.lang === l, lang);
    }
    for (const tab of ['channels', 'regions', 'stores', 'leads', 'service']) {
      await page.click(`nav.tabs a[data-tab="${tab}"]`);
      await visit(`${lang} ${tab}`);
      if (tab === 'channels') {
        for (const by of ['channel', 'campaign', 'promoter']) {
          for (const touch of ['last', 'first']) {
            await page.click(`.toolbar button[data-value="${touch}"]`);
            await page.click(`.toolbar button[data-value="${by}"]`);
            await visit(`${lang} channels by ${by}, ${touch} touch`);
            // Each row selects its funnel (whose title names the row; its shapes are the five stages).
            const rows = await page.locator('#view tbody tr.clickable').count();
            for (let i = 0; i < rows; i++) {
              await page.click(`#view tbody tr.clickable >> nth=${i}`);
              await visit(`${lang} channels by ${by}, row ${i}`, { hover: i === rows - 1 });
            }
          }
        }
      }
      if (tab === 'service') {
        for (const [i, by] of ['agent', 'channel', 'day'].entries()) {
          await page.click(`#view .segmented button >> nth=${i}`);
          await visit(`${lang} service by ${by}`);
        }
      }
      if (tab === 'leads') {
        const notes = await page.$$eval('#view input[name="note"]', (els) => els.map((e) => e.value));
        for (const p of ALL) if (!notes.includes(p)) problems.push(`${lang} leads: the note ${p} is not in an input (${JSON.stringify(notes)})`);
        await page.click('#view .row-actions button >> nth=0'); // save a hostile note back
        await page.waitForFunction(() => ['…', ''].every((m) => document.querySelector('#view .row-msg')?.textContent !== m));
        problems.push(...(await harm(page, `${lang} leads, after save`)));
      }
    }
  }

  // Proof the fixture reached the page: each payload shows as text, and the tooltips showed them.
  for (const [tab, want] of Object.entries({ channels: ALL, regions: ALL, stores: [IMG, SVG], leads: ALL, service: ALL })) {
    for (const p of want) if (!visible.has(`${tab}:${p}`)) problems.push(`${tab}: the payload ${p} is not shown as text anywhere`);
  }
  const tipText = (chart) => [...(tooltips[chart] ?? [])].join(' ');
  for (const [chart, want] of Object.entries({ heatmap: [IMG, SVG, JS, FORMULA], stores: [IMG, SVG], response: ALL, stages: ALL })) {
    for (const p of want) if (!tipText(chart).includes(p)) problems.push(`tooltip of ${chart} never showed ${p} as text (showed: ${tipText(chart).slice(0, 300)})`);
  }
  console.log(`# hovered ${hovered} points; tooltips seen: ${Object.entries(tooltips).map(([c, t]) => `${c} ${t.size}`).join(', ')}`);
  if (!documents.includes('/dashboard')) problems.push(`the dashboard document was not seen (${documents})`);

  // A future hole would still be shut: an injected inline script does not run.
  const ran = await page.evaluate(() => {
    const el = document.createElement('script');
    el.textContent = 'window.__inline = 1';
    document.head.append(el);
    return window.__inline;
  });
  assert.equal(ran, undefined, 'the CSP refuses an inline script');
  await context.close();
  assert.deepEqual(errors, [], 'no script errors on the dashboard');
  assert.deepEqual(problems, []);
});

test('3. the check-in page and its poster: the CSP on the answer, the store name as text, the check-in works without inline script', async () => {
  assert.ok(s.checkin, 'step 1 made the check-in link');
  const context = await browser.newContext(visitorOptions());
  await context.addInitScript(watchPage);
  const page = await context.newPage();
  const problems = [];
  const documents = [];
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  checkDocuments(page, problems, documents);
  await page.goto(s.checkin);
  await page.waitForSelector('#done:not(.hidden), #fail:not(.hidden)');
  assert.equal(await page.textContent('#fail'), '', 'the check-in succeeded');
  assert.ok((await page.textContent('h1')).includes(IMG), 'the store name shows as text');
  problems.push(...(await harm(page, 'check-in page')));
  await page.goto(s.checkin.replace('/checkin/st-a?', '/checkin/st-a/poster?'));
  assert.ok((await page.textContent('h1.store')).includes(IMG), 'the poster shows the store name as text');
  assert.ok(await page.$('.qr svg path'), 'the poster shows the QR');
  problems.push(...(await harm(page, 'poster')));
  await page.goto(s.checkin.replace(/k=[^&]+/, 'k=not-the-key-000'));
  problems.push(...(await harm(page, 'check-in error page')));
  await context.close();
  assert.deepEqual(documents.map((d) => d.replace(/^\/checkin\/st-a/, '')), ['', '/poster', ''], 'every page answered as HTML and was checked');
  assert.deepEqual(errors, [], 'no script errors');
  assert.deepEqual(problems, []);
});
