// The consumer's fold for `npm run bench`: the real commitFold (worker/ingest/commit.ts)
// inside workerd, against a local D1 and R2 (`wrangler dev` of test/bench/fold-worker.ts
// on 127.0.0.1:8796), fed with messages the real edge checks made. Two figures:
//  1. throughput: folds of 100 messages over 1,000 visitors, each message one
//     visitor's SDK batch (up to 10 events, sent within 2 s: sdk/tracker.ts) of
//     landing views with channel params, SKU page views, dwell and consults;
//     events/s and folds/s, with where a fold's time goes (the D1 batch, the R2
//     puts, and the pure fold timed in Node on the same messages);
//  2. D1 rows written per SKU page view of a returning visitor (a view, a consult
//     20 s later, a dwell at 60 s: three requests), summed from commitFold's
//     rowsWritten (D1's meta.rows_written): the scenario of test/worker/queue-ingest.test.ts
//     "rows D1 bills", folded together (quiet traffic) and apart (busy traffic).
// Appointments are left out: their lead is made at the edge (/collect), not by the fold.
import { loadavg } from 'node:os';
import { join } from 'node:path';
import * as esbuild from 'esbuild';
import { freshDatabase, ROOT, startWrangler } from '../e2e/wrangler.mjs';
import { frozenConfig, STATE } from './frozen.mjs';

const PORT = 8796;
const FOLDS = Number(process.env.BENCH_FOLDS || 30);
const PER_FOLD = 100; // messages: wrangler.toml max_batch_size
const VISITORS = 1000;
const UA = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CHANNELS = ['baidu_sem', 'douyin', 'xiaohongshu', 'wechat_moments', 'weibo', 'zhihu'];
const REFERRERS = ['https://www.baidu.com/', 'https://www.douyin.com/', 'https://www.xiaohongshu.com/', 'https://weixin.qq.com/', ''];
const REGIONS = ['Shanghai', 'Beijing', 'Guangdong', 'Zhejiang', 'Jiangsu', 'Sichuan', 'Hubei', 'Fujian', 'Shandong', 'Henan'];
const SKUS = Array.from({ length: 300 }, (_, i) => `SKU${String(i).padStart(3, '0')}`);
const MINUTE = 60_000;

/** mulberry32: every run folds the same traffic. */
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

/**
 * Folds of realistic traffic: fold f holds 100 requests sent within 2 s
 * (max_batch_timeout), each one visitor's SDK batch, visitors drawn from 1,000.
 * A new visitor lands with channel params and a referrer; a returning one
 * browses SKU pages (view, dwell), sometimes consults, sometimes lands again
 * through another channel. Times end a minute before now, on the site's clock.
 */
function throughputTraffic(folds) {
  const r = rng(16);
  const pick = (xs) => xs[Math.floor(r() * xs.length)];
  const state = new Map();
  const start = Date.now() - folds * 2000 - MINUTE;
  const out = [];
  let n = 0;
  for (let f = 0; f < folds; f++) {
    const requests = [];
    for (let j = 0; j < PER_FOLD; j++) {
      const at = start + f * 2000 + j * 20;
      const vi = Math.floor(r() * VISITORS);
      const v = `fv${vi}`;
      const s = state.get(v) ?? { pages: 0, sku: pick(SKUS), region: REGIONS[vi % REGIONS.length] };
      const landing = s.pages === 0 || r() < 0.15;
      state.set(v, s);
      const events = [];
      let ts = at - 1800;
      const ev = (e) => events.length < 10 && events.push({ i: `e${n++}`, ts: (ts += 50), v, ss: `${v}-s${Math.floor(s.pages / 12)}`, ...e });
      const pages = landing ? 1 : 1 + Math.floor(r() * 3);
      for (let p = 0; p < pages; p++) {
        s.pages++;
        if (p > 0 || !landing) s.sku = r() < 0.7 ? pick(SKUS.slice(0, 60)) : pick(SKUS);
        const pv = `${v}-p${s.pages}`;
        const page = { pv, u: `/sku/${s.sku}`, k: s.sku };
        if (landing && p === 0) {
          const ch = pick(CHANNELS);
          ev({ t: 'view', ...page, r: pick(REFERRERS), q: { ch, utm_source: ch, utm_campaign: `spring-${Math.floor(r() * 8)}` } });
        } else ev({ t: 'view', ...page, r: '' });
        for (let d = Math.floor(r() * 3); d > 0; d--) ev({ t: 'dwell', ...page, d: 1000 + Math.floor(r() * 59_000) });
        if (r() < 0.1) ev({ t: 'consult', ...page, c: pick(['chat', 'phone', 'wechat']), l: '在线咨询' });
      }
      requests.push({ at, geo: { country: 'CN', region: s.region, city: s.region }, ua: UA, events });
    }
    out.push(requests);
  }
  return out;
}

