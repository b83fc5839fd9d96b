// Leads: all SQL for the leads table (made by appointments, screened by staff).
import type { LeadSource } from '../../protocol/staff';
import type { TouchSnapshot } from '../attribution/model';

export type LeadStatus = 'new' | 'qualified' | 'unqualified';
export const LEAD_STATUSES: readonly LeadStatus[] = ['new', 'qualified', 'unqualified'];
export type { LeadSource };

export interface LeadRow extends TouchSnapshot {
  site_key: string;
  code: string;
  event_id: string | null;
  visitor_id: string | null;
  store_id: string | null;
  budget: number | null;
  style: string | null;
  skus: string;
  props: string | null;
  status: LeadStatus;
  source: LeadSource; // 0012: form, desk (booked by the service desk) or callback
  conversation_id: string | null; // 0012: the chat it was booked in
  note: string | null;
  created_at: number;
  updated_at: number;
  day: string;
  region: string | null;
  city: string | null;
}

export type NewLead = Omit<LeadRow, 'status' | 'updated_at'>;

/**
 * The lead an appointment joins instead of making its own: the same visitor,
 * store and local day, where one of the two is not the visitor's own form (a
 * desk booking and a form, or two bookings, are one appointment; two forms stay
 * two leads, as they always were). The earliest such lead; a lead with no
 * store never joins. The placeholders name the visitor, store, day and the
 * new appointment's source; ?1 is the site.
 */
const partner = (visitor: string, store: string, day: string, source: string) => `SELECT code FROM leads AS m
  WHERE m.site_key = ?1 AND m.visitor_id = ${visitor} AND m.store_id = ${store} AND m.day = ${day} AND (m.source <> 'form' OR ${source} <> 'form')
  ORDER BY m.created_at, m.code LIMIT 1`;

/**
 * Inserts unless the code or the event is taken, or the appointment joins
 * another lead (`partner`). A replayed appointment hits leads_event and changes
 * nothing; a code collision also changes nothing, and the caller, finding no
 * lead for the event and no partner, draws another code. The check and the
 * insert are one statement, and D1 runs statements one at a time: of two
 * requests for the same visitor, store and day, exactly one inserts.
 */
export function insertLead(db: D1Database, l: NewLead): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO leads (site_key, code, event_id, visitor_id, store_id, budget, style, skus, props, created_at, updated_at, day,
         first_channel, first_campaign, first_promoter, last_channel, last_campaign, last_promoter, region, city, note, source, conversation_id)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19, ?20, ?21, ?22
       WHERE NOT EXISTS (${partner('?4', '?5', '?11', '?21')})
       ON CONFLICT DO NOTHING`,
    )
    .bind(
      l.site_key, l.code, l.event_id, l.visitor_id, l.store_id, l.budget, l.style, l.skus, l.props, l.created_at, l.day,
      l.first_channel, l.first_campaign, l.first_promoter, l.last_channel, l.last_campaign, l.last_promoter, l.region, l.city,
      l.note, l.source, l.conversation_id,
    );
}

/** The code of the lead an appointment joined (see `partner`), or null. */
export async function partnerLead(db: D1Database, l: Pick<NewLead, 'site_key' | 'visitor_id' | 'store_id' | 'day' | 'source'>): Promise<string | null> {
  const r = await db.prepare(partner('?2', '?3', '?4', '?5')).bind(l.site_key, l.visitor_id, l.store_id, l.day, l.source).first<{ code: string }>();
  return r?.code ?? null;
}

/** event id → its lead's code and visitor, for the appointment events that already have a lead. */
export async function codesForEvents(db: D1Database, siteKey: string, eventIds: string[]): Promise<Map<string, { code: string; visitor: string | null }>> {
  const { results } = await db
    .prepare('SELECT event_id, code, visitor_id FROM leads WHERE site_key = ?1 AND event_id IN (SELECT value FROM json_each(?2))')
    .bind(siteKey, JSON.stringify(eventIds))
    .all<{ event_id: string; code: string; visitor_id: string | null }>();
  return new Map(results.map((r) => [r.event_id, { code: r.code, visitor: r.visitor_id }]));
}

export async function getLead(db: D1Database, siteKey: string, code: string): Promise<LeadRow | null> {
  return db.prepare('SELECT * FROM leads WHERE site_key = ?1 AND code = ?2').bind(siteKey, code).first<LeadRow>();
}

/** The visitor's lead to check in with: one for this store first, then the newest. */
export async function leadOfVisitor(db: D1Database, siteKey: string, visitorId: string, storeId: string): Promise<LeadRow | null> {
  return db
    .prepare(
      `SELECT * FROM leads WHERE site_key = ?1 AND visitor_id = ?2
       ORDER BY (store_id IS ?3) DESC, created_at DESC LIMIT 1`,
    )
    .bind(siteKey, visitorId, storeId)
    .first<LeadRow>();
}

export interface LeadQuery {
  siteKey: string;
  from: string;
  to: string;
  status?: LeadStatus;
  source?: LeadSource;
  stores?: string[]; // only these stores' leads (a token that names stores of this site); undefined: all
  limit: number;
}

export async function listLeads(db: D1Database, q: LeadQuery): Promise<LeadRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM leads WHERE site_key = ?1 AND day BETWEEN ?2 AND ?3
         AND (?4 IS NULL OR status = ?4)
         AND (?5 IS NULL OR store_id IN (SELECT value FROM json_each(?5)))
         AND (?7 IS NULL OR source = ?7)
       ORDER BY created_at DESC LIMIT ?6`,
    )
    .bind(q.siteKey, q.from, q.to, q.status ?? null, q.stores ? JSON.stringify(q.stores) : null, q.limit, q.source ?? null)
    .all<LeadRow>();
  return results;
}

export interface LeadPatch {
  status?: LeadStatus;
  note?: string | null;
  store_id?: string | null;
}

export async function updateLead(db: D1Database, siteKey: string, code: string, p: LeadPatch, now = Date.now()): Promise<void> {
  await updateLeadStatement(db, siteKey, code, p, now).run();
}

/** The screening's update as a statement, for a batch that also writes what it causes (the ad platforms' conversions). */
export function updateLeadStatement(db: D1Database, siteKey: string, code: string, p: LeadPatch, now = Date.now()): D1PreparedStatement {
  // COALESCE keeps what the patch leaves out; a note or store set to null is cleared via the *_set flags.
  return db
    .prepare(
      `UPDATE leads SET
         status = coalesce(?3, status),
         note = CASE WHEN ?4 THEN ?5 ELSE note END,
         store_id = CASE WHEN ?6 THEN ?7 ELSE store_id END,
         updated_at = ?8
       WHERE site_key = ?1 AND code = ?2`,
    )
    .bind(siteKey, code, p.status ?? null, 'note' in p ? 1 : 0, p.note ?? null, 'store_id' in p ? 1 : 0, p.store_id ?? null, now);
}

/** Which of `ids` are stores of the site. */
export async function existingStores(db: D1Database, siteKey: string, ids: string[]): Promise<Set<string>> {
  if (!ids.length) return new Set();
  const { results } = await db
    .prepare('SELECT store_id FROM stores WHERE site_key = ?1 AND store_id IN (SELECT value FROM json_each(?2))')
    .bind(siteKey, JSON.stringify(ids))
    .all<{ store_id: string }>();
  return new Set(results.map((r) => r.store_id));
}
