// POST /api/v1/arrivals: store staff check a customer in (到店) by lead code, or
// by visitor id for a walk-in. Store token for that store.
import { Hono } from 'hono';
import { canStore, requireToken, type AuthEnv } from '../auth/tokens';
import { recordArrival } from '../flows/arrivals';
import { leadSummary } from '../flows/lead-json';
import { jsonBody } from './body';
import { assertStoreOf, siteFor, waitUntilOf } from './scope';

export const arrivals = new Hono<AuthEnv>();

arrivals.use('*', requireToken('store'));

arrivals.post('/', async (c) => {
  const b = await jsonBody(c, 4096);
  const site = await siteFor(c, b.site);
  const store = await assertStoreOf(c, site, b.store);
  const out = await recordArrival(c.env.DB, site, { lead: b.lead as string, visitor: b.visitor as string, store }, 'staff', waitUntilOf(c));
  // A customer may arrive at another store than the one booked: that store's
  // staff see what serves the customer, not the other store's screening.
  const mine = out.lead?.store != null && canStore(c.get('principal'), site.siteKey, out.lead.store);
  return c.json({ ...out, lead: out.lead && !mine ? leadSummary(out.lead) : out.lead }, out.duplicate ? 200 : 201);
});
