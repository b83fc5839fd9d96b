// The dashboard's rollup build, imported by rollup.config.mjs: one ES module
// bundle (app code + a custom ECharts build) into dist/public/dashboard/, the
// page itself as dist/public/dashboard.html so the assets serve it at /dashboard.
import { copyFileSync, mkdirSync } from 'node:fs';
import resolve from '@rollup/plugin-node-resolve';
import { minify } from 'rollup-plugin-esbuild';

// ECharts and zrender guard their developer warnings with process.env.NODE_ENV;
// a browser has no `process`, and production drops the warnings' weight.
const productionEnv = {
  name: 'production-env',
  transform(code) {
    return code.includes('process.env.NODE_ENV') ? { code: code.replaceAll('process.env.NODE_ENV', '"production"'), map: null } : null;
  },
};

const copyShell = {
  name: 'dashboard-shell',
  writeBundle() {
    mkdirSync('dist/public/dashboard', { recursive: true });
    copyFileSync('worker/dashboard/index.html', 'dist/public/dashboard.html');
    copyFileSync('worker/dashboard/style.css', 'dist/public/dashboard/style.css');
    // The static assets' headers (the dashboard's CSP; nosniff on all), read by Workers, not served.
    copyFileSync('worker/dashboard/_headers', 'dist/public/_headers');
    // Browsers ask every origin for /favicon.ico: the dashboard's and the storefront's.
    copyFileSync('worker/dashboard/favicon.ico', 'dist/public/favicon.ico');
  },
};

// The store workspace (/store, worker/dashboard/store/): its page and stylesheet beside its bundle.
const copyStoreShell = {
  name: 'store-shell',
  writeBundle() {
    mkdirSync('dist/public/store', { recursive: true });
    copyFileSync('worker/dashboard/store/index.html', 'dist/public/store.html');
    copyFileSync('worker/dashboard/store/style.css', 'dist/public/store/style.css');
  },
};

export const dashboardBuild = {
  input: 'worker/dashboard/main.js',
  output: { file: 'dist/public/dashboard/app.js', format: 'es' },
  // The dashboard is for staff on current browsers, unlike the script tag.
  // Plain JS sources: no transpiling, only a minify pass over the whole chunk.
  plugins: [productionEnv, resolve({ browser: true }), minify({ target: 'es2020', legalComments: 'none' }), copyShell],
};

/** The store workspace: plain JS, no charts, one small ES module at dist/public/store/app.js. */
export const storeBuild = {
  input: 'worker/dashboard/store/main.js',
  output: { file: 'dist/public/store/app.js', format: 'es' },
  plugins: [resolve({ browser: true }), minify({ target: 'es2020', legalComments: 'none' }), copyStoreShell],
};
