// /api/v1/admin/*: the admin token (a Worker secret) creates and updates sites
// and stores, and issues and revokes the report and store tokens (admin-tokens.ts).
import { Hono } from 'hono';
import { parseRules } from '../attribution/rules';
import { requireToken, type AuthEnv } from '../auth/tokens';
import { clientDrops } from '../rollups/client-drops';
import { botHits } from '../db/visitors';
import { MIN_RETENTION_DAYS } from '../db/retention';
import { createSite, getSite, listSites, updateSite, upsertStore, type SitePatch } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { isValidTimeZone } from '../time';
import { adminIngest } from './admin-ingest';
import { adminTokens } from './admin-tokens';
import { field, jsonBody, stringList } from '../middleware/body';
import { dayRange } from './params';

export const admin = new Hono<AuthEnv>();

admin.use('*', requireToken('admin'));

const KEY = /^[a-z0-9][a-z0-9_-]{0,63}$/;
const ORIGIN = /^https?:\/\/[a-z0-9.-]+(:\d{1,5})?$/;

function int(o: Record<string, unknown>, key: string, min: number, max: number): number | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > max) {
    throw badRequest('invalid_field', `"${key}" must be a whole number from ${min} to ${max}`);
  }
  return v;
}

/** The settings a POST or PATCH may set, each checked; absent ones stay undefined. */
function settings(b: Record<string, unknown>): SitePatch {
  const timezone = field(b, 'timezone', 64);
  if (timezone && !isValidTimeZone(timezone)) throw badRequest('invalid_field', `"timezone" "${timezone}" is not an IANA time zone`);
  const origins = stringList(b, 'origins', 50, 200);
  for (const o of origins ?? []) {
    if (!ORIGIN.test(o)) throw badRequest('invalid_field', `origin "${o}" must be a lowercase scheme://host[:port] with no path, as browsers send it`);
  }
  let channelRules: SitePatch['channelRules'];
  if (b.channelRules !== undefined) {
    const p = parseRules(b.channelRules);
    if (!p.ok) throw badRequest('invalid_field', p.message);
    channelRules = p.rules;
  }
  const currency = field(b, 'currency', 3);
  if (currency && !/^[A-Z]{3}$/.test(currency)) throw badRequest('invalid_field', '"currency" must be an ISO 4217 code such as "CNY"');
  const patch: SitePatch = {
    name: field(b, 'name', 200), origins, timezone, currency, channelRules,
    attributionDays: int(b, 'attributionDays', 1, 365),
    retentionDays: int(b, 'retentionDays', MIN_RETENTION_DAYS, 3650),
  };
  return Object.fromEntries(Object.entries(patch).filter(([, v]) => v !== undefined)) as SitePatch;
}

async function siteOr404(db: D1Database, siteKey: string) {
  const site = await getSite(db, siteKey);
  if (!site) throw new ApiError(404, 'unknown_site', `site "${siteKey}" does not exist`);
  return site;
}

admin.get('/sites', async (c) => c.json({ sites: await listSites(c.env.DB) }));

admin.post('/sites', async (c) => {
  const b = await jsonBody(c);
  const siteKey = field(b, 'siteKey', 64, true);
  if (!KEY.test(siteKey)) throw badRequest('invalid_field', '"siteKey" must be lowercase letters, digits, "-" or "_"');
  const s = settings(b);
  const created = await createSite(c.env.DB, { ...s, siteKey, name: field(b, 'name', 200, true) });
  if (!created) throw new ApiError(409, 'site_exists', `site "${siteKey}" already exists`);
  return c.json({ site: await getSite(c.env.DB, siteKey) }, 201);
});

admin.get('/sites/:site', async (c) => c.json({ site: await siteOr404(c.env.DB, c.req.param('site')) }));

admin.patch('/sites/:site', async (c) => {
  const siteKey = c.req.param('site');
  await siteOr404(c.env.DB, siteKey);
  const b = await jsonBody(c);
  if ('siteKey' in b) throw badRequest('invalid_field', 'a site key cannot change: create a new site');
  await updateSite(c.env.DB, siteKey, settings(b));
  return c.json({ site: await getSite(c.env.DB, siteKey) });
});

// Known bots' traffic that /collect dropped, per local day.
admin.get('/sites/:site/bots', async (c) => {
  const siteKey = c.req.param('site');
  await siteOr404(c.env.DB, siteKey);
  const { from, to } = dayRange(c);
  return c.json({ site: siteKey, from, to, days: await botHits(c.env.DB, siteKey, from, to) });
});

// Events the SDK's retry queue had to drop in visitors' browsers, as they reported it, per local day.
admin.get('/sites/:site/client-drops', async (c) => {
  const siteKey = c.req.param('site');
  await siteOr404(c.env.DB, siteKey);
  const { from, to } = dayRange(c);
  return c.json({ site: siteKey, from, to, days: await clientDrops(c.env.DB, siteKey, from, to) });
});

admin.put('/sites/:site/stores/:store', async (c) => {
  const siteKey = c.req.param('site');
  const storeId = c.req.param('store');
  if (!KEY.test(storeId)) throw badRequest('invalid_field', 'store id must be lowercase letters, digits, "-" or "_"');
  await siteOr404(c.env.DB, siteKey);
  const b = await jsonBody(c);
  const store = { siteKey, storeId, name: field(b, 'name', 200, true), region: field(b, 'region', 100) ?? null, city: field(b, 'city', 100) ?? null };
  await upsertStore(c.env.DB, store);
  return c.json({ store });
});

admin.route('/tokens', adminTokens);
admin.route('/', adminIngest);
