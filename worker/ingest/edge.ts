// POST /collect past the HTTP layer: check the batch, enrich it and hand it to
// the ingest queue. Nothing here writes D1 for views, dwell, consults or custom
// events; only an appointment makes its lead at once, so the page can show the
// code (the fold credits it later, in event-time order: worker/ingest/fold.ts).
import { LIMITS, type CollectResult, type WireEvent } from '../../protocol/wire';
import { classifyLanding, type LandingContext } from '../attribution/classify';
import { clickIdParams, storedRules } from '../attribution/rules';
import { applyLanding, creditAt } from '../attribution/model';
import { ownHosts } from '../auth/origins';
import { type VisitorUpdate } from '../attribution/model';
import { getVisitors } from '../db/visitors';
import { getSiteCached, type Site } from '../db/sites';
import { clampTs, type RequestFacts } from '../enrich';
import { ApiError, badRequest } from '../errors';
import { leadsForAppointments, type AppointmentLeads, type LeadExtra } from '../flows/leads';
import { checkEvent } from '../validate/event';
import { MESSAGE_VERSION, type IngestMessage, type QueuedEvent } from './message';
import { storedEvent } from './stored';

export interface ParsedBatch {
  siteKey: string;
  events: unknown[];
}

/** Parses the envelope. The body is already size-checked. */
export function parseBatch(text: string): ParsedBatch {
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw badRequest('invalid_json', 'body is not valid JSON');
  }
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw badRequest('invalid_batch', 'body must be an object { s: siteKey, e: events[] }');
  }
  const { s, e } = body as { s?: unknown; e?: unknown };
  if (typeof s !== 'string' || !s || s.length > LIMITS.siteKeyLength) {
    throw badRequest('invalid_batch', `"s" must be a site key of at most ${LIMITS.siteKeyLength} characters`);
  }
  if (!Array.isArray(e)) throw badRequest('invalid_batch', '"e" must be an array of events');
  return { siteKey: s, events: e };
}

export async function resolveSite(db: D1Database, siteKey: string): Promise<Site> {
  const site = await getSiteCached(db, siteKey);
  if (!site) throw new ApiError(403, 'unknown_site', `site "${siteKey}" is not registered`);
  return site;
}

export interface CheckedBatch {
  result: CollectResult; // the answer, less the leads
  events: QueuedEvent[]; // what goes to the queue, oldest first
}

/**
 * Validates each event on its own (one bad event never costs the good ones),
 * drops what the request itself repeats, clamps times and classifies landings.
 */
export function checkBatch(site: Site, raw: unknown[], facts: RequestFacts): CheckedBatch {
  const result: CollectResult = { accepted: 0, duplicates: 0, rejected: [] };
  const rules = storedRules(site.channelRules);
  const siteParams = clickIdParams(rules);
  const ctx: LandingContext = { rules, ownHosts: ownHosts(site, facts.pageHosts), userAgent: facts.userAgent };
  const seen = new Set<string>();
  const valid: WireEvent[] = [];
  raw.slice(0, LIMITS.maxEvents).forEach((r, index) => {
    const c = checkEvent(r, siteParams);
    if (!c.ok) {
      result.rejected.push({ index, id: idOf(r), code: c.code, message: c.message });
    } else if (seen.has(c.event.i)) {
      // The same id twice in one request is one event; repeats across requests are the fold's to drop.
      result.accepted++;
      result.duplicates++;
    } else {
      seen.add(c.event.i);
      valid.push(c.event);
    }
  });
  // One entry for the whole overflow keeps the answer small whatever the body holds.
  if (raw.length > LIMITS.maxEvents) {
    result.rejected.push({
      index: LIMITS.maxEvents, code: 'too_many_events',
      message: `a batch holds at most ${LIMITS.maxEvents} events: events ${LIMITS.maxEvents} to ${raw.length - 1} were refused`,
    });
  }
  result.accepted += valid.length;
  const events = valid
    .map((e): QueuedEvent => {
      const ev = { ...e, ts: clampTs(e.ts, facts.receivedAt) };
      return ev.t === 'view' ? { e: ev, l: classifyLanding(ev, ctx) } : { e: ev };
    })
    .sort((a, b) => a.e.ts - b.e.ts);
  return { result, events };
}

