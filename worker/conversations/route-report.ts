// GET /api/v1/reports/service: how the online service team works, per agent,
// channel or day. Mounted in app.ts before the other /api/v1/reports routes.
import { Hono } from 'hono';
import { assertSite, requireToken, type AuthEnv } from '../auth/tokens';
import { getResponseTarget } from './tables';
import { serviceFacts } from './report-sql';
import { getSite } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { csvResponse } from '../reports/csv';
import { serviceCsv } from './csv';
import { SERVICE_GROUPS, summarise, type ServiceBy } from './report';
import { dayRange, requiredParam } from '../routes/params';

export const serviceReport = new Hono<AuthEnv>();

const MAX_DAYS = 731; // by=day returns one row per day of the range
const DAY_MS = 86_400_000;

serviceReport.get('/', requireToken('report'), async (c) => {
  const siteKey = requiredParam(c, 'site');
  assertSite(c.get('principal'), siteKey);
  const { from, to } = dayRange(c);
  if ((Date.parse(to) - Date.parse(from)) / DAY_MS >= MAX_DAYS) {
    throw badRequest('invalid_parameter', `the range may span at most ${MAX_DAYS} days`);
  }
  const by = (c.req.query('by') ?? 'agent') as ServiceBy;
  if (!SERVICE_GROUPS.includes(by)) throw badRequest('invalid_parameter', `"by" must be one of ${SERVICE_GROUPS.join(', ')}`);
  const topParam = c.req.query('top') ?? '5';
  const top = Number(topParam);
  if (!/^\d+$/.test(topParam) || top < 1 || top > 50) throw badRequest('invalid_parameter', '"top" must be an integer from 1 to 50');
  const format = c.req.query('format') ?? 'json';
  if (format !== 'json' && format !== 'csv') throw badRequest('invalid_parameter', '"format" must be json or csv');

  const site = await getSite(c.env.DB, siteKey);
  if (!site) throw new ApiError(404, 'unknown_site', `site "${siteKey}" does not exist`);
  const targetS = await getResponseTarget(c.env.DB, siteKey);
  const { facts, topics } = await serviceFacts(c.env.DB, siteKey, from, to, site.attributionDays * DAY_MS);
  const summary = summarise(facts, topics, { by, from, to, targetS, top });

  if (format === 'csv') {
    return csvResponse(serviceCsv(by, summary.rows), `service-${siteKey}-${by}-${from}-${to}`);
  }
  return c.json({
    site: siteKey, from, to, by, timezone: site.timezone, targetSeconds: targetS,
    attributionDays: site.attributionDays, percentile: 'nearest-rank', ...summary,
  });
});
