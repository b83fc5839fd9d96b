// `npm start` runs this beside `wrangler dev`: it waits for the worker to answer,
// sends the demo week through it (demo-seed.mjs) and prints one line. It never
// fails the start: a problem is one line too. It leaves when `wrangler dev` does.
// PORT is the dev server's, as for `npm run dev` (8787 unless set).
import { DEMO_TOKENS, seedDemoWeek } from './demo-seed.mjs';

const base = `http://127.0.0.1:${process.env.PORT || 8787}`;
const parent = process.ppid;
const wait = (ms) => new Promise((r) => setTimeout(r, ms));

async function up() {
  for (const until = Date.now() + 180_000; Date.now() < until; await wait(500)) {
    // The dev server stopped (or never started): nothing to seed, nothing to say.
    if (process.ppid !== parent) process.exit(0);
    try {
      const res = await fetch(`${base}/o2o.js`);
      await res.arrayBuffer();
      if (res.status < 500) return;
    } catch {
      // not listening yet
    }
  }
  throw new Error(`nothing answered at ${base} within 3 minutes`);
}

try {
  await up();
  const t0 = Date.now();
  const s = await seedDemoWeek({ base });
  const yuan = (s.revenue / 100).toLocaleString('en-US');
  console.log(
    `[demo] ${s.days[0]} … ${s.days[6]} seeded in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${s.visitors} visitors, ${s.consults} consults, ` +
      `${s.appointments} appointments, ${s.arrivals} arrivals, ${s.deals} deals, ¥${yuan}: ${base}/dashboard (token ${DEMO_TOKENS.report})`,
  );
} catch (err) {
  console.error(`[demo] the demo week was not seeded: ${err instanceof Error ? err.message : err}`);
}
