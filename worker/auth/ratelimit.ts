// Abuse limits on /collect through Workers Rate Limiting bindings: one per
// client, checked before the body is read, and one per site, checked once the
// site is known. A refused request gets 429 with Retry-After (the period).
import type { Env } from '../env';
import { ApiError } from '../errors';
import { sha256Hex } from './tokens';

// Both bindings count per 60 s (wrangler.toml); the window resets within it.
const PERIOD_S = 60;

function tooMany(what: string): ApiError {
  return new ApiError(429, 'rate_limited', `too many requests ${what}; retry after ${PERIOD_S} seconds`, undefined, {
    'Retry-After': String(PERIOD_S),
  });
}

/**
 * The client's key: a hash of IP and user agent (mobile carriers put many people
 * behind one IP). The IP is hashed at once and never stored or logged. Requests
 * that did not pass Cloudflare's edge (local dev, tests) carry no CF-Connecting-IP
 * and are not limited per client.
 */
export async function clientKey(req: Request): Promise<string | null> {
  const ip = req.headers.get('cf-connecting-ip');
  if (!ip) return null;
  return sha256Hex(`${ip}\n${req.headers.get('user-agent') ?? ''}`);
}

export async function limitClient(env: Env, req: Request): Promise<void> {
  const key = await clientKey(req);
  if (key && !(await env.RL_CLIENT.limit({ key })).success) throw tooMany('from this client');
}

export async function limitSite(env: Env, siteKey: string): Promise<void> {
  if (!(await env.RL_SITE.limit({ key: `site:${siteKey}` })).success) throw tooMany(`for site "${siteKey}"`);
}