/**
 * The scenario of test/worker/queue-ingest.test.ts "rows D1 bills": 200 returning
 * visitors (a landing view the day before), each then a SKU page view (a view, a
 * consult 20 s later, a dwell at 60 s: three requests) in arrival order, folded
 * 100 messages at a time; `spreadMs` is the gap between one visitor's page view
 * and the next's. As there, the stream starts at 09:00 yesterday, Shanghai (the
 * site's clock), so the quiet case's 10 hours stay in one local day; here each
 * request is received 50 ms after its event (the test receives all of them now:
 * the same rows, as no time is clamped).
 */
function rowsTraffic(spreadMs) {
  const N = 200;
  const day = 86_400_000;
  const shanghaiMidnight = Math.floor((Date.now() + 8 * 3600_000) / day) * day - 8 * 3600_000; // today 00:00 Asia/Shanghai
  const now = shanghaiMidnight - day + 9 * 3600_000; // 09:00 yesterday
  const geo = { country: 'CN', region: 'Shanghai', city: 'Shanghai' };
  const one = (at, e) => ({ at: at + 50, geo, ua: UA, events: [{ ts: at, u: '/', ...e }] });
  const seed = [];
  for (let i = 0; i < N; i++) seed.push(one(now - day, { i: `seed${i}`, t: 'view', v: `rv${i}`, ss: `a${i}`, q: { ch: i % 3 ? 'baidu_sem' : 'wechat' }, k: `SKU${i % 7}` }));
  const stream = [];
  for (let i = 0; i < N; i++) {
    const v = `rv${i}`;
    const k = `SKU${i % 7}`;
    const t0 = now + i * spreadMs;
    stream.push(one(t0, { i: `pv${i}`, t: 'view', v, ss: `b${i}`, u: `/sku/${k}`, k }));
    stream.push(one(t0 + 20_000, { i: `co${i}`, t: 'consult', v, ss: `b${i}`, c: 'chat', k }));
    stream.push(one(t0 + 60_000, { i: `dw${i}`, t: 'dwell', v, ss: `b${i}`, d: 45_000, k }));
  }
  stream.sort((a, b) => a.at - b.at);
  const folds = [];
  for (let i = 0; i < stream.length; i += PER_FOLD) folds.push(stream.slice(i, i + PER_FOLD));
  return { N, seed, folds };
}

async function post(url, path, body) {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Stages a fold's requests (checked by the edge's code, untimed), then folds them; `wall` is timed from here. */
async function foldOnce(url, site, requests) {
  const staged = await post(url, '/stage', { site, requests });
  if (staged.rejected) throw new Error(`the edge rejected ${staged.rejected} generated events: fix the generator`);
  const t0 = performance.now();
  const done = await post(url, '/fold', { id: staged.id });
  return { ...done, wall: performance.now() - t0, messages: staged.messages };
}

/**
 * The fold's CPU alone, in Node (V8, as workerd): the same requests through the
 * edge's checks, then fold() (ledger parse, attribution, diff), the chunks'
 * JSON and gzip and the statements' JSON parameters, with the visitors' rows kept
 * in memory as D1 would return them.
 */
