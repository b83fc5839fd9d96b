// The abuse limit on /collect through a Workers Rate Limiting binding: per
// client, checked once a batch has something to enqueue. A refused request gets
// 429 with Retry-After (the period). There is no per-site limit: anyone could
// spend it for a site's real visitors, and the queue absorbs a spike.
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
 * behind one IP). The IP is hashed at once and never stored or logged. A request
 * without CF-Connecting-IP (a test calling the worker directly) is not limited;
 * `wrangler dev` sets it (127.0.0.1), so the limit applies locally.
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
