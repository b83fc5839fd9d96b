#!/usr/bin/env node
// npm run bench:reports — report latency at volume. For each size (1M and 5M
// events by default) it generates synthetic traffic with realistic cardinality
// (20 channels, 300 SKUs, 34 regions, 200k visitors, 90 days), loads it into a
// local D1 (--persist-to a temp dir) through wrangler's getPlatformProxy in
// large JSON-bound INSERTs, builds the rollups with the same from-scratch SQL
// the tests check ingest against (worker/rollups/recompute.ts), then starts the real
// worker with `wrangler dev` on 127.0.0.1:8794 over that dir and times each
// report (median of N runs). It prints both sizes and their ratio. D1 rows
// written per page view are measured on the queue fold instead (npm run bench,
// and test/worker/queue-ingest.test.ts "rows D1 bills").
//
// Both sizes share the same visitors, visit days and SKUs of interest: the 5M
// set has 5× the events per visitor-day. That is the claim under test: report
// time follows visitor-days × dimensions, not events.
//
//   node test/bench/reports.mjs [--sizes=1000000,5000000] [--runs=15] [--port=8794] [--keep] [--data=DIR] [--only=sku,fit]
//
// --keep leaves each size's loaded D1 dir in place and prints it; --data=DIR
// times the worker over such a dir again (one size, no loading: minutes saved
// when iterating on a report); --only=a,b times only the reports whose name
// holds one of the words.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as esbuild from 'esbuild';
import { getPlatformProxy } from 'wrangler';

const root = fileURLToPath(new URL('../..', import.meta.url));
const args = Object.fromEntries(process.argv.slice(2).map((a) => a.replace(/^--/, '').split('=')));
const SIZES = (args.sizes ?? '1000000,5000000').split(',').map(Number);
const RUNS = Number(args.runs ?? 15);
const PORT = Number(args.port ?? 8794);
const DATA = args.data ?? null;
const ONLY = args.only ? args.only.split(',') : null;
if (DATA && SIZES.length !== 1) throw new Error('--data reuses one loaded size: give --sizes=<that size>');
const ADMIN = 'bench-admin-token';
const SITE = 'bench';
const QUIET = { WRANGLER_SEND_METRICS: 'false', CLOUDFLARE_CF_FETCH_ENABLED: 'false', WRANGLER_HIDE_BANNER: 'true', WRANGLER_SEND_ERROR_REPORTS: 'false' };
const CARD = { channels: 20, skus: 300, regions: 34, visitors: 200_000, days: 90 };

// ---- deterministic synthetic traffic -------------------------------------------------
/** mulberry32: a small seeded PRNG, so every run and every size sees the same traffic. */
function rng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const zipf = (r, n) => Math.min(n - 1, Math.floor(n * r() ** 2.2)); // popular items first
const CHANNELS = Array.from({ length: CARD.channels }, (_, i) => ['direct', 'baidu_sem', 'wechat', 'douyin', 'xiaohongshu', 'weibo', 'zhihu', 'baidu', 'bing', 'toutiao'][i] ?? `partner_${i}`);
const REGIONS = Array.from({ length: CARD.regions }, (_, i) => `Region${String(i).padStart(2, '0')}`);
const SKUS = Array.from({ length: CARD.skus }, (_, i) => `SKU${String(i).padStart(3, '0')}`);
const DAY_MS = 86_400_000;
const lastDay = Math.floor((Date.now() + 8 * 3600_000) / DAY_MS) - 1; // yesterday, Shanghai
const dayStr = (d) => new Date(d * DAY_MS).toISOString().slice(0, 10);
const FROM = dayStr(lastDay - CARD.days + 1);
const TO = dayStr(lastDay);