async function pureFold(folds) {
  const out = await esbuild.build({
    stdin: {
      contents: `export { checkBatch, messageOf } from './worker/ingest/edge';
        export { requestFacts } from './worker/enrich';
        export { fold } from './worker/ingest/fold';
        export { byDay, gzipLines } from './worker/archive/chunks';`,
      resolveDir: ROOT, loader: 'ts',
    },
    bundle: true, format: 'esm', platform: 'node', write: false, logLevel: 'silent',
    plugins: [{ name: 'cf-stub', setup(b) {
      // edge → flows/leads imports cloudflare:workers for waitUntil; the fold never reaches it.
      b.onResolve({ filter: /^cloudflare:workers$/ }, () => ({ path: 'cf', namespace: 'stub' }));
      b.onLoad({ filter: /.*/, namespace: 'stub' }, () => ({ contents: 'export const waitUntil = () => {}; export const env = {};' }));
    } }],
  });
  const m = await import(`data:text/javascript;base64,${Buffer.from(out.outputFiles[0].text).toString('base64')}`);
  const site = { siteKey: 'bench', name: 'bench', origins: [], timezone: 'Asia/Shanghai', currency: 'CNY', attributionDays: 30, retentionDays: 90, channelRules: [] };
  const known = new Map();
  const t = { fold: 0, chunks: 0, params: 0 };
  for (const [f, requests] of folds.entries()) {
    const messages = requests.map((r) => {
      const req = new Request('http://o2o.bench/collect', { method: 'POST', headers: { 'user-agent': r.ua } });
      Object.defineProperty(req, 'cf', { value: r.geo });
      const facts = m.requestFacts(req, r.at);
      return m.messageOf(site, m.checkBatch(site, r.events, facts).events, facts);
    });
    const t0 = performance.now();
    const o = m.fold(site, known, messages);
    const t1 = performance.now();
    await Promise.all([...m.byDay(o.stored)].map(([, lines]) => m.gzipLines(lines)));
    const t2 = performance.now();
    // About the JSON the statements bind (worker/ingest/fold-sql.ts, worker/rollups/statements.ts): the deltas and the visitors' rows.
    for (const x of [o.touchSt, o.skuSt, o.visitors.map((w) => [w.row, JSON.stringify(w.ledger)])]) JSON.stringify(x);
    const t3 = performance.now();
    for (const w of o.visitors) known.set(w.row.visitor_id, { ...w.row, ledger: JSON.stringify(w.ledger), version: (w.expected ?? 0) + 1 });
    if (f === 0) continue; // warm-up, as in workerd
    t.fold += t1 - t0;
    t.chunks += t2 - t1;
    t.params += t3 - t2;
  }
  const n = folds.length - 1;
  return { fold: t.fold / n, chunks: t.chunks / n, params: t.params / n };
}

const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

