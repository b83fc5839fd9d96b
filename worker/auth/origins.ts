// Which browser origins may send to /collect, and the CORS headers they get.
// A site lists its allowed origins; the worker's own origin (a brand serving
// the script and the endpoint from its own domain) is always allowed. A request
// with no Origin header is not from a browser page (browsers send Origin on
// every POST): it is accepted, and bounded by the site key and rate limits.
// A WeChat mini program sends no Origin but a fixed Referer naming its app id:
// a site allows mini programs by app id as it allows origins (an empty list
// allows none).
import { anySiteAllowsOrigin, type Site } from '../db/sites';
import { ApiError } from '../errors';

export function sameOrigin(origin: string, requestUrl: string): boolean {
  try {
    return new URL(requestUrl).origin === origin;
  } catch {
    return false;
  }
}

/** Whether a browser page at `origin` may send events for `site`. `null` (sandboxed frames, file://) never may. */
export function originAllowed(site: Site, origin: string, requestUrl: string): boolean {
  if (origin === 'null') return false;
  return sameOrigin(origin, requestUrl) || site.origins.includes(origin);
}

// wx.request's Referer, which the mini program cannot set: https://servicewechat.com/<appid>/<version>/page-frame.html
// (version 0 for development, trial and review builds, `devtools` in WeChat DevTools).
const MINIPROGRAM_REFERER = /^https:\/\/servicewechat\.com\/([^/?#]*)/i;

/** The app id of a mini program's Referer (up to 64 characters), or null when the Referer is not a mini program's. */
export function miniProgramOf(referer: string | undefined): string | null {
  const m = referer ? MINIPROGRAM_REFERER.exec(referer) : null;
  return m ? m[1].slice(0, 64) : null;
}

/** Whether a site allows the mini program `appId` to send its events. */
export function miniProgramAllowed(site: Site, appId: string): boolean {
  return site.miniprogramAppIds.includes(appId);
}

/** Headers for an allowed origin's actual request and preflight. */
export function corsHeaders(origin: string, preflight = false): Record<string, string> {
  const h: Record<string, string> = { 'Access-Control-Allow-Origin': origin, Vary: 'Origin' };
  if (preflight) {
    h['Access-Control-Allow-Methods'] = 'POST, OPTIONS';
    h['Access-Control-Allow-Headers'] = 'Content-Type';
    h['Access-Control-Max-Age'] = '86400';
  }
  return h;
}

/** The hosts of a site's own pages: a referrer from one of them is internal navigation. */
export function ownHosts(site: Site, pageHosts: readonly string[]): Set<string> {
  const out = new Set<string>(pageHosts);
  for (const o of site.origins) {
    try {
      out.add(new URL(o).hostname);
    } catch {
      // A malformed stored origin only fails to match.
    }
  }
  return out;
}

/**
 * The answer to a CORS preflight (of /collect, /chat/*): it carries no body, so
 * no site key, and any site's origin passes here; the request itself is then
 * checked against its own site.
 */
export async function preflight(db: D1Database, origin: string | undefined, requestUrl: string): Promise<Record<string, string>> {
  if (!origin) throw new ApiError(400, 'bad_preflight', 'a CORS preflight needs an Origin header');
  const ok = origin !== 'null' && (sameOrigin(origin, requestUrl) || (await anySiteAllowsOrigin(db, origin)));
  if (!ok) throw new ApiError(403, 'origin_not_allowed', `origin ${origin} is not allowed by any site`);
  return corsHeaders(origin, true);
}
