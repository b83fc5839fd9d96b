// /api/v1/leads: screening by online customer-service staff and lookup by store
// staff. Report tokens see and screen every lead of their sites (screening is
// the one write a report token may do: it judges lead quality, which is what
// the reports read); store tokens, and report tokens that name stores, only
// leads assigned to their stores.
import { Hono, type Context } from 'hono';
import { leadExample } from '../../protocol/examples';
import { LeadPatchBody, LeadsQuery, SiteQuery } from '../../protocol/staff';
import { requireToken } from '../auth/tokens';
import { adConversions, leadStatusIs, sendAdsSoon } from '../adplatforms/outbox';
import { notifyCrm } from '../crm/notify';
import { getLead, listLeads, updateLeadStatement, type LeadPatch } from '../db/leads';
import type { Site } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { normalizeLeadCode } from '../flows/lead-code';
import { leadJson } from '../flows/lead-json';
import { describe } from '../middleware/describe';
import { csvResponse } from '../reports/csv';
import { reportCsv } from '../reports/csv-headers';
import { site, type SiteEnv } from '../middleware/site';
import { json, query } from '../middleware/validate';
import { dayRangeOf } from './params';
import { assertStoreAccess, assertStoreOf, storeFilter, waitUntilOf } from './scope';

export const leads = new Hono<SiteEnv>();

/** The leads CSV: the JSON's fields but `props` (free-form), SKUs space-separated. */
const LEAD_COLUMNS = [
  'code', 'day', 'createdAt', 'status', 'store', 'budget', 'style', 'skus', 'note', 'region', 'city',
  'firstChannel', 'firstCampaign', 'firstPromoter', 'lastChannel', 'lastCampaign', 'lastPromoter', 'visitor', 'updatedAt',
  'source', 'conversation', // 0012: last, so a spreadsheet reading the columns by position keeps working
];

leads.use('*', requireToken('report', 'store'));

leads.get(
  '/',
  describe({
    tag: 'Leads', auth: 'report or store', summary: "A site's leads (预约单) made in a range of local days, newest first",
    description: 'With `format=csv`, the same leads as CSV (UTF-8 with a BOM; the budget in yuan; `lang=zh-CN` for Chinese headers). `source=callback` lists the customers who asked to be called back; `desk`, the visits the service desk booked; `form`, the visitors\' own forms.',
    ok: { example: { site: 'demo', from: '2026-12-01', to: '2026-12-07', leads: [leadExample] } },
  }),
  query(LeadsQuery),
  site('query'),
  async (c) => {
    const q = c.req.valid('query');
    const s = c.get('site');
    const { from, to } = dayRangeOf(q);
    // `store` narrows to one store the token may act for (403 otherwise, as for every store it names).
    if (q.store) assertStoreAccess(c.get('principal'), s.siteKey, q.store);
    const stores = q.store ? [q.store] : storeFilter(c.get('principal'), s.siteKey);
    const rows = await listLeads(c.env.DB, { siteKey: s.siteKey, from, to, status: q.status, source: q.source, stores, limit: q.limit });
    const list = rows.map(leadJson);
    if (q.format === 'csv') {
      const flat = list.map((l) => ({ ...l, skus: l.skus.join(' ') }));
      return csvResponse(reportCsv(LEAD_COLUMNS, flat, q.lang), `leads-${s.siteKey}-${from}-${to}`);
    }
    return c.json({ site: s.siteKey, from, to, leads: list });
  },
);

/** The lead, if this token may see it: a token that names stores only their leads. */
async function visibleLead(c: Context<SiteEnv>, site: Site) {
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

leads.get(
  '/:code',
  describe({ tag: 'Leads', auth: 'report or store', summary: 'Read one lead by its code', ok: { example: { lead: leadExample } }, errors: { 404: 'No such lead' } }),
  query(SiteQuery),
  site('query'),
  async (c) => c.json({ lead: leadJson(await visibleLead(c, c.get('site'))) }),
);

leads.patch(
  '/:code',
  describe({
    tag: 'Leads', auth: 'report or store', summary: 'Screen a lead: its status, a note, its store',
    description: 'A token that names stores may not unassign a lead. The change is sent to the CRM webhook as `lead.updated`.',
    ok: { example: { lead: { ...leadExample, status: 'qualified', note: '已电话确认，周六到店' } } },
    errors: { 404: 'No such lead or store' },
  }),
  json(LeadPatchBody, { max: 8192 }),
  site('json', 'query'),
  async (c) => {
    const b = c.req.valid('json');
    const s = c.get('site');
    const lead = await visibleLead(c, s);
    const patch: LeadPatch = {};
    if (b.status !== undefined) patch.status = b.status;
    if (b.note !== undefined) patch.note = b.note || null;
    if (b.store !== undefined) patch.store_id = b.store === null ? null : await assertStoreOf(c, s, b.store);
    if (patch.store_id === null && c.get('principal').stores !== '*') throw new ApiError(403, 'forbidden', 'a token that names stores cannot unassign a lead');
    if (Object.keys(patch).length === 0) throw badRequest('missing_field', 'give at least one of "status", "note", "store"');
    // A screening result is a conversion for the ad platforms (qualified → valid lead, unqualified → invalid, the note its
    // reason), written with the update and only if the lead has that status after it (worker/adplatforms/).
    const now = Date.now();
    const screened = patch.status === 'qualified' || patch.status === 'unqualified' ? patch.status : null;
    const ads = screened ? [adConversions(c.env.DB, s.siteKey, lead.code, screened, { at: now, note: 'note' in patch ? patch.note : lead.note }, now, leadStatusIs(s.siteKey, lead.code, screened))] : [];
    const done = await c.env.DB.batch([updateLeadStatement(c.env.DB, s.siteKey, lead.code, patch, now), ...ads]);
    if ((done[1]?.meta.changes ?? 0) > 0) sendAdsSoon(c.env.DB, c.env as unknown as Record<string, unknown>, s.siteKey, waitUntilOf(c));
    const updated = leadJson((await getLead(c.env.DB, s.siteKey, lead.code))!);
    await notifyCrm(c.env.DB, s.siteKey, [{ type: 'lead.updated', data: { lead: updated } }], waitUntilOf(c));
    return c.json({ lead: updated });
  },
);
