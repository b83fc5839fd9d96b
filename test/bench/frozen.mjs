// A wrangler config frozen for a measurement: the worker bundled now by wrangler
// itself (`deploy --dry-run`) and run unbundled, its static assets copied, every
// path absolute. Edits to the working tree during a run (other sessions share
// it) then cannot make `wrangler dev` rebuild and reload mid-measurement, which
// stalls every request in flight. test/bench/reports.mjs does the same.
import { cpSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, extname, resolve } from 'node:path';
import { ROOT, wranglerSync } from '../e2e/wrangler.mjs';

export const STATE = `${ROOT}test/bench/.state`;

/** Returns the frozen copy's path (test/bench/.state/wrangler.<name>.frozen.toml). */
export function frozenConfig(name, configPath) {
  mkdirSync(STATE, { recursive: true });
  const dir = dirname(configPath);
  const build = `${STATE}/build-${name}`;
  rmSync(build, { recursive: true, force: true });
  wranglerSync(['deploy', '--dry-run', '--outdir', build], { config: configPath });
  let toml = readFileSync(configPath, 'utf8');
  const main = /^main = "(.*)"/m.exec(toml)?.[1];
  if (!main) throw new Error(`${configPath}: no main = "…" line`);
  // wrangler names the bundle after the entry: worker/index.ts → index.js.
  const bundle = `${build}/${basename(main, extname(main))}.js`;
  toml = toml
    .replace(/^main = "(.*)"/m, `main = "${bundle}"\nno_bundle = true # frozen: test/bench/frozen.mjs`)
    .replace(/^migrations_dir = "(.*)"/m, (_, p) => `migrations_dir = "${resolve(dir, p)}"`)
    .replace(/^directory = "(.*)"/m, (_, p) => {
      const copy = `${STATE}/public-${name}`;
      rmSync(copy, { recursive: true, force: true });
      cpSync(resolve(dir, p), copy, { recursive: true });
      return `directory = "${copy}"`;
    });
  const out = `${STATE}/wrangler.${name}.frozen.toml`;
  writeFileSync(out, toml);
  return out;
}