/** The skeleton shared by every size: visitors, their visit days, touches, place and SKUs. */
function skeleton() {
  const r = rng(42);
  const vds = [];
  for (let v = 0; v < CARD.visitors; v++) {
    const first = zipf(r, CARD.channels);
    const region = zipf(r, CARD.regions);
    const nDays = 1 + (r() < 0.35 ? 1 : 0) + (r() < 0.15 ? 1 : 0) + (r() < 0.05 ? 2 : 0);
    const d0 = lastDay - Math.floor(r() * CARD.days);
    for (let k = 0; k < nDays; k++) {
      const day = Math.min(lastDay, d0 + k * (1 + Math.floor(r() * 6)));
      const last = r() < 0.7 ? first : zipf(r, CARD.channels);
      const skus = Array.from({ length: 1 + Math.floor(r() * 2) }, () => zipf(r, CARD.skus));
      vds.push({ v, day, first, last, region, city: region * 2 + (r() < 0.5 ? 1 : 0), skus: [...new Set(skus)],
        consult: r() < 0.06, appointment: r() < 0.015, campaign: r() < 0.3 ? `c${Math.floor(r() * 40)}` : null });
    }
  }
  return vds;
}

/** Events for one visitor-day: its SKU views first, then view/dwell pairs, then consult and appointment. */
function* eventsOf(vd, n, seq) {
  const base = (vd.day * DAY_MS) - 8 * 3600_000 + 9 * 3600_000 + (vd.v % 36_000) * 1000;
  const mk = (i, type, sku, data) => [
    `${vd.v.toString(36)}-${seq}-${i}`, type, `v${vd.v}`, `s${vd.v}-${vd.day}`, `p${i}`, base + i * 1000, dayStr(vd.day),
    sku === null ? '/' : `/p/${SKUS[sku]}`, sku === null ? null : SKUS[sku], CHANNELS[vd.last], data,
    `Region${String(vd.region).padStart(2, '0')}`, `City${vd.city}`, vd.campaign, CHANNELS[vd.first],
  ];
  let i = 0;
  const tail = (vd.consult ? 1 : 0) + (vd.appointment ? 1 : 0);
  const body = Math.max(vd.skus.length, n - tail);
  for (; i < body; i++) {
    const sku = vd.skus[i % vd.skus.length];
    if (i < vd.skus.length || i % 2 === 0) yield mk(i, 'view', sku, null);
    else yield mk(i, 'dwell', sku, JSON.stringify({ d: 2000 + ((vd.v * 7 + i * 13) % 60_000) }));
  }
  if (vd.consult) yield mk(i++, 'consult', vd.skus[0], JSON.stringify({ c: 'chat' }));
  if (vd.appointment) yield mk(i++, 'appointment', vd.skus[0], JSON.stringify({ p: { store: `st${vd.region}` } }));
}

// ---- loading ----------------------------------------------------------------------------
const INSERT_EVENTS = `INSERT INTO events (site_key, id, type, visitor_id, session_id, pageview_id, ts, received_at, day, path, sku,
  channel, data, country, region, city, device, credit_campaign, credit_promoter, first_channel, first_campaign, first_promoter)
  SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 5, j.value ->> 6,
    j.value ->> 7, j.value ->> 8, j.value ->> 9, j.value ->> 10, 'CN', j.value ->> 11, j.value ->> 12, 'mobile', j.value ->> 13, NULL,
    j.value ->> 14, NULL, NULL
  FROM json_each(?2) AS j`;

/**
 * Loads the events; `credit` (rollups/credit-recompute.ts, creditAccumulator) is
 * fed each visitor's events as they are made: the first view of a visitor-day
 * credited to a channel is its touch (the bench's events table has no landings).
 */
