// Who arrived or bought: a lead (by code) or a visitor (by id), and the touches
// to credit. A lead's snapshot from its appointment wins; a visitor with a lead
// is credited through that lead; a walk-in with none is credited through the
// visitors table (and is 'direct' if the worker never saw it online).
import { LIMITS } from '../../protocol/wire';
import { creditAt, DIRECT_SNAPSHOT, snapshotOf, type TouchSnapshot } from '../attribution/model';
import { getLead, leadOfVisitor, type LeadRow } from '../db/leads';
import { getVisitors } from '../db/visitors';
import type { Site } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { normalizeLeadCode } from './lead-code';

export interface Customer {
  lead: LeadRow | null;
  visitorId: string | null;
  snapshot: TouchSnapshot;
}

const VISITOR_ID = /^[A-Za-z0-9_-]+$/;

export function checkVisitorId(v: unknown): string {
  if (typeof v !== 'string' || !v || v.length > LIMITS.idLength || !VISITOR_ID.test(v)) {
    throw badRequest('invalid_field', `"visitor" must be a visitor id: at most ${LIMITS.idLength} URL-safe characters`);
  }
  return v;
}

export async function resolveCustomer(
  db: D1Database, site: Site, who: { lead?: unknown; visitor?: unknown }, storeId: string, at: number,
): Promise<Customer> {
  if (who.lead !== undefined && who.lead !== null && who.lead !== '') {
    if (typeof who.lead !== 'string') throw badRequest('invalid_field', '"lead" must be a lead code');
    const code = normalizeLeadCode(who.lead);
    if (!code) throw badRequest('invalid_lead_code', `"${who.lead.slice(0, 20)}" is not a lead code (6 characters, no 0/O/1/I/L)`);
    const lead = await getLead(db, site.siteKey, code);
    if (!lead) throw new ApiError(404, 'unknown_lead', `no lead "${code}" at site "${site.siteKey}"`);
    return { lead, visitorId: lead.visitor_id, snapshot: lead };
  }
  if (who.visitor === undefined || who.visitor === null || who.visitor === '') {
    throw badRequest('missing_field', 'give "lead" (a lead code) or "visitor" (a visitor id)');
  }
  const visitorId = checkVisitorId(who.visitor);
  const lead = await leadOfVisitor(db, site.siteKey, visitorId, storeId);
  if (lead) return { lead, visitorId, snapshot: lead };
  const { snapshot } = await visitorSnapshot(db, site.siteKey, visitorId, at, site.attributionDays);
  return { lead: null, visitorId, snapshot };
}

/** Just the six touch columns of a row that has more. */
export function pickSnapshot(s: TouchSnapshot): TouchSnapshot {
  return {
    first_channel: s.first_channel, first_campaign: s.first_campaign, first_promoter: s.first_promoter,
    last_channel: s.last_channel, last_campaign: s.last_campaign, last_promoter: s.last_promoter,
  };
}

/**
 * A walk-in's snapshot from the visitors table, credited as ingest credits an
 * event at `at`: past the attribution window the last touch earns nothing.
 */
export async function visitorSnapshot(db: D1Database, siteKey: string, visitorId: string, at: number, windowDays: number): Promise<{ known: boolean; snapshot: TouchSnapshot }> {
  const v = (await getVisitors(db, siteKey, [visitorId])).get(visitorId);
  if (!v) return { known: false, snapshot: DIRECT_SNAPSHOT };
  const { first, last } = creditAt(v, at, windowDays);
  return { known: true, snapshot: snapshotOf(first, last) };
}
