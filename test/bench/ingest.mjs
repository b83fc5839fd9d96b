// /collect throughput for `npm run bench`: autocannon against `wrangler dev` on
// 127.0.0.1 for batches of 1, 10 and 50 events, against a bare baseline worker
// in the same run, both loaded in alternating rounds so a change in the
// machine's background load falls on both sides alike.
//   ours     = worker/index.ts with wrangler.toml: body limit, JSON, site (cached),
//              bot filter, per-event validation and enrichment, the per-client
//              limit (raised here), then one INGEST.send: 202 once the local queue
//              took the message. The producer's delivery_delay is set in the bench
//              copy, so the consumer never folds during the measurement: in
//              production it runs in its own invocations, not on the request path.
//   baseline = test/bench/baseline-worker.ts: parses the JSON and INSERTs the rows
//              into D1 in one batch before its 202 (the shape of the old /collect,
//              with no checks at all).
// Counted: only 202s whose answer says every event was accepted (accepted = n,
// nothing rejected); anything else is printed as "not counted".
// A last row runs ours with the queue's consumer live in the same workerd (as
// `npm start` does), and times how long the fold takes to catch up after it.
import autocannon from 'autocannon';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { freshDatabase, ROOT, sleep, startWrangler } from '../e2e/wrangler.mjs';
import { frozenConfig, STATE } from './frozen.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const ROUNDS = 2; // per side, alternating: ours, baseline, ours, baseline
const WARM_SECONDS = 2;
const BATCHES = [1, 10, 50];
const ADMIN = 'bench-admin-token';
const UA = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36';

/**
 * wrangler.toml for the bench, frozen (test/bench/frozen.mjs). wrangler dev sets
 * CF-Connecting-IP 127.0.0.1, so one load generator is one client: RL_CLIENT's
 * limit is raised (the limiter is still called on every request). Relative
 * paths are rewritten for the copy; the queues and R2 sections have none.
 * `deferFold`: the producer's delivery_delay holds every message an hour, so
 * the consumer stays idle while /collect is measured.
 */
