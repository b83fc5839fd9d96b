// The stage mapping: which funnel stage becomes which conversion of which
// platform, and which landing parameter names a platform's click. A connector
// keeps stage → type (JSON); a stage it does not map is never written to the
// outbox, so it is never sent.
import { AD_CLICK_PARAMS, AD_PLATFORMS, type AdPlatform, type AdStage, type AdTypes } from '../../protocol/adplatforms';
import { baidu } from './baidu';
import { oceanengine } from './oceanengine';
import { qihoo360 } from './qihoo360';
import type { Platform } from './request';
import { tencent } from './tencent';

export const PLATFORMS: Record<AdPlatform, Platform> = { baidu, oceanengine, tencent, qihoo360 };

/** The platform whose click id a landing parameter carries. */
const BY_PARAM = new Map(AD_PLATFORMS.flatMap((p) => AD_CLICK_PARAMS[p].map((param) => [param, p] as const)));

/** The platforms' clicks a landing's parameters carry: platform → click id (the first non-empty parameter). */
export function clicksOf(q: Record<string, unknown> | undefined): Map<AdPlatform, string> {
  const out = new Map<AdPlatform, string>();
  if (!q) return out;
  for (const [param, platform] of BY_PARAM) {
    const v = q[param];
    if (typeof v === 'string' && v.trim() && !out.has(platform)) out.set(platform, v.trim());
  }
  return out;
}

/** The landing URL Baidu reads bd_vid from: the site's first origin, the page path (percent-encoded) and the click parameter. */
export function landingUrl(origin: string | undefined, path: string | null, param: string, clickId: string): string {
  const base = origin && /^https?:\/\/[^/]+$/.test(origin) ? origin : 'https://unknown.invalid';
  const p = path && path.startsWith('/') ? encodePath(path.replace(/[?#].*$/, '')) : '/';
  return `${base}${p}?${new URLSearchParams({ [param]: clickId })}`;
}

const UTF8 = new TextEncoder();

/**
 * A path as a URL carries it: what a path may hold stays (an escape already
 * made too), anything else (spaces, CJK, a lone `%`) becomes %XX of its UTF-8,
 * so the platform parses the query, bd_vid included, where we put it.
 */
export function encodePath(path: string): string {
  return path.replace(/%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~!$&'()*+,;=:@/%]/gu, (c) =>
    [...UTF8.encode(c)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

/** The first parameter of `platform` that the landing carried (for its URL). */
export function paramOf(platform: AdPlatform, q: Record<string, unknown>): string {
  return AD_CLICK_PARAMS[platform].find((p) => typeof q[p] === 'string' && (q[p] as string).trim()) ?? AD_CLICK_PARAMS[platform][0];
}

/** A connector's map after a change: `given` over `prev` (a new connector: the platform's defaults); null drops a stage. */
export function mergeTypes(platform: AdPlatform, prev: AdTypes | null, given: Partial<Record<AdStage, number | string | null>> | undefined): AdTypes {
  const out: Record<string, number | string> = { ...(prev ?? PLATFORMS[platform].defaults) };
  for (const [stage, t] of Object.entries(given ?? {})) {
    if (t === null) delete out[stage];
    else if (t !== undefined) out[stage] = t;
  }
  return out as AdTypes;
}

/** The stages whose type the platform would refuse (Baidu takes numbers, the others words). */
export function badTypes(platform: AdPlatform, types: AdTypes): string[] {
  return Object.entries(types).filter(([, t]) => !PLATFORMS[platform].typeOk(t)).map(([s]) => s);
}

/**
 * A screening note as a reason a platform may read: one line, no control
 * characters, no run of 7 or more digits (a phone number stays here), at most
 * 100 characters.
 */
export function reasonOf(note: string | null | undefined): string | null {
  const s = (note ?? '').replace(/[\p{Cc}\p{Cf}]+/gu, ' ').replace(/\d[\d\s-]{5,}\d/g, '…').replace(/\s+/g, ' ').trim();
  return s ? [...s].slice(0, 100).join('') : null;
}
