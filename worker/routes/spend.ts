// PUT /api/v1/spend: a channel's marketing spend per day or per month, as JSON
// { site, rows: [{ channel, date, amount }] } or as CSV (text/csv, ?site=…)
// with a header naming channel, date and amount. Report tokens of the site and
// admin may upload: spend is marketing's own input to the reports it reads.
import { Hono, type Context, type Next } from 'hono';
import { describeRoute } from 'hono-openapi';
import { SpendBody, spendExample, SpendQuery, type SpendResult } from '../../protocol/reports';
import { requireToken } from '../auth/tokens';
import { putSpend } from '../db/spend';
import type { Site } from '../db/sites';
import { ApiError } from '../errors';
import { describe } from '../middleware/describe';
import { resolveSite, site, type SiteEnv } from '../middleware/site';
import { json, query } from '../middleware/validate';
import { spendCsvRows, spendDays, type SpendInput } from '../reports/spend';

export const spend = new Hono<SiteEnv>();

spend.use('*', requireToken('report'));

const MAX_CSV = 256 * 1024;

/** Checks every row (spendDays: the same rules for JSON and CSV), spreads months, and replaces those days. */
async function store(c: Context<SiteEnv>, s: Site, rows: SpendInput[]) {
  const days = spendDays(rows);
  await putSpend(c.env.DB, s.siteKey, days);
  const out: SpendResult = { site: s.siteKey, rows: rows.length, days: days.length };
  return c.json(out);
}

/** A CSV upload is read and stored here; JSON goes on to its schema; any other media type is 415. */
async function csvUpload(c: Context<SiteEnv>, next: Next) {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  if (type === 'application/json') return next();
  if (type !== 'text/csv') throw new ApiError(415, 'unsupported_media_type', 'send application/json or text/csv');
  const text = await c.req.text();
  if (text.length > MAX_CSV) throw new ApiError(413, 'body_too_large', `body exceeds ${MAX_CSV} bytes`);
  const rows = spendCsvRows(text);
  return store(c, await resolveSite(c, c.req.query('site')), rows);
}

spend.put(
  '/',
  describe({
    tag: 'Reports', auth: 'report', summary: "Upload a channel's marketing spend per day or per month",
    description: 'As JSON, or as CSV (`text/csv`, the site in the query) with a header naming `channel`, `date` and `amount` in any order. A month (`YYYY-MM`) is spread evenly over its days; uploading a day again replaces it. Amounts are integer minor units (fen). At most 2000 rows.',
    ok: { example: spendExample },
    errors: { 413: 'The body is over 256 KiB', 415: 'Neither application/json nor text/csv' },
  }),
  describeRoute({ requestBody: { content: { 'text/csv': { example: 'channel,date,amount\r\nbaidu_sem,2026-12,1500000\r\nwechat,2026-12-01,20000\r\n' } } } }),
  query(SpendQuery),
  csvUpload,
  json(SpendBody, { codes: { rows: 'invalid_body' } }),
  site('json', 'query'),
  async (c) => store(c, c.get('site'), c.req.valid('json').rows),
);
