// The touch model: what a touch is, the visitor's state, the snapshot a lead,
// arrival or deal keeps, and the rules that move them: first touch earliest,
// last non-direct touch never rewound, credit only inside the window. Ingest,
// leads, arrivals, deals and reports import it; it imports nothing of theirs.
// Every event is credited at ingest to the visitor's touch as it stood then, so
// reports need no replay. The window is counted from the last non-direct touch:
// a direct return inside it keeps that touch's credit; past it the visitor is
// direct again.
import type { BrowserEventType } from '../../protocol/wire';

export const DIRECT = 'direct';

/** A marketing touch: what brought the visitor (GA vocabulary for source / medium). */
export interface Touch {
  channel: string;
  source: string | null;
  medium: string | null;
  campaign: string | null;
  promoter: string | null;
}

export type Strength = 'strong' | 'weak' | 'none';

/** What a view says about how the visitor arrived (attribution/classify.ts). */
export interface Landing {
  touch: Touch;
  strength: Strength; // none: not a landing (internal navigation, nothing to go on): the event is direct
}

/** The touch of a visit nothing explains. */
export function directTouch(campaign: string | null = null): Touch {
  return { channel: DIRECT, source: '(direct)', medium: '(none)', campaign, promoter: null };
}

/** Where a request came from, as Cloudflare tells the worker, and the device class. */
export interface Place {
  country: string | null;
  region: string | null;
  city: string | null;
  device: string | null;
}

/** An event after validation and server-side enrichment, as stored. */
export interface StoredEvent extends Place {
  siteKey: string;
  id: string;
  type: BrowserEventType;
  visitorId: string;
  sessionId: string;
  pageviewId: string | null;
  ts: number;
  receivedAt: number;
  day: string;
  path: string | null;
  sku: string | null;
  channel: string; // = last.channel
  first: Touch; // the visitor's first touch, for first-touch reports
  last: Touch; // the touch this event is credited to: last non-direct within the window
  touch?: string; // a view that was a touch (a counted landing naming a channel): that channel; the multi-touch path's entries
  data: Record<string, unknown> | null;
}

/** A visitor's touches as the visitors table keeps them. */
export interface VisitorRow {
  visitor_id: string;
  first_seen: number;
  last_seen: number;
  first_channel: string;
  first_source: string | null;
  first_medium: string | null;
  first_campaign: string | null;
  first_promoter: string | null;
  first_at: number;
  last_channel: string;
  last_source: string | null;
  last_medium: string | null;
  last_campaign: string | null;
  last_promoter: string | null;
  last_at: number;
  last_session: string | null; // session of the latest view: weak landings count only on a session's first view
}

export interface VisitorUpdate extends VisitorRow, Place {}

/** The visitor's touches as the Touch pair events are credited with; direct for a visitor never seen. */
export function touchesOf(v: VisitorRow | null | undefined): { first: Touch; last: Touch } {
  if (!v) return { first: directTouch(), last: directTouch() };
  return {
    first: { channel: v.first_channel, source: v.first_source, medium: v.first_medium, campaign: v.first_campaign, promoter: v.first_promoter },
    last: { channel: v.last_channel, source: v.last_source, medium: v.last_medium, campaign: v.last_campaign, promoter: v.last_promoter },
  };
}

/** The touches every lead, arrival and deal keeps, as they stood when the row was made. */
export interface TouchSnapshot {
  first_channel: string;
  first_campaign: string | null;
  first_promoter: string | null;
  last_channel: string;
  last_campaign: string | null;
  last_promoter: string | null;
}

export function snapshotOf(first: Touch, last: Touch): TouchSnapshot {
  return {
    first_channel: first.channel, first_campaign: first.campaign, first_promoter: first.promoter,
    last_channel: last.channel, last_campaign: last.campaign, last_promoter: last.promoter,
  };
}

/** The direct snapshot: a visitor the worker never saw online. */
export const DIRECT_SNAPSHOT: TouchSnapshot = snapshotOf(directTouch(), directTouch());

const DAY_MS = 86_400_000;

/**
 * The visitor's state after a view at `at` in `session`; `prev` is null for a new visitor.
 * Weak landings (referrer, in-app browser) count only on a session's first view, so a
 * reload inside WeChat does not overwrite the paid touch its session began with.
 */
export function applyLanding(
  prev: VisitorUpdate | null, visitorId: string, landing: Landing, session: string, at: number, windowDays: number, geo: Place,
): VisitorUpdate {
  const t = counts(prev, landing, session) ? landing.touch : directTouch();
  if (!prev) {
    return {
      visitor_id: visitorId, first_seen: at, last_seen: at, ...firstColumns(t, at), ...lastColumns(t, at), last_session: session,
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
  // At a tie (two views of one millisecond, folded in the other order), a touch that names a channel is the first.
  const tie = at === prev.first_at && prev.first_channel === DIRECT && t.channel !== DIRECT;
  if (at < prev.first_at || tie) Object.assign(next, firstColumns(t, at), { first_seen: Math.min(next.first_seen, at) });
  if (at < prev.last_at) return next;
  if (t.channel !== DIRECT) return setLast(next, t, at);
  // The last paid or referred touch is older than the window: it no longer earns credit.
  if (at - prev.last_at > windowDays * DAY_MS) return setLast(next, t, at);
  return next;
}

/**
 * The touch a landing makes, or null: a strong landing, or a weak one on a
 * session's first view, that names a channel (not direct). The multi-touch
 * models' path is these touches (worker/rollups/credit.ts).
 */
export function countedTouch(prev: Pick<VisitorRow, 'last_session'> | null, landing: Landing, session: string): Touch | null {
  return counts(prev, landing, session) && landing.touch.channel !== DIRECT ? landing.touch : null;
}

function counts(prev: Pick<VisitorRow, 'last_session'> | null, landing: Landing, session: string): boolean {
  const sameSession = !!prev && prev.last_session === session;
  return landing.strength === 'strong' || (landing.strength === 'weak' && !sameSession);
}

function setLast(v: VisitorUpdate, t: Touch, at: number): VisitorUpdate {
  return { ...v, ...lastColumns(t, at) };
}

const firstColumns = (t: Touch, at: number) => ({
  first_channel: t.channel, first_source: t.source, first_medium: t.medium, first_campaign: t.campaign, first_promoter: t.promoter, first_at: at,
});
const lastColumns = (t: Touch, at: number) => ({
  last_channel: t.channel, last_source: t.source, last_medium: t.medium, last_campaign: t.campaign, last_promoter: t.promoter, last_at: at,
});

/** A visitor seen only through events other than views: direct, with first_at = 0 until a view. */
export function touchlessVisitor(visitorId: string): VisitorRow {
  return { visitor_id: visitorId, first_seen: 0, last_seen: 0, ...firstColumns(directTouch(), 0), ...lastColumns(directTouch(), 0), last_session: null };
}

/** Whether the visitor's last touch still earns credit at `at`. */
export function lastTouchLive(v: Pick<VisitorRow, 'last_at'> | null | undefined, at: number, windowDays: number): boolean {
  return !!v && at - v.last_at <= windowDays * DAY_MS;
}

/** The touches an event at `at` is credited with: the first touch, and the last one while it is live, else direct. */
export function creditAt(v: VisitorRow | null | undefined, at: number, windowDays: number): { first: Touch; last: Touch } {
  const { first, last } = touchesOf(v);
  return { first, last: lastTouchLive(v, at, windowDays) ? last : directTouch() };
}
