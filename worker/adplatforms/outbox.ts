// What a change tells the ad platforms: conversion rows in the outbox, written
// in the same D1 batch as the change (the fold that credits an appointment, a
// screening, an arrival, a deal), so a conversion is never kept without its
// change nor sent for one that was not kept. Sending needs the Worker's
// secrets: the cron sends every 10 minutes, and callers that hold the env (the
// queue consumer, the screening route) send at once after the response.
import type { AdPlatform, AdStage } from '../../protocol/adplatforms';
import type { StoredEvent } from '../attribution/model';
import type { Condition } from '../db/crm';
import type { Site } from '../db/sites';
import { deliverAdConversions, type Secrets } from './deliver';
import { connectedPlatforms, insertClick, insertConversions, leadClicksOf, pruneClicks, REACHED, reachedConversions, type StageFacts } from './sql';
import { clicksOf, landingUrl, paramOf, reasonOf } from './stages';

const DAY_MS = 86_400_000;

/**
 * The fold's part, for its one batch (after the leads' credit): the platforms'
 * clicks its landing views carry (for the platforms the site has a connector
 * for); then each new appointment's lead takes the latest click of each
 * platform inside the attribution window before it, and gets its
 * `appointment` conversion and those of the stages staff recorded before the
 * queue folded it (screening, arrival, deal). Nothing (and no read) for a fold
 * with neither views with clicks nor appointments.
 */
export async function foldStatements(db: D1Database, site: Site, stored: StoredEvent[], now: number): Promise<D1PreparedStatement[]> {
  const q = (e: StoredEvent) => (e.data?.q ?? undefined) as Record<string, unknown> | undefined;
  const views = stored.filter((e) => e.type === 'view' && clicksOf(q(e)).size);
  const appointments = stored.filter((e) => e.type === 'appointment');
  if (!views.length && !appointments.length) return [];
  const connected = await connectedPlatforms(db, site.siteKey);
  if (!connected.size) return [];
  const out: D1PreparedStatement[] = [];
  const touched = new Map<string, [string, AdPlatform]>();
  for (const e of views) {
    for (const [platform, clickId] of clicksOf(q(e))) {
      if (!connected.has(platform)) continue;
      const url = landingUrl(site.origins[0], e.path, paramOf(platform, q(e)!), clickId);
      out.push(insertClick(db, { site: site.siteKey, visitor: e.visitorId, platform, clickId, landingUrl: url, at: e.ts }));
      touched.set(JSON.stringify([e.visitorId, platform]), [e.visitorId, platform]);
    }
  }
  const notes = appointments.length ? await notesOf(db, site.siteKey, appointments) : new Map<string, string | null>();
  for (const e of appointments) {
    out.push(leadClicksOf(db, site.siteKey, e.id, e.visitorId, e.ts, site.attributionDays * DAY_MS));
    out.push(insertConversions(db, site.siteKey, { event: e.id, visitor: e.visitorId, stage: 'appointment', at: e.ts }, now));
    const lead = { event: e.id, visitor: e.visitorId };
    out.push(reachedConversions(db, site.siteKey, lead, REACHED.screening | REACHED.arrival | REACHED.deal, reasonOf(notes.get(e.id)), now));
  }
  // After the leads took theirs, so a fold's own appointment never loses its click to the fold's later ones.
  for (const [visitor, platform] of touched.values()) out.push(pruneClicks(db, site.siteKey, visitor, platform));
  return out;
}

/** The screening notes of the appointments' leads (a lead screened before its fold: its reason). */
async function notesOf(db: D1Database, siteKey: string, appointments: StoredEvent[]): Promise<Map<string, string | null>> {
  const { results } = await db
    .prepare(`SELECT event_id, note FROM leads WHERE site_key = ?1 AND status = 'unqualified' AND event_id IN (SELECT value FROM json_each(?2))`)
    .bind(siteKey, JSON.stringify(appointments.map((e) => e.id)))
    .all<{ event_id: string; note: string | null }>();
  return new Map(results.map((r) => [r.event_id, r.note]));
}

/** A later stage of a known lead (`lead`: its code), for the change's own batch. `onlyIf`: the change's row (params from ?6). */
export function adConversions(
  db: D1Database, siteKey: string, lead: string, stage: Exclude<AdStage, 'appointment'>,
  facts: Pick<StageFacts, 'value' | 'at'> & { note?: string | null }, now: number, onlyIf?: Condition,
): D1PreparedStatement {
  const reason = stage === 'unqualified' ? reasonOf(facts.note) : null;
  return insertConversions(db, siteKey, { lead, stage, value: facts.value ?? null, reason, at: facts.at }, now, onlyIf);
}

/** A screening's condition: the lead has the status the batch just set. */
export const leadStatusIs = (siteKey: string, code: string, status: string): Condition => ({
  sql: 'SELECT 1 FROM leads WHERE site_key = ?6 AND code = ?7 AND status = ?8', params: [siteKey, code, status],
});

/** Sends the site's due conversions after the response. */
export function sendAdsSoon(db: D1Database, secrets: Secrets, siteKey: string, waitUntil: (p: Promise<unknown>) => void): void {
  waitUntil(deliverAdConversions(db, secrets, { siteKey }).catch((err) => console.error('ad conversions', err)));
}
