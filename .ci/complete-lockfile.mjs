#!/usr/bin/env node
// Completes package-lock.json with the other platforms' optional native
// packages (rollup, esbuild, workerd …). The registry these machines reach
// serves only this platform's binaries, so `npm install` leaves those entries
// out, and `npm ci` then refuses the lockfile as out of sync (npm/cli#9846).
// Each added entry carries the os/cpu read from its package name, so npm skips
// it everywhere but on its own platform, where the full registry has it.
// Usage: node .ci/complete-lockfile.mjs [--check]
import { readFileSync, writeFileSync } from 'node:fs';

const OS = { darwin: 'darwin', linux: 'linux', win32: 'win32', windows: 'win32', freebsd: 'freebsd', openbsd: 'openbsd', netbsd: 'netbsd', android: 'android', openharmony: 'openharmony', sunos: 'sunos', aix: 'aix' };
const CPU = { x64: 'x64', '64': 'x64', arm64: 'arm64', arm: 'arm', ia32: 'ia32', riscv64: 'riscv64', s390x: 's390x', ppc64: 'ppc64', loong64: 'loong64', mips64el: 'mips64el', wasm32: 'wasm32' };

function platformOf(name) {
  const parts = name.split('/').pop().split('-');
  const os = parts.map((p) => OS[p]).find(Boolean);
  const cpu = parts.map((p) => CPU[p]).find(Boolean);
  const libc = parts.includes('musl') ? 'musl' : parts.includes('gnu') || parts.includes('gnueabihf') ? 'glibc' : undefined;
  if (name.includes('wasm32')) return { cpu: ['wasm32'] };
  // A name with no platform in it is not ours to guess: mark it installable nowhere.
  return { os: [os ?? 'none'], cpu: [cpu ?? 'none'], ...(libc && os === 'linux' ? { libc: [libc] } : {}) };
}

const check = process.argv.includes('--check');
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pkgs = lock.packages;
const added = [];
for (const [path, meta] of Object.entries(pkgs)) {
  for (const [dep, spec] of Object.entries(meta.optionalDependencies ?? {})) {
    // Resolve the way node does: the nearest node_modules up from the dependent.
    const want = spec.replace(/^[\^~=]/, '');
    let hit;
    for (let dir = path; ; ) {
      hit = pkgs[`${dir ? `${dir}/` : ''}node_modules/${dep}`];
      if (hit || !dir) break;
      const up = dir.lastIndexOf('/node_modules/');
      dir = up < 0 ? '' : dir.slice(0, up);
    }
    if (hit && hit.version === want) continue;
    // Missing, or shadowed by another version: place it beside the dependent, as npm would.
    const sib = path.slice(0, path.lastIndexOf('node_modules/') + 'node_modules/'.length);
    const at = hit ? `${path}/node_modules/${dep}` : `${sib}${dep}`;
    if (pkgs[at]) continue;
    pkgs[at] = { version: want, dev: meta.dev || undefined, optional: true, ...platformOf(dep) };
    added.push(at);
  }
}
if (check) {
  if (added.length) {
    console.error(`package-lock.json lacks ${added.length} optional platform entries; run node .ci/complete-lockfile.mjs`);
    process.exit(1);
  }
} else {
  lock.packages = Object.fromEntries(Object.entries(pkgs).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))));
  writeFileSync('package-lock.json', JSON.stringify(lock, null, 2) + '\n');
  console.log(`added ${added.length} optional platform entries`);
}
