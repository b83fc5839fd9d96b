// PUT /api/v1/spend: a channel's marketing spend per day or per month, as JSON
// { site, rows: [{ channel, date, amount }] } or as CSV (text/csv, ?site=…)
// with a header naming channel, date and amount. Report tokens of the site and
// admin may upload: spend is marketing's own input to the reports it reads.
import { Hono } from 'hono';
import { assertSite, requireToken, type AuthEnv } from '../auth/tokens';
import { putSpend } from '../db/spend';
import { ApiError, badRequest } from '../errors';
import { spendCsvRows, spendDays, type SpendInput } from '../reports/spend';
import { jsonBody } from '../middleware/body';

export const spend = new Hono<AuthEnv>();

spend.use('*', requireToken('report'));

const MAX_CSV = 256 * 1024;

spend.put('/', async (c) => {
  const type = (c.req.header('content-type') ?? '').split(';')[0].trim().toLowerCase();
  let site: unknown;
  let rows: SpendInput[];
  if (type === 'text/csv') {
    site = c.req.query('site');
    const text = await c.req.text();
    if (text.length > MAX_CSV) throw new ApiError(413, 'body_too_large', `body exceeds ${MAX_CSV} bytes`);
    rows = spendCsvRows(text);
  } else if (type === 'application/json') {
    const b = await jsonBody(c);
    site = b.site ?? c.req.query('site');
    if (!Array.isArray(b.rows)) throw badRequest('invalid_body', '"rows" must be an array of { channel, date, amount }');
    rows = b.rows.map((r: unknown) => (typeof r === 'object' && r !== null ? (r as SpendInput) : { channel: null, date: null, amount: null }));
  } else {
    throw new ApiError(415, 'unsupported_media_type', 'send application/json or text/csv');
  }
  if (typeof site !== 'string' || !site) throw badRequest('missing_parameter', '"site" is required (JSON field or query parameter)');
  assertSite(c.get('principal'), site);
  const days = spendDays(rows);
  await putSpend(c.env.DB, site, days);
  return c.json({ site, rows: rows.length, days: days.length });
});
