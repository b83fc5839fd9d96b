// /api/v1/leads: screening by online customer-service staff and lookup by store
// staff. Report tokens see and screen every lead of their sites (screening is
// the one write a report token may do: it judges lead quality, which is what
// the reports read); store tokens, and report tokens that name stores, only
// leads assigned to their stores.
import { Hono, type Context } from 'hono';
import { requireToken, type AuthEnv } from '../auth/tokens';
import { getLead, LEAD_STATUSES, listLeads, updateLead, type LeadPatch, type LeadStatus } from '../db/leads';
import type { Site } from '../db/sites';
import { notifyCrm } from '../crm/notify';
import { ApiError, badRequest } from '../errors';
import { normalizeLeadCode } from '../flows/lead-code';
import { leadJson } from '../flows/lead-json';
import { jsonBody } from './body';
import { dayRange } from './params';
import { assertStoreAccess, assertStoreOf, siteFor, storeFilter, waitUntilOf } from './scope';

export const leads = new Hono<AuthEnv>();

leads.use('*', requireToken('report', 'store'));

function status(v: unknown): LeadStatus {
  if (typeof v !== 'string' || !LEAD_STATUSES.includes(v as LeadStatus)) throw badRequest('invalid_field', `"status" must be one of ${LEAD_STATUSES.join(', ')}`);
  return v as LeadStatus;
}

leads.get('/', async (c) => {
  const site = await siteFor(c, c.req.query('site'));
  const { from, to } = dayRange(c);
  const limit = Number(c.req.query('limit') ?? 500);
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000) throw badRequest('invalid_parameter', '"limit" must be an integer from 1 to 1000');
  const q = c.req.query('status');
  const rows = await listLeads(c.env.DB, { siteKey: site.siteKey, from, to, status: q ? status(q) : undefined, stores: storeFilter(c.get('principal'), site.siteKey), limit });
  return c.json({ site: site.siteKey, from, to, leads: rows.map(leadJson) });
});

/** The lead, if this token may see it: a token that names stores only their leads. */
async function visibleLead(c: Context<AuthEnv>, site: Site) {
  const raw = c.req.param('code') ?? '';
  const code = normalizeLeadCode(raw);
  if (!code) throw badRequest('invalid_lead_code', `"${raw.slice(0, 20)}" is not a lead code (6 characters, no 0/O/1/I/L)`);
  const lead = await getLead(c.env.DB, site.siteKey, code);
  if (!lead) throw new ApiError(404, 'unknown_lead', `no lead "${code}" at site "${site.siteKey}"`);
  const p = c.get('principal');
  if (p.stores !== '*') {
    if (!lead.store_id) throw new ApiError(403, 'forbidden', 'this lead has no store yet: screen it with a report token for every store of the site');
    assertStoreAccess(p, site.siteKey, lead.store_id);
  }
  return lead;
}

leads.get('/:code', async (c) => {
  const site = await siteFor(c, c.req.query('site'));
  return c.json({ lead: leadJson(await visibleLead(c, site)) });
});

leads.patch('/:code', async (c) => {
  const b = await jsonBody(c, 8192);
  const site = await siteFor(c, b.site ?? c.req.query('site'));
  const lead = await visibleLead(c, site);
  const patch: LeadPatch = {};
  if (b.status !== undefined) patch.status = status(b.status);
  if (b.note !== undefined) {
    if (b.note !== null && (typeof b.note !== 'string' || b.note.length > 2000)) throw badRequest('invalid_field', '"note" must be a string of at most 2000 characters, or null');
    patch.note = b.note || null;
  }
  if (b.store !== undefined) patch.store_id = b.store === null ? null : await assertStoreOf(c, site, b.store);
  if (patch.store_id === null && c.get('principal').stores !== '*') throw new ApiError(403, 'forbidden', 'a token that names stores cannot unassign a lead');
  if (Object.keys(patch).length === 0) throw badRequest('missing_field', 'give at least one of "status", "note", "store"');
  await updateLead(c.env.DB, site.siteKey, lead.code, patch);
  const updated = leadJson((await getLead(c.env.DB, site.siteKey, lead.code))!);
  await notifyCrm(c.env.DB, site.siteKey, [{ type: 'lead.updated', data: { lead: updated } }], waitUntilOf(c));
  return c.json({ lead: updated });
});
