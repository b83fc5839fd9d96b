// Server-side facts about a request: when it arrived, where from (request.cf,
// never the IP) and what kind of device. Nothing here is trusted from the client.
export interface RequestFacts {
  receivedAt: number;
  country: string | null;
  region: string | null;
  city: string | null;
  device: 'mobile' | 'tablet' | 'desktop' | null;
}

// A beacon retried from the offline queue may be days old; one from the future is a wrong clock.
const MAX_PAST_MS = 7 * 86_400_000;

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

type Cf = { country?: unknown; region?: unknown; city?: unknown } | undefined;

const s = (x: unknown): string | null => (typeof x === 'string' && x ? x : null);

export function requestFacts(req: Request, now = Date.now()): RequestFacts {
  const cf = (req as Request & { cf?: Cf }).cf;
  return {
    receivedAt: now,
    country: s(cf?.country),
    region: s(cf?.region),
    city: s(cf?.city),
    device: deviceClass(req.headers.get('user-agent') ?? undefined),
  };
}
