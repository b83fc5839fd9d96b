// The touch snapshot every lead, arrival and deal keeps: the visitor's first and
// last touch as they stood when the row was made, so reports need no replay.
import { creditAt } from '../attribution/touch';
import { getVisitors, touchesOf, type Touch, type VisitorRow } from '../db/events';

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
export const DIRECT_SNAPSHOT: TouchSnapshot = snapshotOf(touchesOf(null).first, touchesOf(null).last);

/**
 * A walk-in's snapshot from the visitors table, credited as ingest credits an
 * event at `at`: past the attribution window the last touch earns nothing.
 */
export async function visitorSnapshot(db: D1Database, siteKey: string, visitorId: string, at: number, windowDays: number): Promise<{ known: boolean; snapshot: TouchSnapshot }> {
  const v: VisitorRow | undefined = (await getVisitors(db, siteKey, [visitorId])).get(visitorId);
  if (!v) return { known: false, snapshot: DIRECT_SNAPSHOT };
  const { first, last } = creditAt(v, at, windowDays);
  return { known: true, snapshot: snapshotOf(first, last) };
}
