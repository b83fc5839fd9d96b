// GET|PUT /api/v1/admin/sites/:site/service: the site's first-response target
// (seconds), with the admin token. Its own router so the admin routes stay whole.
import { Hono } from 'hono';
import { adminExamples as ex, SERVICE_CODES, ServiceBody, type ServiceSettingsJson } from '../../protocol/admin';
import { requireToken } from '../auth/tokens';
import { getResponseTarget, setResponseTarget } from './tables';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { json } from '../middleware/validate';

export const serviceSettings = new Hono<SiteEnv>();

serviceSettings.use('*', requireToken('admin'));

const tag = 'Admin: sites';

serviceSettings.get(
  '/',
  describe({ tag, auth: 'admin', summary: "The site's first-response target for the service report, in seconds (default 30)", ok: { example: ex.service }, errors: { 404: 'No such site' } }),
  site('param'),
  async (c) => {
    const key = c.get('site').siteKey;
    return c.json({ site: key, responseTargetSeconds: await getResponseTarget(c.env.DB, key) } satisfies ServiceSettingsJson);
  },
);

serviceSettings.put(
  '/',
  describe({ tag, auth: 'admin', summary: "Set the site's first-response target (1 to 86400 seconds)", ok: { example: ex.service }, errors: { 404: 'No such site' } }),
  site('param'),
  json(ServiceBody, { codes: SERVICE_CODES }),
  async (c) => {
    const key = c.get('site').siteKey;
    const { responseTargetSeconds } = c.req.valid('json');
    await setResponseTarget(c.env.DB, key, responseTargetSeconds);
    return c.json({ site: key, responseTargetSeconds } satisfies ServiceSettingsJson);
  },
);
