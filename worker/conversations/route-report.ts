// GET /api/v1/reports/service: how the online service team works, per agent,
// channel or day. Mounted in app.ts before the other /api/v1/reports routes.
import { Hono } from 'hono';
import { MAX_SERVICE_DAYS, ServiceQuery } from '../../protocol/chat';
import { requireToken } from '../auth/tokens';
import { badRequest } from '../errors';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { query } from '../middleware/validate';
import { csvResponse } from '../reports/csv';
import { dayRangeOf } from '../routes/params';
import { serviceCsv } from './csv';
import { summarise, type ServiceMetrics, type ServiceSummary } from './report';
import { serviceFacts } from './report-sql';
import { getResponseTarget } from './tables';

export const serviceReport = new Hono<SiteEnv>();

const DAY_MS = 86_400_000;

type ServiceReport = {
  site: string; from: string; to: string; by: string; timezone: string; targetSeconds: number; attributionDays: number; percentile: 'nearest-rank';
} & ServiceSummary;

const metrics: ServiceMetrics = {
  conversations: 40, visitors: 36, answered: 38, unanswered: 2, firstResponseMedianMs: 18_000, firstResponseP90Ms: 55_000,
  answeredWithinTarget: 26, withinTargetRate: 0.65, ended: 37, durationMedianMs: 310_000, replies: 412, appointments: 9, appointmentRate: 0.225,
  topTopics: [{ topic: 'price', conversations: 14, appointments: 4, appointmentRate: 0.2857 }],
};
const example: ServiceReport = {
  site: 'demo', from: '2026-12-01', to: '2026-12-07', by: 'agent', timezone: 'Asia/Shanghai', targetSeconds: 30, attributionDays: 30,
  percentile: 'nearest-rank', totals: metrics, rows: [{ agent: 'amy', ...metrics }], topics: metrics.topTopics,
  firstResponseBuckets: [{ upToS: 10, conversations: 9 }, { upToS: 30, conversations: 17 }, { upToS: null, conversations: 12 }],
};

serviceReport.get(
  '/',
  describe({
    tag: 'Reports', auth: 'report', summary: 'How the online service team works, per agent, channel or day',
    description: 'First response (nearest-rank median and p90), the share answered within the site\'s target, duration, replies, conversion to an appointment within the attribution window, and topics. `format=csv` answers a spreadsheet.',
    ok: { example },
    errors: { 404: 'No such site' },
  }),
  requireToken('report'),
  query(ServiceQuery),
  site('query'),
  async (c) => {
    const q = c.req.valid('query');
    const { from, to } = dayRangeOf(q);
    if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_SERVICE_DAYS) {
      throw badRequest('invalid_parameter', `the range may span at most ${MAX_SERVICE_DAYS} days`);
    }
    const s = c.get('site');
    const targetS = await getResponseTarget(c.env.DB, s.siteKey);
    const { facts, topics } = await serviceFacts(c.env.DB, s.siteKey, from, to, s.attributionDays * DAY_MS);
    const summary = summarise(facts, topics, { by: q.by, from, to, targetS, top: q.top });
    if (q.format === 'csv') return csvResponse(serviceCsv(q.by, summary.rows, q.lang), `service-${s.siteKey}-${q.by}-${from}-${to}`);
    const body: ServiceReport = {
      site: s.siteKey, from, to, by: q.by, timezone: s.timezone, targetSeconds: targetS,
      attributionDays: s.attributionDays, percentile: 'nearest-rank', ...summary,
    };
    return c.json(body);
  },
);
