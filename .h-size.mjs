// Builds sdk/script.ts with the script tag's terser options; SCRIPT=false|true; prints raw/gzip/brotli.
import { rollup } from 'rollup';
import resolve from '@rollup/plugin-node-resolve';
import esbuild from 'rollup-plugin-esbuild';
import terser from '@rollup/plugin-terser';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
import { writeFileSync } from 'node:fs';
const cfg = (await import('/work/main/rollup.config.mjs')).default[0];
const define = process.env.SCRIPT ?? 'true';
const plugins = cfg.plugins.map((p) => p.name);
const b = await rollup({ input: 'sdk/script.ts', plugins: [resolve({ browser: true }), esbuild({ target: 'es2019', define: { __O2O_SCRIPT__: define } }), cfg.plugins[2]] });
const { output } = await b.generate({ format: 'iife', strict: false });
const code = output[0].code;
writeFileSync('/tmp/h/o2o.js', code);
const gz = gzipSync(code, { level: 9 }).length, br = brotliCompressSync(code, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length;
console.log(`SCRIPT=${define}: ${code.length} raw, ${gz} gzip, ${br} br`);
