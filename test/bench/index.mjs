// `npm run bench`: every figure issue 16 asks for, each with what produced it.
// Figures are printed, never asserted. 1) the script tag's bytes, 2) /collect
// throughput against a bare baseline worker (test/bench/ingest.mjs), 3) the
// consumer's fold: events/s and D1 rows written per SKU page view
// (test/bench/fold.mjs), 4) the report latencies from `npm run bench:reports`
// (test/bench/reports.mjs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { sizes } from '../../rollup.config.mjs';
import { build, ROOT } from '../e2e/wrangler.mjs';
import { benchFold } from './fold.mjs';
import { benchIngest } from './ingest.mjs';

console.log(`# npm run bench, ${new Date().toISOString()}: ${cpus().length} cores, load average ${loadavg().map((x) => x.toFixed(2)).join(' ')} at the start (other work on this machine shares the cores)`);
build();
const s = sizes(`${ROOT}dist/o2o.js`);
console.log('## The script tag: dist/o2o.js');
console.log('command: npm run build, then raw / gzip -9 / brotli -q11 bytes (sizes() in rollup.config.mjs)');
console.log(`${s.raw} B raw, ${s.gzip} B gzip, ${s.brotli} B brotli (budget 2,048 B gzip)`);
const d = sizes(`${ROOT}dist/public/dashboard/app.js`);
console.log(`(the dashboard's bundle, for reference: ${d.raw} B raw, ${d.gzip} B gzip, ${d.brotli} B brotli)`);

await benchIngest();
await benchFold();

console.log('\n## Reports: npm run bench:reports');
if (existsSync(`${ROOT}test/bench/reports.mjs`)) {
  const r = spawnSync('npm', ['run', 'bench:reports', '--silent'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) console.log(`bench:reports exited with ${r.status}`);
} else {
  console.log('missing: test/bench/reports.mjs (npm run bench:reports) is not there yet');
}
