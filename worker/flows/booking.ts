// Booking a store visit for a visitor: the service desk's appointment (POST
// /api/v1/leads, also what an external chat system calls) and a visitor's
// request to be called back (POST /chat/callback). A booking is the visitor's
// appointment event, made here and sent down the path a form's takes through
// /collect: the same event check, the same lead made at once with a provisional
// credit (ingest/edge.ts leadsNow), the same queue message, and the fold then
// credits the lead from the visitor's touches in event-time order and writes
// its lead.created webhook in its batch. So a booking and a form of the same
// visitor count alike, and the funnel counts the appointment once.
//
// One appointment per visitor, store and local day: a booking's event id is a
// digest of (source, visitor, store, day), so the same booking sent twice (a
// retry, two agents, two tabs) is one event and one lead; a booking and the
// visitor's form for that store and day share the lead that came first
// (db/leads.ts, `partner`). Either way the second answers the first's code.
import type { LeadJson } from '../../protocol/staff';
import type { Props, WireEvent } from '../../protocol/wire';
import { sha256Hex } from '../auth/tokens';
import { conversationVisitor, linkConversation, visitorForBooking, type BookingVisitor } from '../db/booking';
import { existingStores, getLead } from '../db/leads';
import type { Site } from '../db/sites';
import type { RequestFacts } from '../enrich';
import { ApiError, badRequest } from '../errors';
import { checkBatch, leadsNow, messageOf } from '../ingest/edge';
import type { IngestMessage } from '../ingest/message';
import { localDay } from '../time';
import { leadJson } from './lead-json';
import type { LeadExtra } from './leads';

/** What a booking says, checked (protocol/booking.ts BookingBody, or the chat's callback body). */
export interface BookingRequest {
  visitor: string;
  source: 'desk' | 'callback';
  store?: string; // required for a desk booking; a callback may leave it to the call
  budget?: number | null; // minor units
  style?: string;
  skus?: string[];
  time?: string;
  note?: string;
  conversation?: string;
  name?: string;
  phone?: string;
}

export interface Booked {
  lead: LeadJson;
  duplicate: boolean; // the visitor already had this appointment: its lead, not a new one
}

/** The runtime a booking needs, passed in (flows never reach for it): the database and the ingest queue. */
export interface BookingDeps {
  db: D1Database;
  queue: Queue<IngestMessage>;
  /** The visitor a desk conversation belongs to, from its own object (null when it holds none: a chat system's id). */
  roomVisitor?: (conversation: string) => Promise<string | null>;
}

export async function bookForVisitor(deps: BookingDeps, site: Site, b: BookingRequest, now = Date.now()): Promise<Booked> {
  const { db } = deps;
  const store = b.store || null;
  if (!store && b.source !== 'callback') throw badRequest('missing_field', '"store" is required: the store the customer will visit');
  if (store && !(await existingStores(db, site.siteKey, [store])).has(store)) {
    throw new ApiError(404, 'unknown_store', `site "${site.siteKey}" has no store "${store}"`);
  }
  if (b.conversation) {
    // The desk's conversation knows its visitor from its first message; D1's row only once its events are in.
    const owner = (await deps.roomVisitor?.(b.conversation)) ?? (await conversationVisitor(db, site.siteKey, b.conversation));
    if (owner && owner !== b.visitor) throw new ApiError(409, 'conversation_mismatch', `conversation "${b.conversation}" is another visitor's`);
  }
  const known = await visitorForBooking(db, site.siteKey, b.visitor);
  const event = await appointmentEvent(site, b, store, known, now);
  const facts = factsOf(known, now);
  // The form's own check, so a booking's event is one /collect would take.
  const checked = checkBatch(site, [event], facts);
  const refused = checked.result.rejected[0];
  if (refused) throw badRequest(refused.code, refused.message);
  const msg = messageOf(site, checked.events, facts);
  const leads = await leadsNow(db, site, msg, new Map([[event.i, extraOf(b)]]));
  const code = leads?.codes[event.i];
  if (!code) {
    // Another visitor's event holds this id (a digest of this visitor's: a forgery), or no free code was drawn.
    if (leads?.taken.has(event.i)) throw new ApiError(409, 'id_taken', 'this booking\'s event id is another visitor\'s');
    throw new ApiError(503, 'no_free_code', 'no free lead code could be drawn: send the booking again', undefined, { 'Retry-After': '1' });
  }
  try {
    // Sent again when the booking is a repeat: the fold drops an event it has, and folds one a refused send left out.
    await deps.queue.send(msg, { contentType: 'json' });
  } catch (err) {
    console.error('enqueue booking', err);
    throw new ApiError(503, 'queue_unavailable', 'the ingest queue refused the booking; send it again (it keeps its code)', undefined, { 'Retry-After': '5' });
  }
  if (b.conversation) await db.batch(linkConversation(db, site.siteKey, b.conversation, { code, visitor: b.visitor }, now));
  const row = await getLead(db, site.siteKey, code);
  if (!row) throw new ApiError(503, 'lead_gone', 'the lead was not found right after it was made: send the booking again');
  return { lead: leadJson(row), duplicate: !leads!.made.has(event.i) };
}

/** The appointment event a form would send for this booking: store, budget (yuan, as the form sends it), style and the SKU. */
async function appointmentEvent(site: Site, b: BookingRequest, store: string | null, known: BookingVisitor | null, now: number): Promise<WireEvent> {
  const day = localDay(now, site.timezone);
  const i = `${b.source === 'desk' ? 'bk' : 'cb'}_${(await sha256Hex(`${b.source}\n${b.visitor}\n${store ?? ''}\n${day}`)).slice(0, 40)}`;
  const p: Props = {};
  if (store) p.store = store;
  if (b.budget !== undefined && b.budget !== null) p.budget = b.budget / 100;
  if (b.style) p.style = b.style;
  if (b.skus?.length) p.sku = b.skus[0];
  // The visitor's last session when the site knows them; else the booking's own.
  const e: WireEvent = { i, t: 'appointment', ts: now, v: b.visitor, ss: known?.last_session ?? i };
  if (Object.keys(p).length) e.p = p;
  return e;
}

/**
 * The request facts of the visitor, not of the agent's request: the place the
 * fold last saw the visitor in (null for a visitor it has not seen), no user
 * agent or page hosts (an appointment has no landing to classify).
 */
function factsOf(known: BookingVisitor | null, now: number): RequestFacts {
  return {
    receivedAt: now, country: known?.country ?? null, region: known?.region ?? null, city: known?.city ?? null,
    device: (known?.device ?? null) as RequestFacts['device'], // the fold wrote it from a RequestFacts
    userAgent: '', bot: false, pageHosts: [],
  };
}

/** What the lead keeps beyond the event: the name, phone and time only there, never in an event chunk. */
function extraOf(b: BookingRequest): LeadExtra {
  const props: Record<string, string> = {};
  if (b.name) props.name = b.name;
  if (b.phone) props.phone = b.phone;
  if (b.time) props.time = b.time;
  return { source: b.source, conversation: b.conversation ?? null, note: b.note || null, budget: b.budget ?? null, skus: b.skus ?? [], props };
}
