// /api/v1/admin/*: the admin token (a Worker secret) creates sites, stores and
// the report and store tokens that everyone else uses.
import { Hono } from 'hono';
import { createToken, requireToken, type AuthEnv } from '../auth/tokens';
import { createSite, getSite, listSites, upsertStore } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { isValidTimeZone } from '../time';
import { field, jsonBody, stringList } from './body';

export const admin = new Hono<AuthEnv>();

admin.use('*', requireToken('admin'));

const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;

admin.get('/sites', async (c) => c.json({ sites: await listSites(c.env.DB) }));

admin.post('/sites', async (c) => {
  const b = await jsonBody(c);
  const siteKey = field(b, 'siteKey', 64, true);
  if (!KEY.test(siteKey)) throw badRequest('invalid_field', '"siteKey" must be lowercase letters, digits, "-" or "_"');
  const timezone = field(b, 'timezone', 64);
  if (timezone && !isValidTimeZone(timezone)) throw badRequest('invalid_field', `"timezone" "${timezone}" is not an IANA time zone`);
  const origins = stringList(b, 'origins', 50, 200);
  for (const o of origins ?? []) {
    if (!/^https?:\/\/[^/]+$/.test(o)) throw badRequest('invalid_field', `origin "${o}" must be scheme://host[:port] with no path`);
  }
  const created = await createSite(c.env.DB, {
    siteKey, name: field(b, 'name', 200, true), origins, timezone,
    currency: field(b, 'currency', 3),
  });
  if (!created) throw new ApiError(409, 'site_exists', `site "${siteKey}" already exists`);
  return c.json({ site: await getSite(c.env.DB, siteKey) }, 201);
});

admin.put('/sites/:site/stores/:store', async (c) => {
  const siteKey = c.req.param('site');
  const storeId = c.req.param('store');
  if (!KEY.test(storeId)) throw badRequest('invalid_field', 'store id must be lowercase letters, digits, "-" or "_"');
  if (!(await getSite(c.env.DB, siteKey))) throw new ApiError(404, 'unknown_site', `site "${siteKey}" does not exist`);
  const b = await jsonBody(c);
  const store = { siteKey, storeId, name: field(b, 'name', 200, true), region: field(b, 'region', 100) ?? null, city: field(b, 'city', 100) ?? null };
  await upsertStore(c.env.DB, store);
  return c.json({ store });
});

admin.post('/tokens', async (c) => {
  const b = await jsonBody(c);
  const kind = b.kind;
  if (kind !== 'report' && kind !== 'store') throw badRequest('invalid_field', '"kind" must be "report" or "store"');
  const sites = stringList(b, 'sites', 100, 64);
  if (!sites?.length) throw badRequest('missing_field', '"sites" must name at least one site');
  const stores = stringList(b, 'stores', 500, 64);
  if (kind === 'store' && !stores?.length) throw badRequest('missing_field', 'a store token must name its "stores"');
  const { id, secret } = await createToken(c.env.DB, { kind, sites, stores, label: field(b, 'label', 200) });
  // The secret is shown once, here; only its hash is kept.
  return c.json({ id, kind, sites, stores: stores ?? [], token: secret }, 201);
});
