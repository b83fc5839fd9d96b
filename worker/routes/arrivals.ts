// POST /api/v1/arrivals: store staff check a customer in (到店) by lead code, or
// by visitor id for a walk-in. Store token for that store.
import { Hono } from 'hono';
import { arrivalExample } from '../../protocol/examples';
import { ArrivalBody, type ArrivalResult } from '../../protocol/staff';
import { canStore, requireToken } from '../auth/tokens';
import { recordArrival } from '../flows/arrivals';
import { leadSummary } from '../flows/lead-json';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { json } from '../middleware/validate';
import { importRoute } from './import';
import { assertStoreOf, waitUntilOf } from './scope';

export const arrivals = new Hono<SiteEnv>();

arrivals.use('*', requireToken('store'));

arrivals.post(
  '/',
  describe({
    tag: 'Store staff', auth: 'store', summary: 'Check a customer in (到店) by lead code, or a walk-in by visitor id',
    description: 'One arrival per person, store and local day: a second check-in the same day answers 200 with `duplicate: true`.',
    ok: { status: 201, description: 'Recorded (200 when already recorded today)', example: arrivalExample },
    errors: { 404: 'No such site, store or lead' },
  }),
  json(ArrivalBody, { max: 4096 }),
  site('json'),
  async (c) => {
    const b = c.req.valid('json');
    const s = c.get('site');
    const store = await assertStoreOf(c, s, b.store);
    const out = await recordArrival(c.env.DB, s, { ...b, store }, 'staff', waitUntilOf(c));
    // A customer may arrive at another store than the one booked: that store's
    // staff see what serves the customer, not the other store's screening.
    const mine = out.lead?.store != null && canStore(c.get('principal'), s.siteKey, out.lead.store);
    const res: ArrivalResult = { ...out, lead: out.lead && !mine ? leadSummary(out.lead) : out.lead };
    return c.json(res, out.duplicate ? 200 : 201);
  },
);

importRoute(arrivals, 'arrivals');
