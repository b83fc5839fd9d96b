import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import { minify } from 'terser';
import * as esb from 'esbuild';
import { gzipSync } from 'node:zlib';
const b = await rollup({ input: 'sdk/script.ts', plugins: [resolve({ browser: true }), esbuild({ target: 'es2019', define: { __O2O_SCRIPT__: 'true' } })] });
const { output } = await b.generate({ format: 'iife', strict: false });
const src = output[0].code;
const gz = (c) => gzipSync(c, { level: 9 }).length;
const base = { ecma: 2019, toplevel: true, compress: { passes: 4, keep_fargs: false, pure_getters: true, unsafe: true, unsafe_arrows: true, unsafe_comps: true, unsafe_math: true, unsafe_methods: true }, mangle: { properties: { regex: /_$/ } }, format: { comments: false, wrap_func_args: false } };
const variants = {
  base,
  p3: { ...base, compress: { ...base.compress, passes: 3 } },
  noinline: { ...base, compress: { ...base.compress, inline: 1 } },
  noreduce: { ...base, compress: { ...base.compress, reduce_funcs: false, reduce_vars: true } },
  nocollapse: { ...base, compress: { ...base.compress, collapse_vars: false } },
  hoist: { ...base, compress: { ...base.compress, hoist_funs: true, hoist_vars: true } },
  seqs: { ...base, compress: { ...base.compress, sequences: false } },
  nojoin: { ...base, compress: { ...base.compress, join_vars: false } },
  ecma2020: { ...base, ecma: 2020 },
  nomangleprop: { ...base, mangle: {} },
  nocomp: { ...base, compress: false },
};
for (const [k, v] of Object.entries(variants)) {
  const r = await minify(src, v);
  console.log(k.padEnd(14), r.code.length, gz(r.code));
}
const e = await esb.transform(src, { minify: true, target: 'es2019' });
console.log('esbuild'.padEnd(14), e.code.length, gz(e.code));
const e2 = await minify(e.code, base);
console.log('esb+terser'.padEnd(14), e2.code.length, gz(e2.code));