function benchConfig(name, { deferFold }) {
  const up = '../../../';
  let toml = readFileSync(`${ROOT}wrangler.toml`, 'utf8')
    .replace(/^main = "(.*)"/m, `main = "${up}$1"`)
    .replace(/^migrations_dir = "(.*)"/m, `migrations_dir = "${up}$1"`)
    .replace(/^directory = "(.*)"/m, `directory = "${up}$1"`);
  const limit = /(name = "RL_CLIENT"\s*\nnamespace_id = "\d+"\s*\nsimple = \{ limit = )\d+(, period = \d+ \})/;
  if (!limit.test(toml)) throw new Error('wrangler.toml: the RL_CLIENT [[ratelimits]] section changed shape; update benchConfig() in test/bench/ingest.mjs');
  toml = toml.replace(limit, '$1100000000$2');
  if (/simple = \{ limit = (?!100000000\b)\d+/.test(toml)) throw new Error('wrangler.toml has a rate limit besides RL_CLIENT; raise it in benchConfig() too');
  if (deferFold) {
    const producer = /(\[\[queues\.producers\]\]\s*\nbinding = "INGEST"\s*\nqueue = "o2o-ingest"\s*\n)/;
    if (!producer.test(toml)) throw new Error('wrangler.toml: the INGEST [[queues.producers]] section changed shape; update benchConfig()');
    toml = toml.replace(producer, '$1delivery_delay = 3600 # bench: the fold stays idle during the measurement\n');
  }
  const path = `${STATE}/wrangler.${name}.toml`;
  writeFileSync(path, toml);
  return frozenConfig(name, path);
}

const CHANNELS = ['baidu_sem', 'douyin', 'xiaohongshu', 'wechat_moments', 'direct'];
const SKUS = Array.from({ length: 300 }, (_, i) => `SKU-${String(i).padStart(3, '0')}`);
let seq = 0;

/** A batch of n realistic events (views, dwell, consults) over a pool of 2,000 visitors; ids never repeat. */
function batchBody(n) {
  const e = [];
  const now = Date.now();
  for (let i = 0; i < n; i++) {
    const k = seq++;
    const v = `bench-v-${k % 2000}`;
    const sku = SKUS[k % SKUS.length];
    const kind = k % 10;
    const base = { i: `b${process.pid}-${k}`, ts: now - 1000, v, ss: `${v}-s`, pv: `${v}-pv-${Math.floor(k / 3)}`, u: `/sku/${sku}`, k: sku };
    if (kind < 6) e.push({ ...base, t: 'view', r: '', q: { ch: CHANNELS[k % CHANNELS.length] } });
    else if (kind < 9) e.push({ ...base, t: 'dwell', d: 1000 + (k % 20_000) });
    else e.push({ ...base, t: 'consult', c: 'chat', l: '在线咨询' });
  }
  return JSON.stringify({ s: 'bench', e });
}

/** One autocannon run; counts the answers that accepted the whole batch. */
function load(url, n, seconds) {
  let good = 0;
  let bad = 0;
  let sample = '';
  const onResponse = (status, body) => {
    let ok = false;
    if (status === 202) {
      try {
        const b = JSON.parse(body);
        ok = b.accepted === n && !(b.rejected?.length > 0);
      } catch {
        ok = false;
      }
    }
    if (ok) good++;
    else {
      bad++;
      if (!sample) sample = `${status} ${String(body).slice(0, 200)}`;
    }
  };
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/collect`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: seconds,
        headers: { 'content-type': 'text/plain', 'user-agent': UA },
        requests: [{ setupRequest: (req) => ({ ...req, body: batchBody(n) }), onResponse }],
      },
      (err, r) => (err ? reject(err) : resolve({ good, bad, sample, errors: r.errors + r.timeouts, duration: r.duration || seconds, p50: r.latency.p50, p99: r.latency.p99 })),
    );
  });
}

/** Alternating rounds; events/s over the summed time; p50 = median of the rounds', p99 = the worst round's. */
function combine(runs, n) {
  const good = runs.reduce((s, r) => s + r.good, 0);
  const time = runs.reduce((s, r) => s + r.duration, 0);
  const p50s = runs.map((r) => r.p50).sort((a, b) => a - b);
  return {
    eventsPerSec: (good * n) / time, good, notCounted: runs.reduce((s, r) => s + r.bad + r.errors, 0),
    sample: runs.find((r) => r.sample)?.sample ?? '', p50: p50s[Math.floor(p50s.length / 2)], p99: Math.max(...runs.map((r) => r.p99)),
  };
}

async function createBenchSite(url) {
  const res = await fetch(`${url}/api/v1/admin/sites`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
    body: JSON.stringify({ siteKey: 'bench', name: 'bench' }),
  });
  if (res.status !== 201) throw new Error(`creating the bench site: ${res.status} ${await res.text()}`);
}

/** Events the fold has written for the bench site (ingest_days, through the admin API). */
async function foldedEvents(url) {
  const day = (d) => new Date(Date.now() + 8 * 3600_000 + d * 86_400_000).toISOString().slice(0, 10);
  const res = await fetch(`${url}/api/v1/admin/sites/bench/ingest?from=${day(-1)}&to=${day(1)}`, { headers: { authorization: `Bearer ${ADMIN}` } });
  if (res.status !== 200) throw new Error(`ingest stats: ${res.status} ${await res.text()}`);
  return (await res.json()).days.reduce((s, d) => s + d.events, 0);
}

const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });
const pad = (x, w) => String(x).padStart(w);

export async function benchIngest() {
  mkdirSync(STATE, { recursive: true });
  const edgeConfig = benchConfig('edge', { deferFold: true });
  const liveConfig = benchConfig('live', { deferFold: false });
  const baselineConfig = frozenConfig('baseline', `${ROOT}test/bench/wrangler.baseline.toml`);
  freshDatabase(`${STATE}/main`, edgeConfig);
  freshDatabase(`${STATE}/baseline`, baselineConfig);
  const servers = [];
  const stopAll = async () => {
    for (const s of servers.splice(0)) await s.stop();
  };
  try {
    const ours = await startWrangler({ port: 8796, persistTo: `${STATE}/main`, config: edgeConfig, vars: { ADMIN_TOKEN: ADMIN }, readyPath: '/o2o.js' });
    servers.push(ours);
    const base = await startWrangler({ port: 8797, persistTo: `${STATE}/baseline`, config: baselineConfig });
    servers.push(base);
    await createBenchSite(ours.url);

    const per = SECONDS / ROUNDS;
    const baseline = new Map();
    console.log(`\n## Ingestion: POST /collect, ${CONNECTIONS} connections (autocannon, on the same machine), wrangler dev on 127.0.0.1 (load average ${loadavg()[0].toFixed(2)})`);
    console.log(`command: npm run bench   (BENCH_SECONDS=${SECONDS} per side per batch size, in ${ROUNDS} alternating rounds of ${per} s after a ${WARM_SECONDS} s warm-up each; BENCH_CONNECTIONS=${CONNECTIONS}; code: test/bench/ingest.mjs)`);
    console.log('ours     = worker/index.ts, wrangler.toml: body limit, JSON, site, bot filter, per-event validation + enrichment, per-client limit (raised), then INGEST.send → 202 (fold deferred: delivery_delay in the bench copy)');
    console.log('baseline = test/bench/baseline-worker.ts: JSON.parse, then INSERT every event into D1 (one batch, the legacy events table and its indexes) → 202; no checks');
    console.log('counted: 202 answers with accepted = batch size and nothing rejected; "not counted" = any other answer, errors and timeouts');
    console.log('batch | ours events/s | p50 ms | p99 ms | baseline events/s | p50 ms | p99 ms | ratio (goal ≥ 0.8) | not counted ours/baseline');
    for (const n of BATCHES) {
      // Warm both up (the first requests compile the worker and open the database).
      await load(ours.url, n, WARM_SECONDS);
      await load(base.url, n, WARM_SECONDS);
      const a = [];
      const b = [];
      for (let r = 0; r < ROUNDS; r++) {
        a.push(await load(ours.url, n, per));
        b.push(await load(base.url, n, per));
      }
      const x = combine(a, n);
      const y = combine(b, n);
      const ratio = x.eventsPerSec / y.eventsPerSec;
      baseline.set(n, y.eventsPerSec);
      console.log(
        `${pad(n, 5)} | ${pad(fmt(x.eventsPerSec), 13)} | ${pad(x.p50, 6)} | ${pad(x.p99, 6)} | ${pad(fmt(y.eventsPerSec), 17)} | ${pad(y.p50, 6)} | ${pad(y.p99, 6)} | ` +
          `${pad(`${fmt(ratio, 2)} ${ratio >= 0.8 ? 'meets' : 'MISSES'}`, 18)} | ${x.notCounted}/${y.notCounted}`,
      );
      for (const [side, c] of [['ours', x], ['baseline', y]]) if (c.sample) console.log(`      ${side}: e.g. ${c.sample}`);
    }
    await stopAll();

    // The same /collect with the consumer folding in the same workerd, on 2 cores.
    freshDatabase(`${STATE}/live`, liveConfig);
    const live = await startWrangler({ port: 8796, persistTo: `${STATE}/live`, config: liveConfig, vars: { ADMIN_TOKEN: ADMIN }, readyPath: '/o2o.js' });
    servers.push(live);
    await createBenchSite(live.url);
    console.log(`\nours with the consumer live in the same workerd (wrangler.toml as is, rate limit raised), ${SECONDS} s per batch size; then the time until the fold has every accepted event (ingest_days):`);
    console.log('batch | events/s accepted | p50 ms | p99 ms | not counted | vs the baseline above (not alternated) | fold caught up after');
    let accepted = 0;
    for (const n of BATCHES) {
      const c = combine([await load(live.url, n, SECONDS)], n);
      accepted += c.good * n;
      const t0 = performance.now();
      let folded = 0;
      while ((folded = await foldedEvents(live.url)) < accepted && performance.now() - t0 < 120_000) await sleep(250);
      const lag = folded >= accepted ? `${fmt((performance.now() - t0) / 1000, 1)} s` : `not within 120 s (${fmt(folded)} of ${fmt(accepted)} events)`;
      console.log(`${pad(n, 5)} | ${pad(fmt(c.eventsPerSec), 17)} | ${pad(c.p50, 6)} | ${pad(c.p99, 6)} | ${pad(c.notCounted, 11)} | ${pad(`${fmt(c.eventsPerSec / baseline.get(n), 2)}×`, 38)} | ${lag}`);
      if (c.sample) console.log(`      e.g. ${c.sample}`);
    }
  } finally {
    await stopAll();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIngest();