export async function benchFold() {
  const persist = join(STATE, 'fold');
  const config = frozenConfig('fold', `${ROOT}test/bench/wrangler.fold.toml`);
  freshDatabase(persist, config);
  const server = await startWrangler({ port: PORT, persistTo: persist, config });
  try {
    const url = server.url;
    console.log(`\n## The consumer's fold: commitFold (worker/ingest/commit.ts) inside workerd, local D1 + R2 (load average ${loadavg()[0].toFixed(2)})`);
    console.log(`command: npm run bench   (BENCH_FOLDS=${FOLDS}; code: test/bench/fold.mjs, test/bench/fold-worker.ts under wrangler dev on 127.0.0.1:${PORT})`);

    // 1. Throughput: one warm-up fold (compiles, opens the database), then FOLDS timed ones.
    await post(url, '/site', { siteKey: 'bench' });
    const traffic = throughputTraffic(FOLDS + 1);
    const runs = [];
    for (const [f, requests] of traffic.entries()) {
      const r = await foldOnce(url, 'bench', requests);
      if (f > 0) runs.push(r);
    }
    const events = runs.reduce((s, r) => s + r.events, 0);
    const wall = runs.reduce((s, r) => s + r.wall, 0) / 1000;
    const per = (k) => runs.reduce((s, r) => s + r[k], 0) / runs.length;
    const rows = runs.reduce((s, r) => s + r.rowsWritten, 0);
    const visitorsSeen = new Set(traffic.flat().map((q) => q.events[0].v)).size;
    console.log(`traffic: ${FOLDS} folds × ${PER_FOLD} messages (one SDK batch each: landing views with channel params, SKU views, dwell, consults; no appointments: the edge makes their leads) over ${fmt(visitorsSeen)} of ${fmt(VISITORS)} visitors; ${fmt(events)} events, ${fmt(events / runs.length, 1)} per fold; after 1 warm-up fold`);
    console.log(`fold throughput: ${fmt(events / wall)} events/s, ${fmt(runs.length / wall, 2)} folds/s (aim ≥ 5,000 events/s); fold wall median ${fmt(median(runs.map((r) => r.wall)), 1)} ms, max ${fmt(Math.max(...runs.map((r) => r.wall)), 1)} ms`);
    const stmtMs = runs.reduce((s, r) => s + r.statements.reduce((a, x) => a + x.ms, 0), 0) / runs.length;
    const cpu = await pureFold(traffic);
    console.log(
      `where a fold's ${fmt(per('wall'), 1)} ms go (means per fold): D1 read of its visitors ${fmt(per('readMs'), 1)} ms; R2 puts ${fmt(per('r2Ms'), 1)} ms; ` +
        `D1 batch ${fmt(per('batchMs'), 1)} ms, of which SQL ${fmt(stmtMs, 1)} ms by D1's meta.duration; the rest is CPU in workerd and the HTTP hop. ` +
        `The pure CPU, timed in Node on the same messages: fold() ${fmt(cpu.fold, 1)} ms, chunk JSON + gzip ${fmt(cpu.chunks, 1)} ms (Node's CompressionStream), statement JSON ${fmt(cpu.params, 1)} ms`,
    );
    const byStmt = new Map();
    for (const r of runs) {
      for (const x of r.statements) {
        const a = byStmt.get(x.name) ?? byStmt.set(x.name, { ms: 0, rows: 0 }).get(x.name);
        a.ms += x.ms / runs.length;
        a.rows += x.rowsWritten / runs.length;
      }
    }
    console.log(`  the batch by statement (mean per fold: SQL ms, rows written): ${[...byStmt].map(([k, v]) => `${k} ${fmt(v.ms, 1)} ms ${fmt(v.rows, 1)} rows`).join('; ')}`);
    console.log(`  rows written: ${fmt(rows / runs.length, 1)} per fold, ${fmt(rows / events, 2)} per event, ${fmt(rows / (runs.length * PER_FOLD), 2)} per message`);

    // 2. Rows per SKU page view: the test's scenario, each spread on a fresh site.
    console.log('D1 rows written per SKU page view of a returning visitor (a view, a consult at +20 s, a dwell at +60 s: three requests; 200 visitors; folds of 100 messages; rowsWritten = D1 meta.rows_written summed over the folds; goal ≤ 3):');
    for (const [label, spread] of [['(a) folded together: quiet traffic, a visitor every 3 min', 180_000], ['(b) folded apart: busy traffic, a visitor every 300 ms (100 messages span ~10 s)', 300]]) {
      const site = `rows${spread}`;
      await post(url, '/site', { siteKey: site });
      const { N, seed, folds } = rowsTraffic(spread);
      for (let i = 0; i < seed.length; i += PER_FOLD) await foldOnce(url, site, seed.slice(i, i + PER_FOLD));
      let written = 0;
      const by = new Map();
      for (const requests of folds) {
        const r = await foldOnce(url, site, requests);
        written += r.rowsWritten;
        for (const x of r.statements) by.set(x.name, (by.get(x.name) ?? 0) + x.rowsWritten);
      }
      const perView = written / N;
      console.log(`  ${label}: ${fmt(perView, 2)} rows per page view (${written} rows over ${folds.length} folds) — ${perView <= 3 ? 'meets' : 'MISSES'} the goal of ≤ 3${perView > 3 ? ` by ${fmt(perView - 3, 2)}` : ''}`);
      console.log(`      per page view by table: ${[...by].filter(([, v]) => v).map(([k, v]) => `${k} ${fmt(v / N, 2)}`).join(', ')}`);
    }
  } finally {
    await server.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchFold();