async function load(db, size, vds, credit) {
  const per = size / vds.length;
  let visitor = null;
  let mine = [];
  const feed = () => { if (mine.length) credit.add(mine); mine = []; };
  const r = rng(7);
  let rows = [];
  let total = 0;
  const pending = [];
  const flush = async () => {
    if (!rows.length) return;
    pending.push(db.prepare(INSERT_EVENTS).bind(SITE, JSON.stringify(rows)));
    rows = [];
    if (pending.length >= 8) await db.batch(pending.splice(0));
  };
  for (let k = 0; k < vds.length; k++) {
    const n = Math.floor(per) + (r() < per - Math.floor(per) ? 1 : 0);
    if (vds[k].v !== visitor) { feed(); visitor = vds[k].v; }
    let first = true;
    for (const e of eventsOf(vds[k], n, k)) {
      mine.push({ visitor: e[2], ts: e[5], day: e[6], type: e[1], touch: first && e[1] === 'view' && e[9] !== 'direct' ? e[9] : null });
      first = false;
      rows.push(e);
      total++;
      if (rows.length === 4000) await flush();
    }
  }
  feed();
  await flush();
  if (pending.length) await db.batch(pending);
  return total;
}

async function offline(db) {
  const r = rng(99);
  const stmts = [
    db.prepare(`INSERT INTO sites (site_key, name, timezone, created_at) VALUES (?1, 'Bench', 'Asia/Shanghai', 0)`).bind(SITE),
    ...REGIONS.map((reg, i) => db.prepare('INSERT INTO stores (site_key, store_id, name, region, city, created_at) VALUES (?1, ?2, ?2, ?3, ?4, 0)').bind(SITE, `st${i}`, reg, `City${i * 2}`)),
  ];
  const leads = [], arrivals = [], deals = [], items = [];
  for (let i = 0; i < 3000; i++) {
    const ch = CHANNELS[zipf(r, CARD.channels)];
    const day = dayStr(lastDay - Math.floor(r() * CARD.days));
    const st = `st${zipf(r, CARD.regions)}`;
    leads.push([`L${i}`, `v${i * 61}`, st, 1_000_000 + Math.floor(r() * 5_000_000), day, ch]);
    if (r() < 0.4) arrivals.push([`A${i}`, `L${i}`, `v${i * 61}`, st, day, ch]);
    if (r() < 0.15) {
      deals.push([`D${i}`, `L${i}`, `v${i * 61}`, st, 800_000 + Math.floor(r() * 6_000_000), day, ch, r() < 0.05 ? 1 : null]);
      for (let k = 0; k < 1 + Math.floor(r() * 3); k++) items.push([`D${i}`, SKUS[zipf(r, CARD.skus)], 1 + Math.floor(r() * 3), 300_000]);
    }
  }
  const j = (sql, rows) => db.prepare(sql).bind(SITE, JSON.stringify(rows));
  stmts.push(
    j(`INSERT INTO leads (site_key, code, visitor_id, store_id, budget, created_at, updated_at, day, first_channel, last_channel)
       SELECT ?1, value->>0, value->>1, value->>2, value->>3, 0, 0, value->>4, value->>5, value->>5 FROM json_each(?2)`, leads),
    j(`INSERT INTO arrivals (site_key, id, lead_code, visitor_id, store_id, method, at, day, first_channel, last_channel)
       SELECT ?1, value->>0, value->>1, value->>2, value->>3, 'staff', 0, value->>4, value->>5, value->>5 FROM json_each(?2)`, arrivals),
    j(`INSERT INTO deals (site_key, id, idempotency_key, lead_code, visitor_id, store_id, amount, at, day, first_channel, last_channel, voided_at)
       SELECT ?1, value->>0, value->>0, value->>1, value->>2, value->>3, value->>4, 0, value->>5, value->>6, value->>6, value->>7 FROM json_each(?2)`, deals),
    j(`INSERT OR IGNORE INTO deal_items (site_key, deal_id, sku, qty, amount) SELECT ?1, value->>0, value->>1, value->>2, value->>3 FROM json_each(?2)`, items),
    j(`INSERT INTO spend (site_key, channel, day, amount, updated_at) SELECT ?1, value->>0, value->>1, value->>2, 0 FROM json_each(?2)`,
      CHANNELS.flatMap((c, i) => Array.from({ length: CARD.days }, (_, d) => [c, dayStr(lastDay - d), 10_000 * (i + 1)]))),
  );
  await db.batch(stmts);
}

