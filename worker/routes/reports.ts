// /api/v1/reports/*: read-only summaries for report clients and the dashboard.
import { Hono } from 'hono';
import { assertSite, requireToken, type AuthEnv } from '../auth/tokens';
import { channelReport } from '../db/reports';
import { dayRange, requiredParam } from './params';

export const reports = new Hono<AuthEnv>();

reports.use('*', requireToken('report'));

reports.get('/channels', async (c) => {
  const site = requiredParam(c, 'site');
  assertSite(c.get('principal'), site);
  const { from, to } = dayRange(c);
  const rows = await channelReport(c.env.DB, site, from, to);
  return c.json({ site, from, to, attribution: 'last', rows });
});
