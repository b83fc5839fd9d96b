// /api/v1/deals: store staff record a deal (成交) once per Idempotency-Key, read
// it back, and void it with a reason. Store token for the deal's store.
import { Hono, type Context } from 'hono';
import { requireToken, type AuthEnv } from '../auth/tokens';
import { dealById, dealItems } from '../db/deals';
import { getSite } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { dealJson, IDEMPOTENCY_KEY, recordDeal, voidDealWithReason } from '../flows/deals';
import { field, jsonBody } from './body';
import { assertStoreAccess, assertStoreOf, siteFor, waitUntilOf } from './scope';

export const deals = new Hono<AuthEnv>();

deals.use('*', requireToken('store'));

deals.post('/', async (c) => {
  const key = c.req.header('idempotency-key');
  if (!key) throw badRequest('missing_idempotency_key', 'send an "Idempotency-Key" header (e.g. the receipt number or a UUID) so a retried request records one deal');
  if (!IDEMPOTENCY_KEY.test(key)) throw badRequest('invalid_idempotency_key', '"Idempotency-Key" must be 1 to 128 printable ASCII characters');
  const b = await jsonBody(c, 32 * 1024);
  const site = await siteFor(c, b.site);
  const store = await assertStoreOf(c, site, b.store);
  const out = await recordDeal(c.env.DB, site, store, { key, body: b }, waitUntilOf(c));
  return c.json(out, out.duplicate ? 200 : 201);
});

/** The deal if this token may see it: 404 for an id it can't know, 403 for another store's. */
async function loadDeal(c: Context<AuthEnv>, id: string) {
  const p = c.get('principal');
  const d = await dealById(c.env.DB, id, p.sites);
  if (!d) throw new ApiError(404, 'unknown_deal', `no deal "${id}"`);
  assertStoreAccess(p, d.site_key, d.store_id);
  return { d, site: (await getSite(c.env.DB, d.site_key))! };
}

deals.get('/:id', async (c) => {
  const { d, site } = await loadDeal(c, c.req.param('id'));
  return c.json({ deal: dealJson(site, d, await dealItems(c.env.DB, d.site_key, d.id)) });
});

deals.post('/:id/void', async (c) => {
  const { d, site } = await loadDeal(c, c.req.param('id'));
  const b = await jsonBody(c, 4096);
  const reason = field(b, 'reason', 500, true);
  return c.json({ deal: await voidDealWithReason(c.env.DB, site, d, reason, waitUntilOf(c)) });
});