// ---- helpers ----------------------------------------------------------------------------
async function bundle(entry, extra = {}) {
  const out = await esbuild.build({
    entryPoints: [join(root, entry)], bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent',
    plugins: [{ name: 'cf-stub', setup(b) {
      // ingest → leads imports cloudflare:workers for waitUntil; a view never reaches it.
      b.onResolve({ filter: /^cloudflare:workers$/ }, () => ({ path: 'cf', namespace: 'stub' }));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const waitUntil = () => {}; export const env = {};' }));
    } }],
    ...extra,
  });
  return import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
}

const wr = (argv, opts = {}) => execFileSync(join(root, 'node_modules/.bin/wrangler'), argv, { cwd: root, env: { ...process.env, ...QUIET }, stdio: 'pipe', ...opts });
const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2; };
/** The nearest-rank 95th percentile. */
const p95 = (xs) => [...xs].sort((a, b) => a - b)[Math.max(0, Math.ceil(0.95 * xs.length) - 1)];
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/**
 * CPU seconds (user + system, from /proc) of `pid` and its descendants, split
 * into workerd (the worker and its local D1) and the rest (wrangler's Node
 * proxy). Unlike wall time this barely moves when other jobs share the cores,
 * so a change can be compared on a loaded machine. Linux only; null elsewhere.
 */
function cpuOf(pid) {
  let procs;
  try {
    procs = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map((d) => {
      const st = readFileSync(`/proc/${d}/stat`, 'utf8');
      const f = st.slice(st.lastIndexOf(')') + 2).split(' '); // after "pid (comm) "
      return { pid: Number(d), comm: st.slice(st.indexOf('(') + 1, st.lastIndexOf(')')), ppid: Number(f[1]), cpu: (Number(f[11]) + Number(f[12])) / TICKS };
    });
  } catch { return null; }
  const kids = new Map();
  for (const p of procs) kids.set(p.ppid, [...(kids.get(p.ppid) ?? []), p]);
  const out = { workerd: 0, other: 0 };
  const walk = (p) => { out[p.comm.startsWith('workerd') ? 'workerd' : 'other'] += p.cpu; for (const k of kids.get(p.pid) ?? []) walk(k); };
  const root = procs.find((p) => p.pid === pid);
  if (!root) return null;
  walk(root);
  return out;
}
const TICKS = (() => { try { return Number(execFileSync('getconf', ['CLK_TCK']).toString()) || 100; } catch { return 100; } })();

/**
 * The worker as built now (wrangler's own bundle), with a config of its own, so
 * edits in the working tree during a run cannot restart it mid-measurement.
 */
function buildWorker() {
  const dir = mkdtempSync(join(tmpdir(), 'o2o-bench-worker-'));
  wr(['deploy', '--dry-run', '--outdir', join(dir, 'build')]);
  writeFileSync(join(dir, 'wrangler.json'), JSON.stringify({
    name: 'o2o-bench', main: 'build/index.js', compatibility_date: '2026-04-01',
    d1_databases: [{ binding: 'DB', database_name: 'o2o', database_id: '00000000-0000-0000-0000-000000000000' }],
  }));
  return dir;
}

