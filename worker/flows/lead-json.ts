// How a lead looks to the API and the CRM: camelCase, JSON columns parsed,
// money in minor units of the site's currency.
import type { LeadJson, LeadSummary } from '../../protocol/staff';
import type { LeadRow } from '../db/leads';

export type { LeadJson, LeadSummary };

export function leadJson(l: LeadRow): LeadJson {
  return {
    code: l.code, site: l.site_key, status: l.status, source: l.source, conversation: l.conversation_id, note: l.note, store: l.store_id, visitor: l.visitor_id,
    budget: l.budget, style: l.style, skus: JSON.parse(l.skus) as string[], props: l.props ? JSON.parse(l.props) : {},
    createdAt: new Date(l.created_at).toISOString(), updatedAt: new Date(l.updated_at).toISOString(), day: l.day,
    firstChannel: l.first_channel, firstCampaign: l.first_campaign, firstPromoter: l.first_promoter,
    lastChannel: l.last_channel, lastCampaign: l.last_campaign, lastPromoter: l.last_promoter,
    region: l.region, city: l.city,
  };
}

export function leadSummary(l: LeadJson): LeadSummary {
  return { code: l.code, store: l.store, budget: l.budget, style: l.style, skus: l.skus };
}
