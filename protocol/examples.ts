// Example answers, one per endpoint, for the OpenAPI description. Typed by the
// protocol's answer types, so an example that drifts from the contract fails
// the typecheck.
import type { BookingResult } from './booking';
import type { ArrivalResult, DealJson, ImportResult, LeadJson } from './staff';
import type { ChatOpenAnswer, DeskSettings, DeskTicket, Transcript, VisitorContext } from './desk';

const at = '2026-12-01T06:30:00.000Z';

export const leadExample: LeadJson = {
  code: '2Y649R', site: 'demo', status: 'new', source: 'form', conversation: null, note: null, store: 'sh-xuhui', visitor: 'v_8Jq2LrX0aZ', budget: 800_000, style: '现代简约',
  skus: ['SOFA-01'], props: {}, createdAt: at, updatedAt: at, day: '2026-12-01',
  firstChannel: 'baidu_sem', firstCampaign: 'winter', firstPromoter: null, lastChannel: 'baidu_sem', lastCampaign: 'winter', lastPromoter: null,
  region: '上海', city: '上海',
};

/** A visit the service desk booked in a chat: the name and phone the agent took are the lead's props (never in an event). */
export const bookingExample: BookingResult = {
  lead: {
    ...leadExample, code: '7KQ3WD', source: 'desk', conversation: 'c_Vf3kQ9zL2mN8', note: '想看灰色布艺款，周六带家人来',
    skus: ['SOFA-01', 'TABLE-12'], props: { name: '王女士', phone: '138 0013 8000', time: '周六下午' },
  },
  duplicate: false,
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

// The consult desk (protocol/desk.ts).
export const contextExample: VisitorContext = {
  conversation: 'Q3x9LmP0aZ7rT2vY8nK1b', visitor: 'v_8Jq2LrX0aZ', known: true,
  firstChannel: 'baidu_sem', firstCampaign: 'winter', lastChannel: 'douyin_live', lastCampaign: null,
  region: '上海', city: '上海', device: 'mobile', firstSeen: '2026-11-28T02:10:00.000Z', lastSeen: '2026-12-01T06:29:00.000Z',
  page: '/sku/SOFA-01', sku: 'SOFA-01',
  visitDays: [{ day: '2026-12-01', channel: 'douyin_live', views: 4, consults: 1, appointments: 0 }, { day: '2026-11-28', channel: 'baidu_sem', views: 2, consults: 0, appointments: 0 }],
  skus: [{ sku: 'SOFA-01', views: 3, dwellMs: 95_000, lastDay: '2026-12-01' }],
  pages: [{ path: '/sku/SOFA-01', sku: 'SOFA-01', at: '2026-12-01T06:25:00.000Z', dwellMs: 62_000 }],
  leads: [],
};

export const transcriptExample: Transcript = {
  site: 'demo', conversation: 'Q3x9LmP0aZ7rT2vY8nK1b', visitor: 'v_8Jq2LrX0aZ', status: 'ended', agent: '小王', topics: ['价格'],
  messages: [
    { seq: 1, from: 'visitor', agent: null, text: '这款沙发有灰色吗？', at: '2026-12-01T06:30:00.000Z' },
    { seq: 2, from: 'agent', agent: '小王', text: '有的，徐汇店有现货，可以帮您预约到店看看。', at: '2026-12-01T06:30:20.000Z' },
    { seq: 3, from: 'system', agent: null, text: '', at: '2026-12-01T06:31:00.000Z', lead: '2Y649R' },
  ],
};

export const chatOpenExample: ChatOpenAnswer = { c: 'Q3x9LmP0aZ7rT2vY8nK1b', k: 'Zk2V9xQ4mL7pR0tW3yB6nC8dF1gH5jS2', status: 'waiting', agentsOnline: true };

export const deskTicketExample: DeskTicket = { ticket: 'V1StGXR8Z5jdHi6BmyTQ4xLpKw92NcRa', agent: '小王', site: 'demo', expiresAt: '2026-12-01T06:31:00.000Z' };

export const deskSettingsExample: DeskSettings = { site: 'demo', quickReplies: ['您好，请问想了解哪款产品？', '可以帮您预约到店体验。'], topicTags: ['价格', '尺寸定制', '配送'] };
