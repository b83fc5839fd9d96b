// Booking a store visit for a visitor: what the service desk (or an external
// chat system) sends to POST /api/v1/leads, and what it gets back. The lead is
// made as the visitor's own appointment form makes one (worker/flows/booking.ts),
// so the bounds follow the form's: the wire protocol's limits for SKUs and a
// prop's text, the API's minor units for money.
import * as v from 'valibot';
import { CONVERSATION_LIMITS } from './chat';
import { siteKey, sku, storeId, visitorId } from './fields';
import type { LeadJson } from './staff';
import { LIMITS } from './wire';

export const BOOKING_LIMITS = {
  maxBudget: 1e12, // minor units: 10 billion yuan, the form's own ceiling (flows/leads.ts budgetMinor)
  timeLength: 64, // "周六下午", "2026-12-06 14:00": as the agent and the customer agreed it
  noteLength: 2000, // as a screening note (PATCH /api/v1/leads/:code)
  nameLength: 40,
  phoneLength: 20,
} as const;
const L = BOOKING_LIMITS;

// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
/** Plain text as typed: control characters but tab and newline dropped, trimmed; stored and shown as text, never markup. */
const plain = (max: number, what: string) =>
  v.pipe(
    v.string(`must be ${what} of at most ${max} characters`),
    v.transform((s) => s.replace(CONTROL, '').trim()),
    v.maxLength(max, `must be ${what} of at most ${max} characters`),
  );

const PHONE = `must be a phone number: 5 to ${L.phoneLength} digits, spaces, "+", "-" or brackets`;

/** `POST /api/v1/leads`: book a store visit for a visitor (a service or admin token). */
export const BookingBody = v.object({
  site: v.optional(siteKey),
  visitor: v.pipe(visitorId, v.description("The visitor's id (the script tag keeps it in localStorage: `JSON.parse(localStorage.o2o_id)[0]`; the chat widget sends it). One the site has not seen yet still books, credited `direct`."), v.examples(['v_8Jq2LrX0aZ'])),
  store: v.optional(v.pipe(storeId, v.description('The store to visit: required, except for a callback.'))),
  source: v.optional(
    v.pipe(
      v.picklist(['desk', 'callback'], 'must be "desk" or "callback"'),
      v.description('`desk` (the default): the agent booked the visit. `callback`: the customer asked to be called back (the store may be left out).'),
    ),
    'desk',
  ),
  budget: v.optional(
    v.nullable(
      v.pipe(
        v.number(`must be an integer number of minor units (fen) from 0 to ${L.maxBudget}`),
        v.integer(`must be an integer number of minor units (fen) from 0 to ${L.maxBudget}`),
        v.minValue(0, `must be an integer number of minor units (fen) from 0 to ${L.maxBudget}`),
        v.maxValue(L.maxBudget, `must be an integer number of minor units (fen) from 0 to ${L.maxBudget}`),
        v.description("The customer's budget, minor units (fen)."),
        v.examples([800_000]),
      ),
    ),
  ),
  style: v.optional(v.pipe(plain(LIMITS.propValueLength, 'a style'), v.examples(['现代简约']))),
  skus: v.optional(v.pipe(v.array(sku, 'must be an array of SKUs'), v.maxLength(LIMITS.maxSkus, `must list at most ${LIMITS.maxSkus} SKUs`))),
  time: v.optional(v.pipe(plain(L.timeLength, 'a time'), v.description('When the customer will come, as agreed (free text).'), v.examples(['周六下午']))),
  note: v.optional(v.pipe(plain(L.noteLength, 'a note'), v.description("The agent's note: kept as the lead's screening note."))),
  conversation: v.optional(
    v.pipe(
      v.string("must be the chat's conversation id"),
      v.regex(/^[^\u0000-\u001f\u007f]+$/, "must be the chat's conversation id"), // eslint-disable-line no-control-regex
      v.maxLength(CONVERSATION_LIMITS.conversationIdLength, `must be a conversation id of at most ${CONVERSATION_LIMITS.conversationIdLength} characters`),
      v.description('The conversation it was booked in (the desk\'s, or the id your chat system reports to POST /api/v1/conversations): the service report counts it as booked, and the desk posts the code into that chat.'),
    ),
  ),
  name: v.optional(plain(L.nameLength, 'a name')),
  phone: v.optional(v.pipe(v.string(PHONE), v.trim(), v.regex(new RegExp(`^\\+?[0-9 ()-]{5,${L.phoneLength}}$`), PHONE))),
});
export type BookingInput = v.InferOutput<typeof BookingBody>;

/** `POST /api/v1/leads` answers this: 201 with a new lead, 200 with the lead the visitor already had for that store and day. */
export interface BookingResult {
  lead: LeadJson;
  duplicate: boolean; // the visitor already had this appointment (a form or a booking for the same store and local day): its lead
}