async function startWorker(dir, built) {
  const child = spawn(join(root, 'node_modules/.bin/wrangler'), ['dev', '-c', join(built, 'wrangler.json'), '--no-bundle', '--ip', '127.0.0.1', '--port', String(PORT), '--persist-to', dir, '--var', `ADMIN_TOKEN:${ADMIN}`, '--log-level', 'error'], {
    cwd: root, env: { ...process.env, ...QUIET }, detached: true, stdio: ['ignore', 'ignore', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (d) => (err += d));
  for (let i = 0; i < 120; i++) {
    try {
      if ((await fetch(`http://127.0.0.1:${PORT}/api/v1/reports/channels`)).status === 401) return child;
    } catch { /* not up yet */ }
    await sleep(500);
  }
  try { process.kill(-child.pid); } catch { /* gone */ }
  throw new Error(`wrangler dev did not start: ${err.slice(-2000)}`);
}

const REPORTS = [
  ['channels (last touch)', 'GET', `/api/v1/reports/channels?site=${SITE}&from=${FROM}&to=${TO}`],
  ['channels (first touch)', 'GET', `/api/v1/reports/channels?site=${SITE}&from=${FROM}&to=${TO}&attribution=first`],
  ['channels (linear)', 'GET', `/api/v1/reports/channels?site=${SITE}&from=${FROM}&to=${TO}&attribution=linear`],
  ['channels (position)', 'GET', `/api/v1/reports/channels?site=${SITE}&from=${FROM}&to=${TO}&attribution=position`],
  ['channels (time decay)', 'GET', `/api/v1/reports/channels?site=${SITE}&from=${FROM}&to=${TO}&attribution=time_decay`],
  ['channels (time decay), weekly', 'GET', `/api/v1/reports/channels?site=${SITE}&from=${FROM}&to=${TO}&attribution=time_decay&period=week`],
  ['channels by campaign', 'GET', `/api/v1/reports/channels?site=${SITE}&from=${FROM}&to=${TO}&by=campaign`],
  ['channels by store', 'GET', `/api/v1/reports/channels?site=${SITE}&from=${FROM}&to=${TO}&by=store`],
  ['channels, last 7 days', 'GET', `/api/v1/reports/channels?site=${SITE}&from=${dayStr(lastDay - 6)}&to=${TO}`],
  ['sku-interest (all regions)', 'GET', `/api/v1/reports/sku-interest?site=${SITE}&from=${FROM}&to=${TO}`],
  ['sku-interest (all regions, top 20)', 'GET', `/api/v1/reports/sku-interest?site=${SITE}&from=${FROM}&to=${TO}&top=20`],
  ['sku-interest (one region)', 'GET', `/api/v1/reports/sku-interest?site=${SITE}&from=${FROM}&to=${TO}&region=Region03`],
  ['stocking top 10', 'GET', `/api/v1/reports/stocking?site=${SITE}&from=${FROM}&to=${TO}&top=10`],
  ['sku-interest fit', 'POST', '/api/v1/reports/sku-interest/fit', { site: SITE, from: FROM, to: TO }],
  ['sku-interest, two years', 'GET', `/api/v1/reports/sku-interest?site=${SITE}&from=${dayStr(lastDay - 729)}&to=${TO}`],
];

async function timeReports(worker) {
  const out = {};
  for (const [name, method, path, body] of REPORTS.filter(([n]) => !ONLY || ONLY.some((w) => n.includes(w)))) {
    let bytes = 0;
    const go = async () => {
      const t = performance.now();
      const res = await fetch(`http://127.0.0.1:${PORT}${path}`, {
        method, headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }, body: body ? JSON.stringify(body) : undefined,
      });
      const text = await res.text();
      if (res.status !== 200) throw new Error(`${name}: ${res.status} ${text.slice(0, 300)}`);
      bytes = Buffer.byteLength(text);
      return performance.now() - t;
    };
    await go(); await go(); // warm: compile, page cache
    // RUNS runs, but at least 3 and at most ~10 s per report, so slow reports keep the bench bounded.
    const times = [];
    const t0 = performance.now();
    const c0 = cpuOf(worker.pid);
    while (times.length < RUNS && (times.length < 3 || performance.now() - t0 < 10_000)) times.push(await go());
    const c1 = cpuOf(worker.pid);
    const cpu = c0 && c1 ? { workerd: (c1.workerd - c0.workerd) * 1000 / times.length, other: (c1.other - c0.other) * 1000 / times.length } : null;
    out[name] = { ms: median(times), p95: p95(times), runs: times.length, bytes, cpu };
  }
  return out;
}

/** Migrations, synthetic traffic of `size` events and the rollups from scratch, into the D1 under `dir`. */
async function loadSize(dir, size) {
  const { rebuildStatements } = await bundle('worker/rollups/recompute.ts');
  const { creditAccumulator, replaceCreditStatements } = await bundle('worker/rollups/credit-recompute.ts');
  const credit = creditAccumulator(30, 7); // the bench site's window and half-life (the defaults)
  wr(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', dir]);
  const proxy = await getPlatformProxy({ configPath: join(root, 'wrangler.toml'), persist: { path: join(dir, 'v3') } });
  const db = proxy.env.DB;
  await offline(db);
  let t = performance.now();
  const events = await load(db, size, vds, credit);
  const loadS = (performance.now() - t) / 1000;
  t = performance.now();
  await db.batch(rebuildStatements(db, SITE));
  const creditRows = credit.rows();
  const stmts = replaceCreditStatements(db, SITE, creditRows, true);
  for (let i = 0; i < stmts.length; i += 8) await db.batch(stmts.slice(i, i + 8));
  const rollS = (performance.now() - t) / 1000;
  const counts = await db.batch(['touch_days', 'sku_chains', 'credit_days'].map((tb) => db.prepare(`SELECT COUNT(*) AS n FROM ${tb}`)));
  const [tdRows, skuRows, crRows] = counts.map((c) => c.results[0].n);
  await proxy.dispose();
  console.log(`\n${events.toLocaleString('en')} events: loaded in ${loadS.toFixed(1)} s (${Math.round(events / loadS).toLocaleString('en')}/s), rollups built in ${rollS.toFixed(1)} s; touch_days ${tdRows.toLocaleString('en')} rows, sku_chains ${skuRows.toLocaleString('en')} rows, credit_days ${crRows.toLocaleString('en')} rows`);
}

// ---- main -------------------------------------------------------------------------------
console.log(`bench:reports — ${CARD.channels} channels, ${CARD.skus} SKUs, ${CARD.regions} regions, ${CARD.visitors.toLocaleString('en')} visitors, ${CARD.days} days (${FROM}..${TO}); median of up to ${RUNS} runs (≥ 3, ~10 s cap per report) after 2 warm-ups`);
const built = buildWorker();
const vds = DATA ? [] : skeleton();
if (!DATA) console.log(`skeleton: ${vds.length.toLocaleString('en')} visitor-days, shared by every size`);
const results = [];
for (const size of SIZES) {
  const dir = DATA ?? mkdtempSync(join(tmpdir(), `o2o-bench-${size}-`));
  let worker;
  try {
    if (DATA) console.log(`\n${size.toLocaleString('en')} events: reusing ${DATA}`);
    else await loadSize(dir, size);
    worker = await startWorker(dir, built);
    const times = await timeReports(worker);
    for (const [k, v] of Object.entries(times)) {
      const cpu = v.cpu ? `; CPU a request: workerd ${v.cpu.workerd.toFixed(0)} ms, wrangler ${v.cpu.other.toFixed(0)} ms` : '';
      console.log(`  ${k.padEnd(36)} ${v.ms.toFixed(1).padStart(8)} ms  (median of ${v.runs}, p95 ${v.p95.toFixed(1)} ms; ${(v.bytes / 1024).toFixed(0)} KB answer${cpu})`);
    }
    results.push({ size, times });
  } finally {
    if (worker) { try { process.kill(-worker.pid); } catch { /* gone */ } }
    if (DATA) { /* the caller's */ } else if ('keep' in args) console.log(`  kept: --sizes=${size} --data=${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}
if (results.length >= 2) {
  const [a, b] = [results[0], results[results.length - 1]];
  console.log(`\nmedian latency, ${a.size.toLocaleString('en')} vs ${b.size.toLocaleString('en')} events (ratio = larger / smaller):`);
  for (const k of Object.keys(a.times)) {
    console.log(`  ${k.padEnd(36)} ${a.times[k].ms.toFixed(1).padStart(8)} ms ${b.times[k].ms.toFixed(1).padStart(8)} ms   ×${(b.times[k].ms / a.times[k].ms).toFixed(2)}`);
  }
}
rmSync(built, { recursive: true, force: true });
console.log(`\nreproduce: npm run bench:reports  (node test/bench/reports.mjs --sizes=${SIZES.join(',')} --runs=${RUNS})`);
