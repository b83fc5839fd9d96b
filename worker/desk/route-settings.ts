// GET|PUT /api/v1/admin/sites/:site/desk: the quick replies and topic tags the
// site's agents pick from in the desk (the desk reads them at GET
// /api/v1/desk/settings). Admin token. A PUT sets what it names.
import { Hono } from 'hono';
import { DeskSettingsBody } from '../../protocol/desk';
import { deskSettingsExample } from '../../protocol/examples';
import { requireToken } from '../auth/tokens';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { json } from '../middleware/validate';
import { getDeskSettings, setDeskSettings } from './tables';

export const deskSettings = new Hono<SiteEnv>();

deskSettings.use('*', requireToken('admin'));

const tag = 'Admin: sites';

deskSettings.get(
  '/',
  describe({ tag, auth: 'admin', summary: 'The desk\'s quick replies and topic tags', ok: { example: deskSettingsExample }, errors: { 404: 'No such site' } }),
  site('param'),
  async (c) => c.json(await getDeskSettings(c.env.DB, c.get('site').siteKey)),
);

deskSettings.put(
  '/',
  describe({ tag, auth: 'admin', summary: 'Set the desk\'s quick replies (≤ 30, 200 characters each) and topic tags (≤ 30, 40 characters each)', ok: { example: deskSettingsExample }, errors: { 404: 'No such site' } }),
  site('param'),
  json(DeskSettingsBody, { max: 32 * 1024 }),
  async (c) => c.json(await setDeskSettings(c.env.DB, c.get('site').siteKey, c.req.valid('json'))),
);
