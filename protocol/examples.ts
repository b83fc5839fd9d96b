// Example answers, one per endpoint, for the OpenAPI description. Typed by the
// protocol's answer types, so an example that drifts from the contract fails
// the typecheck.
import type { ArrivalResult, DealJson, ImportResult, LeadJson } from './staff';

const at = '2026-12-01T06:30:00.000Z';

export const leadExample: LeadJson = {
  code: '2Y649R', site: 'demo', status: 'new', note: null, store: 'sh-xuhui', visitor: 'v_8Jq2LrX0aZ', budget: 800_000, style: '现代简约',
  skus: ['SOFA-01'], props: {}, createdAt: at, updatedAt: at, day: '2026-12-01',
  firstChannel: 'baidu_sem', firstCampaign: 'winter', firstPromoter: null, lastChannel: 'baidu_sem', lastCampaign: 'winter', lastPromoter: null,
  region: '上海', city: '上海',
};

export const arrivalExample: ArrivalResult = {
  arrival: {
    id: '2026-12-02:sh-xuhui:L:2Y649R', site: 'demo', store: 'sh-xuhui', lead: '2Y649R', visitor: 'v_8Jq2LrX0aZ', method: 'staff',
    at: '2026-12-02T03:10:00.000Z', day: '2026-12-02', firstChannel: 'baidu_sem', lastChannel: 'baidu_sem', lastCampaign: 'winter',
  },
  lead: leadExample,
  duplicate: false,
};

export const dealExample: DealJson = {
  id: 'deal_Vf3kQ9zL2mN8xR1t', site: 'demo', store: 'sh-xuhui', lead: '2Y649R', visitor: 'v_8Jq2LrX0aZ', amount: 1_350_000, budget: 800_000,
  currency: 'CNY', at: '2026-12-02T05:00:00.000Z', day: '2026-12-02', voided: false, voidedAt: null, voidReason: null,
  items: [{ sku: 'SOFA-01', qty: 1, amount: 1_350_000 }], firstChannel: 'baidu_sem', lastChannel: 'baidu_sem', lastCampaign: 'winter',
};

export const importExample: ImportResult = {
  dryRun: true,
  encoding: 'gbk',
  counts: { created: 0, duplicate: 1, would_create: 1, error: 1 },
  rows: [
    { row: 1, key: 'SO-20261203-001', status: 'would_create' },
    { row: 2, key: 'SO-20261203-002', status: 'duplicate', id: 'deal_Vf3kQ9zL2mN8xR1t' },
    { row: 3, key: 'SO-20261203-003', status: 'error', error: { code: 'unknown_lead', message: 'no lead "ZZZZZZ" at site "demo"' } },
  ],
};
