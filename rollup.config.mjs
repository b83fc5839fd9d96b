// One source, two builds: the script tag (IIFE, minified) and the npm ESM with
// its .d.ts. Then dist/public is assembled for the worker's static assets, and
// the script tag's size is printed (the budget is checked by test/sdk/size.test.ts).
import { spawnSync } from 'node:child_process';
import { cpSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import resolve from '@rollup/plugin-node-resolve';
import { minify as swcMinify } from '@swc/core';
import { dts } from 'rollup-plugin-dts';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';
import { dashboardBuild, storeBuild } from './worker/dashboard/build.mjs';

const target = 'es2019'; // the in-app browsers (WeChat, old Android WebViews) that storefront visitors use

/**
 * dist/public = the dashboard + the script tag, served as the worker's assets;
 * plus the demo storefront only when O2O_DEMO=1 (npm start, the e2e test), so a
 * deploy never ships a fake shop on the brand's domain. Emptied first: a demo
 * build's pages must not survive into the next build.
 */
const assemblePublic = {
  name: 'assemble-public',
  writeBundle() {
    rmSync('dist/public', { recursive: true, force: true });
    mkdirSync('dist/public', { recursive: true });
    if (process.env.O2O_DEMO === '1') cpSync('examples/storefront', 'dist/public', { recursive: true });
    cpSync('dist/o2o.js', 'dist/public/o2o.js');
  },
};

// The script tag's 2 KB budget (issue 4) needs terser's strongest settings. `unsafe*` are
// safe for sdk/ (no getters with side effects, no reliance on Function.length). Not
// unsafe_comps: it turns `!(a > b)` into `a <= b`, which differs when a is missing.
// Measured by gzip -9 on the result (issue 20, when the chat loader was added): no
// hoist_props (turning KEYS' members into variables cost 5 B), and no mangling here:
// swc's mangler, after, names the variables for a stream that gzips 10 B smaller.
// Measured and left out in issue 19: ecma 2020 and module (no change), more passes (none), and
// booleans_as_integers (4 B, but happy-dom takes addEventListener's third argument `1` as an options
// object, not as capture as browsers do, so the script-tag tests would no longer run what browsers run).
const scriptTerser = {
  ecma: 2019,
  toplevel: true,
  compress: { passes: 4, keep_fargs: false, hoist_props: false, pure_getters: true, unsafe: true, unsafe_arrows: true, unsafe_math: true, unsafe_methods: true },
  mangle: false,
  format: { comments: false, wrap_func_args: false },
};

/**
 * Raw, gzip -9 and brotli bytes. gzip is the larger of zlib's and the gzip
 * command's (`gzip -9 -c file`, which also stores the file name): the budget
 * must hold however a reader measures it.
 */
export function sizes(file) {
  const buf = readFileSync(file);
  const cli = spawnSync('gzip', ['-9', '-c', file]);
  return {
    raw: buf.length,
    gzip: Math.max(gzipSync(buf, { level: 9 }).length, cli.status === 0 ? cli.stdout.length : 0),
    brotli: brotliCompressSync(buf, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

/**
 * A second minifier over terser's output, with swc's defaults. swc turns the
 * single-use helpers that terser leaves as `((a,b)=>{…})(x,y)` into plain
 * statements, and writes `let` for `const`: 70 B gzip off the script tag when it
 * was added (2,108 → 2,038 B by `gzip -9 -c`). Default options, no unsafe
 * transforms; the script-tag tests and the browser journey run the result.
 */
const swcPass = {
  name: 'swc-minify',
  async renderChunk(code) {
    const out = await swcMinify(code, { ecma: 2019, compress: true, mangle: true });
    return { code: out.code, map: null };
  },
  // Rollup ends the file with a newline, which costs the gzip stream 3 B. And the IIFE
  // `(()=>{…})();` becomes a block `{…}`: its top level is only `let` declarations (block-scoped
  // in a classic script, so nothing leaks to window: test/sdk/script-tag.test.ts checks it), 8 B gzip.
  generateBundle(_, bundle) {
    for (const chunk of Object.values(bundle)) {
      if (chunk.type === 'chunk') chunk.code = chunk.code.trimEnd().replace(/^\(\(\)=>\{([^]*)\}\)\(\);$/, '{$1}');
    }
  },
};

/** Prints a built file's raw, gzip and brotli bytes. */
const printSize = (file) => ({
  name: 'print-size',
  writeBundle() {
    const s = sizes(file);
    console.log(`${file}: ${s.raw} B raw, ${s.gzip} B gzip -9, ${s.brotli} B brotli -q11`);
  },
});

export default [
  {
    input: 'sdk/script.ts',
    output: { file: 'dist/o2o.js', format: 'iife', strict: false },
    plugins: [resolve({ browser: true }), esbuild({ target, define: { __O2O_SCRIPT__: 'true' } }), terser(scriptTerser), swcPass, printSize('dist/o2o.js'), assemblePublic],
  },
  {
    // The consult chat (sdk/chat/), loaded by the script tag only when a visitor opens it;
    // after the script tag's build, which empties dist/public.
    input: 'sdk/chat/index.ts',
    output: { file: 'dist/public/chat.js', format: 'iife', strict: false },
    plugins: [resolve({ browser: true }), esbuild({ target, define: { __O2O_SCRIPT__: 'true' } }), terser({ ecma: 2019, toplevel: true, compress: { passes: 2 }, format: { comments: false } }), printSize('dist/public/chat.js')],
  },
  {
    input: 'sdk/index.ts',
    output: { file: 'dist/index.mjs', format: 'es' },
    plugins: [resolve({ browser: true }), esbuild({ target, define: { __O2O_SCRIPT__: 'false' } })],
  },
  {
    input: 'sdk/index.ts',
    output: { file: 'dist/index.d.ts', format: 'es' },
    plugins: [dts()],
  },
  // The WeChat mini program entry (sdk/miniprogram/, `o2o-tracker/miniprogram`): ESM for bundlers
  // (Taro, uni-app, a webpack build), CommonJS for WeChat DevTools' "build npm", which copies the
  // package's `miniprogram` folder (dist/miniprogram/) into miniprogram_npm/, and its types.
  {
    input: 'sdk/miniprogram/index.ts',
    output: [
      { file: 'dist/miniprogram.mjs', format: 'es' },
      { file: 'dist/miniprogram.cjs', format: 'cjs', plugins: [terser({ ecma: 2019, compress: { passes: 2 }, format: { comments: false } })] },
      { file: 'dist/miniprogram/index.js', format: 'cjs', plugins: [terser({ ecma: 2019, compress: { passes: 2 }, format: { comments: false } }), printSize('dist/miniprogram/index.js')] },
    ],
    plugins: [resolve(), esbuild({ target })],
  },
  {
    input: 'sdk/miniprogram/index.ts',
    output: { file: 'dist/miniprogram.d.ts', format: 'es' },
    plugins: [dts()],
  },
  dashboardBuild, // the /dashboard page and its ECharts bundle (worker/dashboard/build.mjs)
  storeBuild, // the /store workspace for store staff (same file)
];
