// /api/v1/deals: store staff record a deal (成交) once per Idempotency-Key, read
// it back, and void it with a reason. Store token for the deal's store.
import { Hono, type Context } from 'hono';
import { dealExample } from '../../protocol/examples';
import { DealBody, VoidBody } from '../../protocol/staff';
import { requireToken } from '../auth/tokens';
import { dealById, dealItems } from '../db/deals';
import { getSite } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { dealJson, IDEMPOTENCY_KEY, recordDeal, voidDealWithReason } from '../flows/deals';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { json } from '../middleware/validate';
import { importRoute } from './import';
import { assertStoreAccess, assertStoreOf, waitUntilOf } from './scope';

export const deals = new Hono<SiteEnv>();

deals.use('*', requireToken('store'));

deals.post(
  '/',
  describe({
    tag: 'Store staff', auth: 'store', summary: 'Record a deal (成交)',
    description: 'Send an `Idempotency-Key` header (the receipt number or a UUID): a retried request with the same key and the same deal answers 200 with the deal recorded first; the same key with a different deal is 409. Give `items` ({sku, qty, amount} summing to `amount`) or `skus` (the amount split evenly).',
    ok: { status: 201, description: 'Recorded (200 for a replay of the same key)', example: { deal: dealExample, duplicate: false } },
    errors: { 404: 'No such site, store or lead', 409: 'The Idempotency-Key was used for a different deal' },
  }),
  json(DealBody, { max: 32 * 1024, codes: { amount: 'invalid_amount', budget: 'invalid_amount' } }),
  site('json'),
  async (c) => {
    const key = c.req.header('idempotency-key');
    if (!key) throw badRequest('missing_idempotency_key', 'send an "Idempotency-Key" header (e.g. the receipt number or a UUID) so a retried request records one deal');
    if (!IDEMPOTENCY_KEY.test(key)) throw badRequest('invalid_idempotency_key', '"Idempotency-Key" must be 1 to 128 printable ASCII characters');
    const b = c.req.valid('json');
    const s = c.get('site');
    const store = await assertStoreOf(c, s, b.store);
    const out = await recordDeal(c.env.DB, s, key, { ...b, store }, waitUntilOf(c));
    return c.json(out, out.duplicate ? 200 : 201);
  },
);

importRoute(deals, 'deals');

/** The deal if this token may see it: 404 for an id it can't know, 403 for another store's. */
async function loadDeal(c: Context<SiteEnv>, id: string) {
  const p = c.get('principal');
  const d = await dealById(c.env.DB, id, p.sites);
  if (!d) throw new ApiError(404, 'unknown_deal', `no deal "${id}"`);
  assertStoreAccess(p, d.site_key, d.store_id);
  return { d, site: (await getSite(c.env.DB, d.site_key))! };
}

deals.get(
  '/:id',
  describe({ tag: 'Store staff', auth: 'store', summary: 'Read a deal', ok: { example: { deal: dealExample } }, errors: { 404: 'No such deal' } }),
  async (c) => {
    const { d, site } = await loadDeal(c, c.req.param('id'));
    return c.json({ deal: dealJson(site, d, await dealItems(c.env.DB, d.site_key, d.id)) });
  },
);

deals.post(
  '/:id/void',
  describe({
    tag: 'Store staff', auth: 'store', summary: 'Void a deal with a reason (nothing is deleted)',
    ok: { example: { deal: { ...dealExample, voided: true, voidedAt: '2026-12-03T02:00:00.000Z', voidReason: '客户退货' } } },
    errors: { 404: 'No such deal', 409: 'Already void' },
  }),
  json(VoidBody, { max: 4096 }),
  async (c) => {
    const { d, site } = await loadDeal(c, c.req.param('id'));
    return c.json({ deal: await voidDealWithReason(c.env.DB, site, d, c.req.valid('json').reason, waitUntilOf(c)) });
  },
);
