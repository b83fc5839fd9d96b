// Server-side facts about a request: when it arrived, where from (request.cf,
// never the IP; a Chinese visitor's province and city in Chinese, as reports
// and stores name them), what kind of device and whether it is a known bot.
// Nothing here is trusted from the client's payload; nothing here is stored raw.
import { isbot } from 'isbot';
import { placeCn } from './attribution/regions-cn';

export interface RequestFacts {
  receivedAt: number;
  country: string | null;
  region: string | null;
  city: string | null;
  device: 'mobile' | 'tablet' | 'desktop' | null;
  userAgent: string; // bounded; read for in-app browsers and bots, never stored
  bot: boolean;
  pageHosts: string[]; // hosts of the sending page (Origin, Referer) and of the worker: referrers from them are internal
}

// A beacon retried from the offline queue may be days old; one from the future is a wrong clock.
const MAX_PAST_MS = 7 * 86_400_000;
// Longer user agents are junk or an attack; the first 512 characters say all we need.
const UA_MAX = 512;

/** Clamps a client timestamp into [received − 7 days, received]. */
export function clampTs(ts: number, receivedAt: number): number {
  return Math.min(receivedAt, Math.max(receivedAt - MAX_PAST_MS, ts));
}

export function deviceClass(ua: string | undefined): RequestFacts['device'] {
  if (!ua) return null;
  if (/iPad|Tablet|Tab\b|Android(?!.*Mobile)/i.test(ua)) return 'tablet';
  if (/Mobi|iPhone|Android|HarmonyOS|MicroMessenger/i.test(ua)) return 'mobile';
  return 'desktop';
}

type Cf = { country?: unknown; region?: unknown; regionCode?: unknown; city?: unknown } | undefined;

// Cloudflare's "XX" means no country could be found: that is null, not a place.
const place = (x: unknown): string | null => (typeof x === 'string' && x && x !== 'XX' ? x.slice(0, 100) : null);

function hostOf(url: string | null): string | null {
  if (!url) return null;
  try {
    return new URL(url).hostname || null;
  } catch {
    return null;
  }
}

export function requestFacts(req: Request, now = Date.now()): RequestFacts {
  const cf = (req as Request & { cf?: Cf }).cf;
  const userAgent = (req.headers.get('user-agent') ?? '').slice(0, UA_MAX);
  const pageHosts = [hostOf(req.headers.get('origin')), hostOf(req.headers.get('referer')), hostOf(req.url)].filter((h): h is string => !!h);
  const country = place(cf?.country);
  return {
    receivedAt: now,
    country,
    ...placeCn(country, place(cf?.regionCode), place(cf?.region), place(cf?.city)),
    device: deviceClass(userAgent || undefined),
    userAgent,
    // No user agent at all is a server-side sender, not a crawler: isbot('') is false.
    bot: userAgent !== '' && isbot(userAgent),
    pageHosts,
  };
}
