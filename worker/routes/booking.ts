// POST /api/v1/leads: the service desk (or an external chat system) books a
// store visit for the visitor it is talking to. A service token of the site, or
// the admin token; one that names stores books only for those. Mounted before
// the leads router (routes/leads.ts), whose reads a service token may not use.
import { Hono } from 'hono';
import { BookingBody, type BookingResult } from '../../protocol/booking';
import { bookingExample } from '../../protocol/examples';
import { requireToken } from '../auth/tokens';
import { notifyBooked } from '../desk/notify';
import { roomOf } from '../desk/stubs';
import { bookForVisitor } from '../flows/booking';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { json } from '../middleware/validate';
import { assertStoreAccess, assertWholeSite, waitUntilOf } from './scope';

export const booking = new Hono<SiteEnv>();

booking.post(
  '/',
  describe({
    tag: 'Leads', auth: 'service', summary: 'Book a store visit (预约) for a visitor: the lead a form appointment would make',
    description:
      'The lead is made as the visitor\'s own appointment form makes one: the same credit from the visitor\'s touches, the same `lead.created` webhook, one appointment in the funnel. ' +
      'A visitor already booked for that store and local day (by the form or an earlier booking) keeps that lead: the answer is `200` with it and `duplicate: true`. ' +
      'A visitor the site has not seen yet still books (credited `direct`). With `conversation`, the service report counts that conversation as booked and the desk posts the code into the chat. ' +
      '`source: "callback"` records a customer who asked to be called back (the store may be left out).',
    ok: { status: 201, description: 'Booked: a new lead (200 with `duplicate: true` for the visitor\'s existing one)', example: bookingExample },
    errors: { 404: 'No such site or store (`unknown_store`)', 409: 'The conversation is another visitor\'s (`conversation_mismatch`)', 503: 'The ingest queue refused it: send it again (it keeps its code)' },
  }),
  requireToken('service'),
  json(BookingBody, { max: 16 * 1024 }),
  site('json'),
  async (c) => {
    const b = c.req.valid('json');
    const s = c.get('site');
    if (b.store) assertStoreAccess(c.get('principal'), s.siteKey, b.store);
    else assertWholeSite(c.get('principal'), 'a booking without a store');
    const roomVisitor = async (conv: string) => (await roomOf(c.env, s.siteKey, conv).summary())?.visitor ?? null;
    const booked = await bookForVisitor({ db: c.env.DB, queue: c.env.INGEST, roomVisitor }, s, b);
    // The chat shows the code and the store's address; the answer does not wait for it.
    if (b.conversation && booked.lead.store) {
      waitUntilOf(c)(notifyBooked(c.env, s.siteKey, b.conversation, { lead: booked.lead.code, store: booked.lead.store }).catch((err) => console.error('notify booked', err)));
    }
    // One queue message: what a test waits for the fold of, as after /collect.
    c.header('O2O-Queued', '1');
    return c.json(booked satisfies BookingResult, booked.duplicate ? 200 : 201);
  },
);
