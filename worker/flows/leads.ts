// Leads made by appointment events at /collect (and by the service desk's
// bookings, which are appointment events too: flows/booking.ts), before the
// queue, so the page gets its code at once. Each appointment maps to exactly one
// lead, replayed or not (leads.event_id is unique), with a short code the
// customer shows at the store; a desk booking and a form of the same visitor,
// store and day share one (db/leads.ts, `partner`). The touch written here is
// provisional: the fold re-credits the lead in event-time order and writes its
// lead.created webhook (worker/ingest/commit.ts).
import type { LeadSource } from '../../protocol/staff';
import { LIMITS } from '../../protocol/wire';
import type { StoredEvent } from '../attribution/model';
import { codesForEvents, existingStores, insertLead, partnerLead, type NewLead } from '../db/leads';
import type { Site } from '../db/sites';
import { newLeadCode } from './lead-code';
import { snapshotOf } from '../attribution/model';

// The props the form fills in; everything else it sent is kept in `props`.
const KNOWN = new Set(['store', 'budget', 'style', 'sku', 'skus']);
// A 6-character code collides once in ~1e9 draws per existing lead; 5 tries is plenty.
const MAX_TRIES = 5;

export interface AppointmentLeads {
  codes: Record<string, string>; // event id → lead code
  taken: Set<string>; // event ids whose lead is another visitor's: the event is refused
  made: Set<string>; // event ids whose lead this call made (the others' were there: a replay, or a lead the appointment joined)
}

/**
 * What a booking knows beyond its appointment event: kept on the lead only,
 * never in the event (so a phone number is in no event chunk or archive).
 */
export interface LeadExtra {
  source: Exclude<LeadSource, 'form'>;
  conversation: string | null;
  note: string | null;
  budget: number | null; // minor units, as the API takes it
  skus: string[]; // all of them (the event names the first)
  props: Record<string, string>; // name, phone, time
}

/**
 * Creates (or finds again, for a replay) the lead of each appointment event. An
 * event id is the visitor's: one that already made another visitor's lead is
 * not a replay but a collision (or a forgery), and gets neither that lead's code
 * nor a lead of its own.
 */
export async function leadsForAppointments(db: D1Database, site: Site, rows: StoredEvent[], extras = new Map<string, LeadExtra>()): Promise<AppointmentLeads> {
  const found = await codesForEvents(db, site.siteKey, rows.map((r) => r.id));
  const known = new Map<string, string>();
  const taken = new Set<string>();
  for (const r of rows) {
    const f = found.get(r.id);
    if (!f) continue;
    if (f.visitor === r.visitorId) known.set(r.id, f.code);
    else taken.add(r.id);
  }
  const stores = await knownStores(db, site.siteKey, rows);
  const made = new Set<string>();
  let todo = rows.filter((r) => !known.has(r.id) && !taken.has(r.id));
  for (let i = 0; i < MAX_TRIES && todo.length; i++) {
    const leads = todo.map((r) => toLead(site, r, stores, extras.get(r.id)));
    await db.batch(leads.map((l) => insertLead(db, l)));
    const now = await codesForEvents(db, site.siteKey, todo.map((r) => r.id));
    for (const l of leads) {
      const got = now.get(l.event_id!);
      if (got === undefined) {
        // Joined another lead of the visitor, store and day, else the code was taken: draw again.
        const joined = await partnerLead(db, l);
        if (joined) known.set(l.event_id!, joined);
      } else if (got.visitor === l.visitor_id) {
        known.set(l.event_id!, got.code);
        if (got.code === l.code) made.add(l.event_id!); // ours, not a concurrent request's
      } else {
        taken.add(l.event_id!); // another visitor's request made it first
      }
    }
    todo = todo.filter((r) => !known.has(r.id) && !taken.has(r.id));
  }
  if (todo.length) console.error(`leads: no free code after ${MAX_TRIES} tries for ${todo.length} appointment(s)`);
  return { codes: Object.fromEntries(rows.flatMap((r) => (known.has(r.id) ? [[r.id, known.get(r.id)!]] : []))), taken, made };
}

function toLead(site: Site, r: StoredEvent, stores: Set<string>, extra?: LeadExtra): NewLead {
  const p = (r.data?.p ?? {}) as Record<string, unknown>;
  const rest: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(p)) if (!KNOWN.has(k)) rest[k] = v;
  const store = typeof p.store === 'string' ? p.store : null;
  // A store the site doesn't have stays visible to the screening staff, who set the right one.
  if (store && !stores.has(store)) rest.store = store;
  const budget = budgetMinor(p.budget);
  if (budget === null && p.budget !== undefined && p.budget !== '') rest.budget = p.budget;
  Object.assign(rest, extra?.props);
  return {
    site_key: site.siteKey, code: newLeadCode(), event_id: r.id, visitor_id: r.visitorId,
    store_id: store && stores.has(store) ? store : null, budget: extra ? extra.budget : budget,
    style: typeof p.style === 'string' && p.style ? p.style : null,
    skus: JSON.stringify(extra?.skus.length ? extra.skus : skusOf(p, r.sku)),
    props: Object.keys(rest).length ? JSON.stringify(rest) : null,
    created_at: r.ts, day: r.day, ...snapshotOf(r.first, r.last), region: r.region, city: r.city,
    note: extra?.note ?? null, source: extra?.source ?? 'form', conversation_id: extra?.conversation ?? null,
  };
}

/**
 * The form's budget is yuan as typed (a number, or a plain numeric string such
 * as "20000" or "25000.5"); stored as minor units (×100, rounded to the fen).
 * Anything else ("2万") is kept as typed in props for the screening staff.
 */
export function budgetMinor(v: unknown): number | null {
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\s*\d+(\.\d+)?\s*$/.test(v) ? Number(v) : NaN;
  if (!Number.isFinite(n) || n < 0 || n > 1e10) return null;
  return Math.round(n * 100);
}

/** SKUs of interest: `sku` and `skus` (comma-separated) from the form, plus the SKU page it was sent from. */
function skusOf(p: Record<string, unknown>, pageSku: string | null): string[] {
  const out = new Set<string>();
  for (const v of [p.sku, p.skus]) {
    if (typeof v === 'string') for (const s of v.split(/[,，\s]+/)) if (s) out.add(s.slice(0, LIMITS.skuLength));
  }
  if (pageSku) out.add(pageSku);
  return [...out].slice(0, LIMITS.maxSkus);
}

function knownStores(db: D1Database, siteKey: string, rows: StoredEvent[]): Promise<Set<string>> {
  const wanted = rows.map((r) => (r.data?.p as Record<string, unknown> | undefined)?.store).filter((s): s is string => typeof s === 'string');
  return existingStores(db, siteKey, [...new Set(wanted)]);
}
