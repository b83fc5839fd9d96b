// /api/v1/admin/*: the admin token (a Worker secret) creates and updates sites
// and stores, and issues and revokes the report and store tokens (admin-tokens.ts);
// the ingest views and the archive are admin-ingest.ts.
import { Hono } from 'hono';
import { adminExamples as ex, SITE_CODES, SiteBody, SitePatchBody, StoreBody, StoreParams, type StoreJson } from '../../protocol/admin';
import { parseRules } from '../attribution/rules';
import { requireToken } from '../auth/tokens';
import { mergeNames } from '../db/channel-names';
import { createSite, getSite, listSites, updateSite, upsertStore, type SitePatch } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { json, param } from '../middleware/validate';
import { isValidTimeZone } from '../time';
import { startRecredit } from '../ingest/recredit';
import { adminIngest } from './admin-ingest';
import { adminTokens } from './admin-tokens';

export const admin = new Hono<SiteEnv>();

admin.use('*', requireToken('admin'));

const tag = 'Admin: sites';

/**
 * The settings a body gave (those it left out are absent, and keep their stored
 * value). The schema checked their shape; the time zone is checked against the
 * runtime's zones and the channel rules by parseRules (attribution/rules.ts).
 * Channel names are merged into the site's `current` ones (db/channel-names.ts).
 */
function settings(
  b: Omit<SitePatch, 'channelRules' | 'channelNames'> & { channelRules?: unknown[]; channelNames?: Record<string, string | null>; siteKey?: unknown },
  current: Record<string, string> = {},
): SitePatch {
  const { siteKey: _key, channelRules, channelNames, ...given } = b;
  if (given.timezone !== undefined && !isValidTimeZone(given.timezone)) throw badRequest('invalid_field', `"timezone" "${given.timezone}" is not an IANA time zone`);
  const patch: SitePatch = given;
  if (channelNames !== undefined) patch.channelNames = mergeNames(current, channelNames);
  if (channelRules !== undefined) {
    const p = parseRules(channelRules);
    if (!p.ok) throw badRequest('invalid_field', p.message);
    patch.channelRules = p.rules;
  }
  return patch;
}

admin.get('/sites', describe({ tag, auth: 'admin', summary: 'Every site with its settings', ok: { example: ex.sites } }), async (c) =>
  c.json({ sites: await listSites(c.env.DB) }),
);

admin.post(
  '/sites',
  describe({
    tag, auth: 'admin', summary: 'Create a site',
    description: 'Settings left out take their defaults: timezone Asia/Shanghai, currency CNY, a 30-day attribution window, 90 days of raw events, no origins, no mini programs (`miniprogramAppIds`), no channel rules, no channel names.',
    ok: { status: 201, example: ex.site }, errors: { 409: 'The site key is taken' },
  }),
  json(SiteBody, { codes: SITE_CODES }),
  async (c) => {
    const b = c.req.valid('json');
    if (!(await createSite(c.env.DB, { ...settings(b), siteKey: b.siteKey, name: b.name }))) {
      throw new ApiError(409, 'site_exists', `site "${b.siteKey}" already exists`);
    }
    return c.json({ site: await getSite(c.env.DB, b.siteKey) }, 201);
  },
);

admin.get('/sites/:site', describe({ tag, auth: 'admin', summary: "A site's settings", ok: { example: ex.site }, errors: { 404: 'No such site' } }), site('param'), async (c) =>
  c.json({ site: c.get('site') }),
);

admin.patch(
  '/sites/:site',
  describe({
    tag, auth: 'admin', summary: "Change a site's settings: only those the body names",
    description: 'A site key cannot change: create a new site. `channelNames` is merged: a code given a name is set, a code given null loses its name, the others keep theirs. A new `halfLifeDays` re-shares the time-decay attribution of every visitor, lead, arrival and deal in the background, through the ingest queue (a page of visitors per message): until it is done, time-decay answers mix the two half-lives.',
    ok: { example: ex.site }, errors: { 404: 'No such site' },
  }),
  site('param'),
  json(SitePatchBody, { codes: SITE_CODES }),
  async (c) => {
    const { siteKey: key, channelNames, halfLifeDays } = c.get('site');
    await updateSite(c.env.DB, key, settings(c.req.valid('json'), channelNames));
    const updated = await getSite(c.env.DB, key);
    // A new half-life re-shares the time-decay credit, on the queue (ingest/recredit.ts).
    if (updated && updated.halfLifeDays !== halfLifeDays) await startRecredit(c.env.INGEST, updated);
    return c.json({ site: updated });
  },
);

admin.put(
  '/sites/:site/stores/:store',
  describe({ tag, auth: 'admin', summary: 'Create or rename a store', ok: { example: ex.store }, errors: { 404: 'No such site' } }),
  param(StoreParams),
  site('param'),
  json(StoreBody),
  async (c) => {
    const b = c.req.valid('json');
    const store: StoreJson = { siteKey: c.get('site').siteKey, storeId: c.req.valid('param').store, name: b.name, region: b.region || null, city: b.city || null };
    if (b.address !== undefined) store.address = b.address || null;
    store.address = await upsertStore(c.env.DB, store);
    return c.json({ store });
  },
);

admin.route('/tokens', adminTokens);
admin.route('/', adminIngest);
