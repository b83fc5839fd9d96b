// /api/v1/admin/sites/:site/crm: the site's CRM webhook (URL + signing secret)
// and its deliveries, so the admin sees what failed, how often, and why.
import { Hono, type Context } from 'hono';
import { nanoid } from 'nanoid';
import {
  adminExamples as ex, CrmBody, DeliveriesQuery, DeliveryParams,
  type CrmDeliveryJson, type CrmJson, type CrmSetJson,
} from '../../protocol/admin';
import { requireToken } from '../auth/tokens';
import { deliveryCounts, getCrm, listDeliveries, putCrm, requeueDelivery, type DeliveryRow } from '../db/crm';
import { deliverDue } from '../crm/deliver';
import { ApiError } from '../errors';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { json, param, query } from '../middleware/validate';

export const crm = new Hono<SiteEnv>();

crm.use('*', requireToken('admin'));

const tag = 'Admin: CRM webhook';

const deliveryJson = (d: DeliveryRow): CrmDeliveryJson => ({
  id: d.id, type: d.type, status: d.status, attempts: d.attempts, lastStatus: d.last_status, lastError: d.last_error,
  nextAttemptAt: d.status === 'pending' ? new Date(d.next_at).toISOString() : null,
  createdAt: new Date(d.created_at).toISOString(), deliveredAt: d.delivered_at ? new Date(d.delivered_at).toISOString() : null,
});

/** The site's webhook settings, or 404 no_crm. */
async function settingsOf(c: Context<SiteEnv>) {
  const key = c.get('site').siteKey;
  const s = await getCrm(c.env.DB, key);
  if (!s) throw new ApiError(404, 'no_crm', `site "${key}" has no CRM webhook`);
  return s;
}

crm.put(
  '/sites/:site/crm',
  describe({
    tag, auth: 'admin', summary: "Set the site's CRM webhook",
    description: 'A secret left out is kept, or made the first time and shown in this answer only. `enabled: false` pauses the hook: nothing is queued while paused.',
    ok: { status: 201, description: 'Set for the first time (200 when changed)', example: ex.crmSet }, errors: { 404: 'No such site' },
  }),
  site('param'),
  json(CrmBody, { max: 4096 }),
  async (c) => {
    const key = c.get('site').siteKey;
    const { url, secret: given, enabled = true } = c.req.valid('json');
    const prev = await getCrm(c.env.DB, key);
    // Keep the old secret when only the URL or switch changes; a new one is shown once.
    const secret = given ?? prev?.secret ?? `whsec_${nanoid(32)}`;
    await putCrm(c.env.DB, { site_key: key, url, secret, enabled: enabled ? 1 : 0, updated_at: Date.now() });
    const shown = secret !== prev?.secret && given === undefined;
    return c.json({ site: key, url, enabled, ...(shown ? { secret } : {}) } satisfies CrmSetJson, prev ? 200 : 201);
  },
);

crm.get(
  '/sites/:site/crm',
  describe({ tag, auth: 'admin', summary: 'The webhook, its deliveries by status and the last one (never the secret)', ok: { example: ex.crm }, errors: { 404: 'No such site, or no webhook' } }),
  site('param'),
  async (c) => {
    const s = await settingsOf(c);
    const [last] = await listDeliveries(c.env.DB, s.site_key, null, 1);
    return c.json({
      site: s.site_key, url: s.url, enabled: s.enabled === 1, updatedAt: new Date(s.updated_at).toISOString(),
      deliveries: await deliveryCounts(c.env.DB, s.site_key), last: last ? deliveryJson(last) : null,
    } satisfies CrmJson);
  },
);

crm.delete(
  '/sites/:site/crm',
  describe({ tag, auth: 'admin', summary: 'Pause the webhook (its settings are kept)', ok: { example: ex.crmPaused }, errors: { 404: 'No such site, or no webhook' } }),
  site('param'),
  async (c) => {
    const s = await settingsOf(c);
    await putCrm(c.env.DB, { ...s, enabled: 0, updated_at: Date.now() });
    return c.json({ site: s.site_key, enabled: false });
  },
);

crm.get(
  '/sites/:site/crm/deliveries',
  describe({ tag, auth: 'admin', summary: 'The latest 100 deliveries, newest first; `status` picks one kind', ok: { example: ex.deliveries }, errors: { 404: 'No such site' } }),
  site('param'),
  query(DeliveriesQuery),
  async (c) => {
    const key = c.get('site').siteKey;
    const rows = await listDeliveries(c.env.DB, key, c.req.valid('query').status ?? null, 100);
    return c.json({ site: key, deliveries: rows.map(deliveryJson) });
  },
);

crm.post(
  '/sites/:site/crm/deliveries/:id/retry',
  describe({ tag, auth: 'admin', summary: 'Send a failed delivery again, now', ok: { status: 202, example: ex.retried }, errors: { 404: 'No such site, or no failed delivery of that id' } }),
  site('param'),
  param(DeliveryParams),
  async (c) => {
    const key = c.get('site').siteKey;
    const { id } = c.req.valid('param');
    if (!(await requeueDelivery(c.env.DB, key, id, Date.now()))) throw new ApiError(404, 'no_failed_delivery', `no failed delivery "${id}" at site "${key}"`);
    c.executionCtx.waitUntil(deliverDue(c.env.DB, { siteKey: key }));
    return c.json({ site: key, id, status: 'pending' as const }, 202);
  },
);
