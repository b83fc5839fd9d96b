// The published package is the SDK and nothing else: `npm pack` holds its two
// builds and their types (not the dashboard or the demo storefront the worker
// serves), installs with no dependencies into an empty project, imports under
// Node (server-side rendering) and in a DOM, and its types check a consumer.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { events, installNet } from './net';

const ROOT = resolve(__dirname, '../..');
let dir: string;
let project: string;
let tarball: string;

function run(cmd: string, args: string[], cwd: string) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8', env: { ...process.env, npm_config_audit: 'false', npm_config_fund: 'false', npm_config_update_notifier: 'false' } });
  return { code: r.status, out: `${r.stdout}\n${r.stderr}` };
}

beforeAll(() => {
  expect(existsSync(join(ROOT, 'dist/index.mjs')), 'run `npm run build` first').toBe(true);
  dir = mkdtempSync(join(tmpdir(), 'o2o-pack-'));
  const packed = run('npm', ['pack', '--json', '--pack-destination', dir], ROOT);
  expect(packed.code, packed.out).toBe(0);
  tarball = join(dir, readdirSync(dir).find((f) => f.endsWith('.tgz'))!);
  project = join(dir, 'consumer');
  mkdirSync(project);
  writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module' }));
  // --offline: a package with no dependencies needs nothing from a registry.
  const installed = run('npm', ['install', '--offline', '--no-save', tarball], project);
  expect(installed.code, installed.out).toBe(0);
}, 120_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('the npm package', () => {
  it('holds the SDK builds and types, no dependencies, nothing the worker serves', () => {
    const pkg = join(project, 'node_modules/o2o-tracker');
    const files = readdirSync(join(pkg, 'dist')).sort();
    expect(files).toEqual(['index.d.ts', 'index.mjs', 'miniprogram', 'miniprogram.cjs', 'miniprogram.d.ts', 'miniprogram.mjs', 'o2o.js']);
    expect(readdirSync(join(pkg, 'dist/miniprogram'))).toEqual(['index.js']); // what WeChat DevTools' "build npm" copies (package.json `miniprogram`)
    expect(existsSync(join(pkg, 'dist/public'))).toBe(false);
    expect(readdirSync(join(project, 'node_modules')).filter((f) => !f.startsWith('.'))).toEqual(['o2o-tracker']);
  });

  it('serves the mini program entry to import and require (a server making scene codes, a bundler, DevTools)', () => {
    const code = "console.log(m.encodeScene({ ch: 'dy_live', pr: 'p1' })); try { m.createTracker({ site: 's', endpoint: 'https://x.cn' }) } catch (e) { console.log(e.message) }";
    for (const [args, load] of [[['--input-type=module', '-e'], "const m = await import('o2o-tracker/miniprogram');"], [['--input-type=commonjs', '-e'], "const m = require('o2o-tracker/miniprogram');"]] as const) {
      const r = run('node', [...args, load + code], project);
      expect(r.code, r.out).toBe(0);
      expect(r.out.trim().split('\n').slice(0, 2)).toEqual(['dy_live~p1', 'o2o createTracker: no wx.request: this build runs in a WeChat mini program']);
    }
  });

  it('imports under Node without a window (server-side rendering)', () => {
    const ssr = run('node', ['--input-type=module', '-e', "const m = await import('o2o-tracker'); console.log(typeof m.createTracker, typeof window, m.LIMITS.maxEvents)"], project);
    expect(ssr.code, ssr.out).toBe(0);
    expect(ssr.out.trim().split('\n')[0]).toBe('function undefined 50');
  });

  it('tracks a page view in a DOM, from the installed file', async () => {
    installNet();
    const { createTracker } = await import(/* @vite-ignore */ join(project, 'node_modules/o2o-tracker/dist/index.mjs'));
    const t = createTracker({ site: 'pack-test', endpoint: 'https://stats.example.cn' });
    t.view();
    t.flush();
    expect(events('view')).toEqual([expect.objectContaining({ t: 'view', u: location.pathname })]);
    t.stop();
  });

  it('types a consumer: right calls compile, a wrong one does not', () => {
    const tsc = join(ROOT, 'node_modules/typescript/bin/tsc');
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({
      compilerOptions: { strict: true, noEmit: true, module: 'ESNext', moduleResolution: 'Bundler', target: 'ES2022', lib: ['ES2022', 'DOM'], types: [], skipLibCheck: false },
      include: ['app.ts'],
    }));
    writeFileSync(join(project, 'app.ts'), [
      "import { createTracker, LIMITS, type Tracker, type WireEvent } from 'o2o-tracker';",
      "const t: Tracker = createTracker({ site: 'demo', endpoint: 'https://stats.example.cn', respectDnt: true });",
      "t.sku('SOFA-101'); t.track('coupon', { value: 500 });",
      "const code: Promise<string | undefined> = t.appointment({ store: 'sh-xuhui', budget: 12000 });",
      "const n: number = LIMITS.maxEvents; const e: WireEvent['t'] = 'view';",
      'export { code, n, e };',
    ].join('\n'));
    const good = run('node', [tsc, '-p', 'tsconfig.json'], project);
    expect(good.code, good.out).toBe(0);
    writeFileSync(join(project, 'app.ts'), "import { createTracker } from 'o2o-tracker';\ncreateTracker({ site: 'demo' });\n");
    const bad = run('node', [tsc, '-p', 'tsconfig.json'], project);
    expect(bad.code).not.toBe(0);
    expect(bad.out).toMatch(/endpoint/);
  }, 60_000);
});
