// GET|PUT /api/v1/admin/sites/:site/service: the site's first-response target
// (seconds), with the admin token. Its own router so the admin routes stay whole.
import { Hono } from 'hono';
import { requireToken, type AuthEnv } from '../auth/tokens';
import { getResponseTarget, setResponseTarget } from './tables';
import { getSite } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { jsonBody } from '../middleware/body';

export const serviceSettings = new Hono<AuthEnv>();

serviceSettings.use('*', requireToken('admin'));

async function knownSite(db: D1Database, siteKey: string): Promise<void> {
  if (!(await getSite(db, siteKey))) throw new ApiError(404, 'unknown_site', `site "${siteKey}" does not exist`);
}

serviceSettings.get('/', async (c) => {
  const siteKey = c.req.param('site')!;
  await knownSite(c.env.DB, siteKey);
  return c.json({ site: siteKey, responseTargetSeconds: await getResponseTarget(c.env.DB, siteKey) });
});

serviceSettings.put('/', async (c) => {
  const siteKey = c.req.param('site')!;
  await knownSite(c.env.DB, siteKey);
  const b = await jsonBody(c);
  const s = b.responseTargetSeconds;
  if (typeof s !== 'number' || !Number.isInteger(s) || s < 1 || s > 86_400) {
    throw badRequest('invalid_field', '"responseTargetSeconds" must be an integer from 1 to 86400');
  }
  await setResponseTarget(c.env.DB, siteKey, s);
  return c.json({ site: siteKey, responseTargetSeconds: s });
});
