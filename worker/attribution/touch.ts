// First touch and last non-direct touch per visitor. Every event is credited at
// ingest to the visitor's touch as it stood then, so reports need no replay.
// The window is counted from the last non-direct touch: a direct return inside
// it keeps that touch's credit; past it the visitor is direct again.
import { touchesOf, type Touch, type VisitorRow, type VisitorUpdate } from '../db/events';
import { DIRECT, directTouch, type Landing } from './classify';

const DAY_MS = 86_400_000;

type Geo = Pick<VisitorUpdate, 'country' | 'region' | 'city' | 'device'>;

/**
 * The visitor's state after a view at `at` in `session`; `prev` is null for a new visitor.
 * Weak landings (referrer, in-app browser) count only on a session's first view, so a
 * reload inside WeChat does not overwrite the paid touch its session began with.
 */
export function applyLanding(
  prev: VisitorUpdate | null, visitorId: string, landing: Landing, session: string, at: number, windowDays: number, geo: Geo,
): VisitorUpdate {
  const sameSession = !!prev && prev.last_session === session;
  const counts = landing.strength === 'strong' || (landing.strength === 'weak' && !sameSession);
  const t = counts ? landing.touch : directTouch();
  if (!prev) {
    return {
      visitor_id: visitorId, first_seen: at, last_seen: at,
      first_channel: t.channel, first_source: t.source, first_medium: t.medium, first_campaign: t.campaign, first_promoter: t.promoter, first_at: at,
      last_channel: t.channel, last_source: t.source, last_medium: t.medium, last_campaign: t.campaign, last_promoter: t.promoter, last_at: at,
      last_session: session,
      ...geo,
    };
  }
  const next: VisitorUpdate = {
    ...prev, last_seen: Math.max(prev.last_seen, at),
    last_session: at >= prev.last_seen ? session : prev.last_session,
    country: geo.country ?? prev.country, region: geo.region ?? prev.region, city: geo.city ?? prev.city, device: geo.device ?? prev.device,
  };
  // A late delivery (offline queue, a request folded after a newer one) never rewinds a
  // newer touch; one older than the first touch is the visitor's first landing.
  if (at < prev.first_at) {
    next.first_channel = t.channel, next.first_source = t.source, next.first_medium = t.medium;
    next.first_campaign = t.campaign, next.first_promoter = t.promoter, next.first_at = at, next.first_seen = Math.min(next.first_seen, at);
  }
  if (at < prev.last_at) return next;
  if (t.channel !== DIRECT) return setLast(next, t, at);
  // The last paid or referred touch is older than the window: it no longer earns credit.
  if (at - prev.last_at > windowDays * DAY_MS) return setLast(next, t, at);
  return next;
}

function setLast(v: VisitorUpdate, t: Landing['touch'], at: number): VisitorUpdate {
  return { ...v, last_channel: t.channel, last_source: t.source, last_medium: t.medium, last_campaign: t.campaign, last_promoter: t.promoter, last_at: at };
}

/** Whether the visitor's last touch still earns credit at `at`. */
export function lastTouchLive(v: Pick<VisitorRow, 'last_at'> | null | undefined, at: number, windowDays: number): boolean {
  return !!v && at - v.last_at <= windowDays * DAY_MS;
}

export { DIRECT };

/** The touches an event at `at` is credited with: the first touch, and the last one while it is live, else direct. */
export function creditAt(v: VisitorRow | null | undefined, at: number, windowDays: number): { first: Touch; last: Touch } {
  const { first, last } = touchesOf(v);
  return { first, last: lastTouchLive(v, at, windowDays) ? last : touchesOf(null).last };
}
