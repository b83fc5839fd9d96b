// Leads: all SQL for the leads table (made by appointments, screened by staff).
import type { TouchSnapshot } from '../attribution/model';

export type LeadStatus = 'new' | 'qualified' | 'unqualified';
export const LEAD_STATUSES: readonly LeadStatus[] = ['new', 'qualified', 'unqualified'];

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
  note: string | null;
  created_at: number;
  updated_at: number;
  day: string;
  region: string | null;
  city: string | null;
}

export type NewLead = Omit<LeadRow, 'status' | 'note' | 'updated_at'>;

/**
 * Inserts unless the code or the event is taken. A replayed appointment hits
 * leads_event and changes nothing; a code collision also changes nothing, and
 * the caller, finding no lead for the event, draws another code.
 */
export function insertLead(db: D1Database, l: NewLead): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO leads (site_key, code, event_id, visitor_id, store_id, budget, style, skus, props, created_at, updated_at, day,
         first_channel, first_campaign, first_promoter, last_channel, last_campaign, last_promoter, region, city)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18, ?19)
       ON CONFLICT DO NOTHING`,
    )
    .bind(
      l.site_key, l.code, l.event_id, l.visitor_id, l.store_id, l.budget, l.style, l.skus, l.props, l.created_at, l.day,
      l.first_channel, l.first_campaign, l.first_promoter, l.last_channel, l.last_campaign, l.last_promoter, l.region, l.city,
    );
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
  stores?: string[]; // only these stores' leads (a token that names stores of this site); undefined: all
  limit: number;
}

export async function listLeads(db: D1Database, q: LeadQuery): Promise<LeadRow[]> {
  const { results } = await db
    .prepare(
      `SELECT * FROM leads WHERE site_key = ?1 AND day BETWEEN ?2 AND ?3
         AND (?4 IS NULL OR status = ?4)
         AND (?5 IS NULL OR store_id IN (SELECT value FROM json_each(?5)))
       ORDER BY created_at DESC LIMIT ?6`,
    )
    .bind(q.siteKey, q.from, q.to, q.status ?? null, q.stores ? JSON.stringify(q.stores) : null, q.limit)
    .all<LeadRow>();
  return results;
}

export interface LeadPatch {
  status?: LeadStatus;
  note?: string | null;
  store_id?: string | null;
}

export async function updateLead(db: D1Database, siteKey: string, code: string, p: LeadPatch, now = Date.now()): Promise<void> {
  // COALESCE keeps what the patch leaves out; a note or store set to null is cleared via the *_set flags.
  await db
    .prepare(
      `UPDATE leads SET
         status = coalesce(?3, status),
         note = CASE WHEN ?4 THEN ?5 ELSE note END,
         store_id = CASE WHEN ?6 THEN ?7 ELSE store_id END,
         updated_at = ?8
       WHERE site_key = ?1 AND code = ?2`,
    )
    .bind(siteKey, code, p.status ?? null, 'note' in p ? 1 : 0, p.note ?? null, 'store_id' in p ? 1 : 0, p.store_id ?? null, now)
    .run();
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
