// Starts and stops `wrangler dev` for the end-to-end test and the benchmarks:
// a fresh local D1 (--persist-to) with the real migrations, bound to 127.0.0.1,
// in its own process group so the whole tree it spawns (workerd too) is stopped.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
// The cf.json and the quiet environment are shared with `npm run dev` (scripts/local-cf.mjs).
import { wranglerEnv, writeCf } from '../../scripts/local-cf.mjs';

export { writeCf };

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const WRANGLER = `${ROOT}node_modules/.bin/wrangler`;

/** Runs wrangler to completion (migrations, d1 execute); throws with its output on failure. */
export function wranglerSync(args, { config, cfPath } = {}) {
  const full = config ? ['--config', config, ...args] : args;
  const r = spawnSync(WRANGLER, full, { cwd: ROOT, env: wranglerEnv(cfPath), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`wrangler ${full.join(' ')} failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/** Applies the migrations to a fresh persist dir (deleted first). */
export function freshDatabase(persistTo, config) {
  rmSync(persistTo, { recursive: true, force: true });
  mkdirSync(persistTo, { recursive: true });
  wranglerSync(['d1', 'migrations', 'apply', 'DB', '--local', '--persist-to', persistTo], { config });
}

/**
 * Starts `wrangler dev` and resolves when `readyPath` answers. Returns
 * { url, stop, output } where stop() ends the whole process group.
 */
export async function startWrangler({ port, persistTo, config, cfPath, vars = {}, readyPath = '/', log = false }) {
  const args = ['dev', '--ip', '127.0.0.1', '--port', String(port), '--persist-to', persistTo, '--inspector-port', String(port + 1000), '--log-level', 'warn'];
  if (config) args.unshift('--config', config);
  for (const [k, v] of Object.entries(vars)) args.push('--var', `${k}:${v}`);
  // detached: a new process group (setsid), so stop() can kill the tree by -pid.
  const child = spawn(WRANGLER, args, { cwd: ROOT, env: wranglerEnv(cfPath), detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (b) => {
    output += b;
    if (log) process.stderr.write(b);
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  let exited = null;
  child.on('exit', (code) => (exited = code ?? 'signal'));
  const url = `http://127.0.0.1:${port}`;
  const stop = async () => {
    if (exited !== null) return;
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch {
      return;
    }
    for (let i = 0; i < 50 && exited === null; i++) await sleep(100);
    if (exited === null) {
      try {
        process.kill(-child.pid, 'SIGKILL');
      } catch {
        // already gone
      }
    }
  };
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (exited !== null) throw new Error(`wrangler dev exited (${exited}) before it was ready:\n${output}`);
    try {
      const res = await fetch(url + readyPath);
      await res.arrayBuffer();
      if (res.status < 500) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`wrangler dev did not answer on ${url} within 60 s:\n${output}`);
    }
    await sleep(250);
  }
  return { url, stop, output: () => output };
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Runs `npm run build:demo` (the script tag, the demo storefront and the dashboard into dist/). */
export function build() {
  const r = spawnSync('npm', ['run', 'build:demo', '--silent'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`npm run build failed:\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

/**
 * What every end-to-end file starts with: the demo build (skipped with
 * O2O_E2E_NO_BUILD=1), a fresh local D1 in `state` with the migrations, a
 * Shanghai cf.json, and `wrangler dev` on `port` with `admin` as ADMIN_TOKEN.
 */
export async function startStage({ port, state, admin }) {
  if (process.env.O2O_E2E_NO_BUILD !== '1') build();
  freshDatabase(state);
  const cfPath = `${state}/cf.json`;
  writeCf(cfPath);
  return startWrangler({ port, persistTo: state, cfPath, vars: { ADMIN_TOKEN: admin }, readyPath: '/o2o.js' });
}
