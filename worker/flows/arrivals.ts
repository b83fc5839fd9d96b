// Recording an arrival (到店), by staff (lead code typed or scanned) or by the
// customer (self check-in from the phone they browsed on). One arrival per
// person, store and local day: whichever way came first records it.
import type { ArrivalInput, ArrivalJson, ArrivalResult } from '../../protocol/staff';
import { adConversions } from '../adplatforms/outbox';
import { deliverSoon, outbox, type WaitUntil } from '../crm/notify';
import { arrivalIsOurs, getArrival, insertArrival, type ArrivalRow } from '../db/arrivals';
import type { Site } from '../db/sites';
import { offlineCredit, setCredit } from '../rollups/credit-offline';
import { localDay } from '../time';
import { resolveCustomer, pickSnapshot, type Customer } from './customer';
import { leadJson, type LeadJson } from './lead-json';

export type { ArrivalJson };

/** The recorded arrival and the whole lead; the route decides how much of the lead the caller sees (ArrivalResult). */
export type Recorded = Omit<ArrivalResult, 'lead'> & { lead: LeadJson | null };

export async function recordArrival(
  db: D1Database, site: Site, input: ArrivalInput & { store: string }, method: 'staff' | 'self', waitUntil: WaitUntil, now = Date.now(),
): Promise<Recorded> {
  const who = await resolveCustomer(db, site, input, input.store, now);
  const day = localDay(now, site.timezone);
  const row: ArrivalRow = {
    site_key: site.siteKey, id: arrivalId(day, input.store, who), lead_code: who.lead?.code ?? null,
    visitor_id: who.visitorId, store_id: input.store, method, at: now, day, ...pickSnapshot(who.snapshot),
  };
  const lead = who.lead ? leadJson(who.lead) : null;
  // The webhook row in the arrival's own transaction, written only if the arrival is this request's.
  const hook = await outbox(db, site.siteKey, [{ type: 'arrival.created', data: { arrival: arrivalJson(row), lead } }], now, arrivalIsOurs(row));
  // The ad platforms' `arrival` conversion of the lead's click, on the same condition (worker/adplatforms/; sent by the cron).
  const ads = who.lead ? [adConversions(db, site.siteKey, who.lead.code, 'arrival', { at: now }, now, arrivalIsOurs(row))] : [];
  // The multi-touch shares beside the snapshot (rollups/credit-offline.ts).
  const credit = setCredit(db, 'arrivals', site.siteKey, row.id, await offlineCredit(db, site, row.lead_code, row.visitor_id, now));
  const [res] = await db.batch([insertArrival(db, row), credit, ...hook, ...ads]);
  const created = res.meta.changes > 0;
  if (created && hook.length) deliverSoon(db, site.siteKey, waitUntil);
  const stored = created ? row : (await getArrival(db, site.siteKey, row.id))!;
  return { arrival: arrivalJson(stored), lead, duplicate: !created };
}

/** One arrival per person, store and local day: the id says which. */
export function arrivalId(day: string, store: string, who: Customer): string {
  return `${day}:${store}:${who.lead ? `L:${who.lead.code}` : `V:${who.visitorId}`}`;
}

export function arrivalJson(a: ArrivalRow): ArrivalJson {
  return {
    id: a.id, site: a.site_key, store: a.store_id, lead: a.lead_code, visitor: a.visitor_id, method: a.method,
    at: new Date(a.at).toISOString(), day: a.day, firstChannel: a.first_channel, lastChannel: a.last_channel, lastCampaign: a.last_campaign,
  };
}
