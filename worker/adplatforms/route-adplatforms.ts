// /api/v1/admin/sites/:site/adplatforms: the site's connectors to the ad
// platforms (one per platform) and the conversions sent to them. A connector
// names the Worker secret that holds its credential; no credential is ever
// stored in D1, taken in a body or answered.
import { Hono, type Context } from 'hono';
import {
  AdConnectorBody, AdDeliveriesQuery, AdPlatformParams, adPlatformExamples as ex, SECRET_PREFIX,
  type AdConnectorInput, type AdConnectorJson, type AdDeliveryJson, type AdPlatform,
} from '../../protocol/adplatforms';
import { requireToken } from '../auth/tokens';
import { ApiError, badRequest } from '../errors';
import { describe } from '../middleware/describe';
import { json, param, query } from '../middleware/validate';
import { site, type SiteEnv } from '../middleware/site';
import { badTypes, mergeTypes, PLATFORMS } from './stages';
import {
  adDeliveryCounts, deleteConnector, getConnector, listAdDeliveries, listConnectors, putConnector, settingsOf, typesOf,
  type AdDeliveryRow, type ConnectorRow,
} from './sql';

export const adplatforms = new Hono<SiteEnv>();

adplatforms.use('*', requireToken('admin'));

const tag = 'Admin: ad platforms';
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const secretSet = (env: object, name: string | null) => !!name && typeof (env as Record<string, unknown>)[name] === 'string' && !!(env as Record<string, string>)[name];

async function connectorJson(c: Context<SiteEnv>, r: ConnectorRow): Promise<AdConnectorJson> {
  return {
    site: r.site_key, platform: r.platform, enabled: r.enabled === 1, secretName: r.secret_name, secretSet: secretSet(c.env, r.secret_name),
    types: typesOf(r), settings: settingsOf(r), createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!,
    deliveries: await adDeliveryCounts(c.env.DB, r.site_key, r.platform),
  };
}

const deliveryJson = (d: AdDeliveryRow): AdDeliveryJson => ({
  id: d.id, platform: d.platform, lead: d.lead_code, stage: d.stage, type: d.conv_type, clickId: d.click_id, value: d.value,
  status: d.status, attempts: d.attempts, lastStatus: d.last_status, lastError: d.last_error, sent: d.sent, answer: d.answer,
  happenedAt: iso(d.happened_at)!, nextAttemptAt: d.status === 'pending' ? iso(d.next_at) : null, createdAt: iso(d.created_at)!, deliveredAt: iso(d.delivered_at),
});

/** The row a PUT makes: the body over what was stored; refused when the platform could not be sent to. */
function merged(c: Context<SiteEnv>, platform: AdPlatform, b: AdConnectorInput, prev: ConnectorRow | null, now: number): ConnectorRow {
  const p = PLATFORMS[platform];
  const secretName = b.secretName === undefined ? (prev?.secret_name ?? null) : b.secretName;
  if (secretName !== null && !secretName.startsWith(SECRET_PREFIX[platform])) {
    throw badRequest('invalid_field', `"secretName" must start with ${SECRET_PREFIX[platform]} for ${platform}, so no other secret of the worker can be sent to it`);
  }
  if (p.needsSecret && secretName === null) throw badRequest('missing_field', `"secretName" is required for ${platform}: the Worker secret holding its credential`);
  if (secretName !== null && !secretSet(c.env, secretName)) {
    throw badRequest('unknown_secret', `the worker has no secret ${secretName}: run \`wrangler secret put ${secretName}\` first`);
  }
  const types = mergeTypes(platform, prev ? typesOf(prev) : null, b.types);
  const bad = badTypes(platform, types);
  if (bad.length) {
    throw badRequest('invalid_field', `"types.${bad[0]}" must be ${platform === 'baidu' ? 'a Baidu conversion type number (newType)' : `one of ${platform}'s conversion type words`}`);
  }
  const settings = { ...(prev ? settingsOf(prev) : {}) };
  for (const k of ['accountId', 'userActionSetId', 'appKey'] as const) if (b[k] !== undefined) settings[k] = b[k];
  const missing = p.requires.filter((k) => !settings[k]);
  if (missing.length) throw badRequest('missing_field', `"${missing[0]}" is required for ${platform}`);
  return {
    site_key: c.get('site').siteKey, platform, secret_name: secretName, types: JSON.stringify(types), settings: JSON.stringify(settings),
    enabled: (b.enabled ?? (prev ? prev.enabled === 1 : true)) ? 1 : 0, created_at: prev?.created_at ?? now, updated_at: now,
  };
}

adplatforms.get(
  '/sites/:site/adplatforms',
  describe({ tag, auth: 'admin', summary: "The site's ad platform connectors and their conversions by status", ok: { example: ex.connectors }, errors: { 404: 'No such site' } }),
  site('param'),
  async (c) => {
    const key = c.get('site').siteKey;
    const rows = await listConnectors(c.env.DB, key);
    return c.json({ site: key, connectors: await Promise.all(rows.map((r) => connectorJson(c, r))) });
  },
);

// Before /adplatforms/:platform, which would take "deliveries" for a platform.
adplatforms.get(
  '/sites/:site/adplatforms/deliveries',
  describe({
    tag, auth: 'admin', summary: 'The latest 100 conversions sent to the ad platforms: what was sent (credential masked) and what each platform answered',
    description: '`status` and `platform` filter. A conversion is retried with backoff (1 min … 24 h, 8 attempts) until the platform takes it.',
    ok: { example: ex.deliveries }, errors: { 404: 'No such site' },
  }),
  site('param'),
  query(AdDeliveriesQuery),
  async (c) => {
    const key = c.get('site').siteKey;
    return c.json({ site: key, deliveries: (await listAdDeliveries(c.env.DB, key, c.req.valid('query'))).map(deliveryJson) });
  },
);

adplatforms.put(
  '/sites/:site/adplatforms/:platform',
  describe({
    tag, auth: 'admin', summary: 'Add or change the connector to an ad platform (baidu, oceanengine, tencent, qihoo360)',
    description: '`secretName` names the Worker secret holding the credential (`wrangler secret put BAIDU_OCPC_TOKEN_MUYU`); it must exist and start with the platform\'s prefix. `types` maps the funnel\'s stages to the platform\'s conversion types over the platform\'s defaults; null stops a stage. Tencent needs `accountId` and `userActionSetId`, 360 its `appKey`.',
    ok: { status: 201, description: 'Added (200 when changed)', example: ex.connector }, errors: { 404: 'No such site' },
  }),
  site('param'),
  param(AdPlatformParams),
  json(AdConnectorBody, { max: 8192 }),
  async (c) => {
    const { platform } = c.req.valid('param');
    const prev = await getConnector(c.env.DB, c.get('site').siteKey, platform);
    const row = merged(c, platform, c.req.valid('json'), prev, Date.now());
    await putConnector(c.env.DB, row);
    return c.json({ connector: await connectorJson(c, row) }, prev ? 200 : 201);
  },
);

adplatforms.delete(
  '/sites/:site/adplatforms/:platform',
  describe({ tag, auth: 'admin', summary: 'Remove a connector (its unsent conversions fail; sent ones stay listed)', ok: { example: ex.removed }, errors: { 404: 'No such site or connector' } }),
  site('param'),
  param(AdPlatformParams),
  async (c) => {
    const key = c.get('site').siteKey;
    const { platform } = c.req.valid('param');
    if (!(await deleteConnector(c.env.DB, key, platform, Date.now()))) throw new ApiError(404, 'no_connector', `site "${key}" has no ${platform} connector`);
    return c.json({ site: key, platform, removed: true });
  },
);
