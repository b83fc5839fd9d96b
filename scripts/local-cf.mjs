// Where a local `wrangler dev` says its visitors are: a cf.json for request.cf
// in Shanghai, and the environment that makes wrangler read it and call no one.
// Shared by `npm run dev` / `npm start` and the end-to-end tests (test/e2e/wrangler.mjs).
// As a script: `node scripts/local-cf.mjs <path>` writes (or refreshes) the file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { pathToFileURL } from 'node:url';

// No calls home from wrangler (the common brief's rule for every wrangler run).
export const QUIET = { WRANGLER_SEND_METRICS: 'false', WRANGLER_HIDE_BANNER: 'true', WRANGLER_SEND_ERROR_REPORTS: 'false' };

/** Shanghai as Cloudflare names it: the worker turns it into 上海 / 上海 (worker/attribution/regions-cn.ts). */
export const SHANGHAI = { country: 'CN', region: 'Shanghai', regionCode: 'SH', city: 'Shanghai' };

/**
 * The environment for a wrangler run. With `cfPath`, request.cf comes from a cf.json
 * written now: miniflare reads CLOUDFLARE_CF_FETCH_PATH only when
 * CLOUDFLARE_CF_FETCH_ENABLED is *unset* ("false" forces its built-in Austin,
 * Texas placeholder), and it fetches from the internet only when that file is
 * missing or older than 30 days, so a fresh file keeps the run offline.
 */
export function wranglerEnv(cfPath) {
  const env = { ...process.env, ...QUIET, CI: 'true', CLOUDFLARE_CF_FETCH_ENABLED: 'false' };
  if (cfPath) {
    delete env.CLOUDFLARE_CF_FETCH_ENABLED;
    env.CLOUDFLARE_CF_FETCH_PATH = cfPath;
  }
  return env;
}

/** A request.cf (the fields miniflare's placeholder has) for a visitor at `geo`, Shanghai unless told; written fresh, so it is never refetched. */
export function writeCf(path, geo = SHANGHAI) {
  const cf = {
    asOrganization: '', asn: 4812, colo: 'SHA', continent: 'AS', timezone: 'Asia/Shanghai', latitude: '31.22222', longitude: '121.45806',
    postalCode: '200000', metroCode: '', clientTcpRtt: 0, httpProtocol: 'HTTP/1.1', requestPriority: '', tlsCipher: 'AEAD-AES128-GCM-SHA256',
    tlsVersion: 'TLSv1.3', edgeRequestKeepAliveStatus: 0, clientTrustScore: 99,
    botManagement: { corporateProxy: false, verifiedBot: false, ja3Hash: '', staticResource: false, detectionIds: [], score: 99 },
    ...geo,
  };
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(cf));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const path = process.argv[2];
  if (!path) {
    console.error('usage: node scripts/local-cf.mjs <cf.json path>');
    process.exit(2);
  }
  writeCf(path);
}