export function messageOf(site: Site, events: QueuedEvent[], facts: RequestFacts): IngestMessage {
  return {
    v: MESSAGE_VERSION, site: site.siteKey, at: facts.receivedAt,
    geo: { country: facts.country, region: facts.region, city: facts.city, device: facts.device },
    events,
  };
}

/**
 * The leads of the batch's appointments, made now so the page gets its code.
 * Their touch is provisional: the visitor's row as it stands, with this
 * request's own landings applied; the fold re-credits each lead in event-time order.
 * `extras`: what a desk booking adds to its lead (flows/booking.ts).
 */
export async function leadsNow(db: D1Database, site: Site, msg: IngestMessage, extras?: Map<string, LeadExtra>): Promise<AppointmentLeads | undefined> {
  const appts = msg.events.filter((q) => q.e.t === 'appointment');
  if (!appts.length) return undefined;
  const ids = [...new Set(appts.map((q) => q.e.v))];
  const known = await getVisitors(db, site.siteKey, ids);
  const state = new Map<string, VisitorUpdate>();
  for (const [id, row] of known) state.set(id, { ...row, country: null, region: null, city: null, device: null });
  const rows = [];
  for (const q of msg.events) {
    if (!ids.includes(q.e.v)) continue;
    if (q.l) state.set(q.e.v, applyLanding(state.get(q.e.v) ?? null, q.e.v, q.l, q.e.ss, q.e.ts, site.attributionDays, msg.geo));
    if (q.e.t !== 'appointment') continue;
    const { first, last } = creditAt(state.get(q.e.v), q.e.ts, site.attributionDays);
    rows.push(storedEvent(site, q.e, msg, first, last));
  }
  return leadsForAppointments(db, site, rows, extras);
}

/**
 * Refuses the appointments whose event id already made another visitor's lead:
 * out of the message, into `rejected` (they would otherwise take that lead's
 * code and credit). Returns the message's events that remain.
 */
export function refuseTaken(checked: CheckedBatch, raw: unknown[], taken: Set<string>): QueuedEvent[] {
  if (!taken.size) return checked.events;
  for (const id of taken) {
    checked.result.accepted--;
    checked.result.rejected.push({
      index: raw.findIndex((r) => (r as { i?: unknown } | null)?.i === id), id, code: 'id_taken',
      message: `event id "${id}" already made another visitor's appointment: make a new id`,
    });
  }
  return checked.events.filter((q) => !taken.has(q.e.i));
}

// A queue message is at most 128 KB; the edge's message carries each event
// with its classified landing, so it can be larger than the body it came in.
const MAX_MESSAGE_BYTES = 120 * 1024;
const utf8 = new TextEncoder();

/** The message, split into as few messages under the queue's size limit as its events need. */
export function splitMessage(msg: IngestMessage): IngestMessage[] {
  const whole = utf8.encode(JSON.stringify(msg)).length;
  if (whole <= MAX_MESSAGE_BYTES) return [msg];
  const base = utf8.encode(JSON.stringify({ ...msg, events: [] })).length;
  const out: IngestMessage[] = [];
  let cur: QueuedEvent[] = [];
  let size = base;
  for (const q of msg.events) {
    const n = utf8.encode(JSON.stringify(q)).length + 1;
    if (cur.length && size + n > MAX_MESSAGE_BYTES) {
      out.push({ ...msg, events: cur });
      cur = [];
      size = base;
    }
    cur.push(q);
    size += n;
  }
  if (cur.length) out.push({ ...msg, events: cur });
  return out;
}

function idOf(r: unknown): string | undefined {
  const i = (r as { i?: unknown } | null)?.i;
  return typeof i === 'string' ? i.slice(0, LIMITS.idLength) : undefined;
}
