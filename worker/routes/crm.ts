// /api/v1/admin/sites/:site/crm: the site's CRM webhook (URL + signing secret)
// and its deliveries, so the admin sees what failed, how often, and why.
import { Hono, type Context } from 'hono';
import { nanoid } from 'nanoid';
import { requireToken, type AuthEnv } from '../auth/tokens';
import { deliveryCounts, getCrm, listDeliveries, putCrm, requeueDelivery, type DeliveryRow } from '../db/crm';
import { getSite } from '../db/sites';
import { deliverDue } from '../crm/deliver';
import { ApiError, badRequest } from '../errors';
import { field, jsonBody } from '../middleware/body';

export const crm = new Hono<AuthEnv>();

crm.use('*', requireToken('admin'));

async function siteKeyOf(c: Context<AuthEnv>): Promise<string> {
  const key = c.req.param('site')!;
  if (!(await getSite(c.env.DB, key))) throw new ApiError(404, 'unknown_site', `site "${key}" does not exist`);
  return key;
}

/** https anywhere; plain http only to local and test hosts, for development. */
function checkUrl(u: string): string {
  let url: URL;
  try {
    url = new URL(u);
  } catch {
    throw badRequest('invalid_field', '"url" must be an absolute URL');
  }
  const local = /^(localhost|127\.0\.0\.1|\[::1\])$|\.(test|localhost)$/.test(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local)) throw badRequest('invalid_field', '"url" must be https (http only for localhost and .test hosts)');
  return url.href;
}

const deliveryJson = (d: DeliveryRow) => ({
  id: d.id, type: d.type, status: d.status, attempts: d.attempts, lastStatus: d.last_status, lastError: d.last_error,
  nextAttemptAt: d.status === 'pending' ? new Date(d.next_at).toISOString() : null,
  createdAt: new Date(d.created_at).toISOString(), deliveredAt: d.delivered_at ? new Date(d.delivered_at).toISOString() : null,
});

crm.put('/sites/:site/crm', async (c) => {
  const siteKey = await siteKeyOf(c);
  const b = await jsonBody(c, 4096);
  const url = checkUrl(field(b, 'url', 2048, true));
  const given = field(b, 'secret', 200);
  if (given !== undefined && given.length < 16) throw badRequest('invalid_field', '"secret" must be at least 16 characters (or leave it out to get one)');
  if (b.enabled !== undefined && typeof b.enabled !== 'boolean') throw badRequest('invalid_field', '"enabled" must be true or false');
  const prev = await getCrm(c.env.DB, siteKey);
  // Keep the old secret when only the URL or switch changes; a new one is shown once.
  const secret = given ?? prev?.secret ?? `whsec_${nanoid(32)}`;
  await putCrm(c.env.DB, { site_key: siteKey, url, secret, enabled: b.enabled === false ? 0 : 1, updated_at: Date.now() });
  const shown = secret !== prev?.secret && given === undefined;
  return c.json({ site: siteKey, url, enabled: b.enabled !== false, ...(shown ? { secret } : {}) }, prev ? 200 : 201);
});

crm.get('/sites/:site/crm', async (c) => {
  const siteKey = await siteKeyOf(c);
  const s = await getCrm(c.env.DB, siteKey);
  if (!s) throw new ApiError(404, 'no_crm', `site "${siteKey}" has no CRM webhook`);
  const [last] = await listDeliveries(c.env.DB, siteKey, null, 1);
  return c.json({
    site: siteKey, url: s.url, enabled: s.enabled === 1, updatedAt: new Date(s.updated_at).toISOString(),
    deliveries: await deliveryCounts(c.env.DB, siteKey), last: last ? deliveryJson(last) : null,
  });
});

crm.delete('/sites/:site/crm', async (c) => {
  const siteKey = await siteKeyOf(c);
  const s = await getCrm(c.env.DB, siteKey);
  if (!s) throw new ApiError(404, 'no_crm', `site "${siteKey}" has no CRM webhook`);
  await putCrm(c.env.DB, { ...s, enabled: 0, updated_at: Date.now() });
  return c.json({ site: siteKey, enabled: false });
});

crm.get('/sites/:site/crm/deliveries', async (c) => {
  const siteKey = await siteKeyOf(c);
  const status = c.req.query('status') ?? null;
  if (status !== null && !['pending', 'delivered', 'failed'].includes(status)) throw badRequest('invalid_parameter', '"status" must be pending, delivered or failed');
  return c.json({ site: siteKey, deliveries: (await listDeliveries(c.env.DB, siteKey, status, 100)).map(deliveryJson) });
});

crm.post('/sites/:site/crm/deliveries/:id/retry', async (c) => {
  const siteKey = await siteKeyOf(c);
  if (!(await requeueDelivery(c.env.DB, siteKey, c.req.param('id'), Date.now()))) {
    throw new ApiError(404, 'no_failed_delivery', `no failed delivery "${c.req.param('id')}" at site "${siteKey}"`);
  }
  c.executionCtx.waitUntil(deliverDue(c.env.DB, { siteKey }));
  return c.json({ site: siteKey, id: c.req.param('id'), status: 'pending' }, 202);
});
