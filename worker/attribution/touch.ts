// First touch and last non-direct touch per visitor. Every event is credited at
// ingest to the visitor's touch as it stood then, so reports need no replay.
import type { VisitorUpdate } from '../db/events';
import { DIRECT, type Landing } from './classify';

const DAY_MS = 86_400_000;

/** The visitor's state after a landing at `at`; `prev` is null for a new visitor. */
export function applyLanding(
  prev: VisitorUpdate | null,
  visitorId: string,
  landing: Landing,
  at: number,
  windowDays: number,
  geo: Pick<VisitorUpdate, 'country' | 'region' | 'city' | 'device'>,
): VisitorUpdate {
  if (!prev) {
    return {
      visitor_id: visitorId, first_seen: at, last_seen: at, first_channel: landing.channel, first_at: at,
      last_channel: landing.channel, last_at: at, promoter: landing.promoter, ...geo,
    };
  }
  const next: VisitorUpdate = { ...prev, ...geoOr(prev, geo), last_seen: Math.max(prev.last_seen, at) };
  if (at < prev.last_at) {
    // A late delivery (offline queue, retried beacon) never rewinds a newer touch.
    return next;
  }
  if (landing.channel !== DIRECT) {
    next.last_channel = landing.channel;
    next.last_at = at;
    if (landing.promoter) next.promoter = landing.promoter;
  } else if (at - prev.last_at > windowDays * DAY_MS) {
    // The last paid or referred touch is older than the window: it no longer earns credit.
    next.last_channel = DIRECT;
    next.last_at = at;
  }
  return next;
}

/** The channel an event at `at` is credited to under last non-direct touch. */
export function creditedChannel(v: VisitorUpdate | null, at: number, windowDays: number): string {
  if (!v) return DIRECT;
  return at - v.last_at > windowDays * DAY_MS ? DIRECT : v.last_channel;
}

function geoOr(prev: VisitorUpdate, geo: Pick<VisitorUpdate, 'country' | 'region' | 'city' | 'device'>) {
  return {
    country: geo.country ?? prev.country, region: geo.region ?? prev.region,
    city: geo.city ?? prev.city, device: geo.device ?? prev.device,
  };
}
