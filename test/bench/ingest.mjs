// Ingestion throughput for `npm run bench`: autocannon against `wrangler dev`
// on 127.0.0.1 for batches of 1, 10 and 50 events, bounded in time, and the
// same load against a bare baseline worker that only inserts the rows.
// Prints events/s, p50/p99 request latency and our ratio to the baseline.
import autocannon from 'autocannon';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { freshDatabase, ROOT, startWrangler } from '../e2e/wrangler.mjs';

const STATE = `${ROOT}test/bench/.state`;
const SECONDS = Number(process.env.BENCH_SECONDS || 10);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS || 10);
const BATCHES = [1, 10, 50];
const ADMIN = 'bench-admin-token';

/**
 * wrangler.toml with the /collect rate limits raised: the bench measures the
 * ingest path (the limiter is still called on every request), not the 429s a
 * single load generator earns. Paths are rewritten relative to the copy.
 */
function benchConfig() {
  const up = '../../../';
  const toml = readFileSync(`${ROOT}wrangler.toml`, 'utf8')
    .replace(/^main = "(.*)"/m, `main = "${up}$1"`)
    .replace(/^migrations_dir = "(.*)"/m, `migrations_dir = "${up}$1"`)
    .replace(/^directory = "(.*)"/m, `directory = "${up}$1"`)
    .replace(/simple = \{ limit = \d+, period = (\d+) \}/g, 'simple = { limit = 100000000, period = $1 }');
  const path = `${STATE}/wrangler.bench.toml`;
  writeFileSync(path, toml);
  return path;
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

function load(url, n) {
  return new Promise((resolve, reject) => {
    autocannon(
      {
        url: `${url}/collect`,
        method: 'POST',
        connections: CONNECTIONS,
        duration: SECONDS,
        headers: { 'content-type': 'text/plain', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36' },
        requests: [{ setupRequest: (req) => ({ ...req, body: batchBody(n) }) }],
      },
      (err, r) => (err ? reject(err) : resolve(r)),
    );
  });
}

function summarise(r, n) {
  const ok = r['2xx'];
  const perSec = ok / (r.duration || SECONDS);
  return { reqPerSec: perSec, eventsPerSec: perSec * n, p50: r.latency.p50, p99: r.latency.p99, ok, other: r.non2xx + r.errors + r.timeouts };
}

const fmt = (x, d = 0) => x.toLocaleString('en-US', { maximumFractionDigits: d, minimumFractionDigits: d });

export async function benchIngest() {
  mkdirSync(STATE, { recursive: true });
  const config = benchConfig();
  const baselineConfig = `${ROOT}test/bench/wrangler.baseline.toml`;
  freshDatabase(`${STATE}/main`, config);
  freshDatabase(`${STATE}/baseline`, baselineConfig);
  const servers = [];
  try {
    const ours = await startWrangler({ port: 8796, persistTo: `${STATE}/main`, config, vars: { ADMIN_TOKEN: ADMIN }, readyPath: '/o2o.js' });
    servers.push(ours);
    const base = await startWrangler({ port: 8797, persistTo: `${STATE}/baseline`, config: baselineConfig });
    servers.push(base);
    const res = await fetch(`${ours.url}/api/v1/admin/sites`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ siteKey: 'bench', name: 'bench' }),
    });
    if (res.status !== 201) throw new Error(`creating the bench site: ${res.status} ${await res.text()}`);

    console.log(`\n## Ingestion: POST /collect, ${SECONDS} s per run, ${CONNECTIONS} connections (autocannon), wrangler dev on 127.0.0.1`);
    console.log(`command: npm run bench   (BENCH_SECONDS=${SECONDS} BENCH_CONNECTIONS=${CONNECTIONS}; code: test/bench/ingest.mjs)`);
    console.log('ours = worker/index.ts with wrangler.toml (rate limits raised); baseline = test/bench/baseline-worker.ts (parse + INSERT only)');
    console.log('batch | ours events/s | p50 ms | p99 ms | baseline events/s | p50 ms | p99 ms | ratio | non-2xx ours/baseline');
    for (const n of BATCHES) {
      // Warm both up (first requests compile and open the database).
      await load(ours.url, n).then(() => {}, () => {});
      const a = summarise(await load(ours.url, n), n);
      const b = summarise(await load(base.url, n), n);
      console.log(
        `${String(n).padStart(5)} | ${fmt(a.eventsPerSec).padStart(13)} | ${String(a.p50).padStart(6)} | ${String(a.p99).padStart(6)} | ` +
          `${fmt(b.eventsPerSec).padStart(17)} | ${String(b.p50).padStart(6)} | ${String(b.p99).padStart(6)} | ${fmt(a.eventsPerSec / b.eventsPerSec, 2).padStart(5)} | ${a.other}/${b.other}`,
      );
    }
  } finally {
    for (const s of servers) await s.stop();
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await benchIngest();
