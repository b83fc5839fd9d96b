// POST /collect, past the HTTP layer: read the batch, keep every valid event
// exactly once, credit it to the visitor's touch, and say what was refused.
import { LIMITS, type CollectResult, type WireEvent } from '../../sdk/protocol';
import { classifyLanding, type LandingContext } from '../attribution/classify';
import { clickIdParams, storedRules } from '../attribution/rules';
import { applyLanding, lastTouchLive } from '../attribution/touch';
import { ownHosts } from '../auth/origins';
import { countBotHit, getVisitors, insertEvents, touchesOf, upsertVisitors, type StoredEvent, type Touch, type VisitorUpdate } from '../db/events';
import { rollupStatements } from '../db/rollups';
import { leadsForAppointments } from './leads';
import { getSiteCached, type Site } from '../db/sites';
import { clampTs, type RequestFacts } from '../enrich';
import { ApiError, badRequest } from '../errors';
import { localDay } from '../time';
import { checkEvent } from '../validate/event';

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

/** Validates, enriches and stores a batch for a known site. */
export async function ingest(db: D1Database, site: Site, raw: unknown[], facts: RequestFacts): Promise<CollectResult> {
  const result: CollectResult = { accepted: 0, duplicates: 0, rejected: [] };
  const valid: WireEvent[] = [];
  const seen = new Set<string>();
  const rules = storedRules(site.channelRules);
  const siteParams = clickIdParams(rules);
  raw.slice(0, LIMITS.maxEvents).forEach((r, index) => {
    const c = checkEvent(r, siteParams);
    if (!c.ok) {
      result.rejected.push({ index, id: idOf(r), code: c.code, message: c.message });
    } else if (seen.has(c.event.i)) {
      // The same id twice in one batch is one event: the second is a duplicate, as in a replay.
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
  if (valid.length === 0) return result;

  // Oldest first, so touches are applied in the order they happened.
  const events = valid
    .map((e) => ({ e, ts: clampTs(e.ts, facts.receivedAt) }))
    .sort((a, b) => a.ts - b.ts);
  const known = await getVisitors(db, site.siteKey, [...new Set(events.map((x) => x.e.v))]);
  const state = new Map<string, VisitorUpdate>();
  for (const [id, row] of known) state.set(id, { ...row, country: null, region: null, city: null, device: null });
  const geo = { country: facts.country, region: facts.region, city: facts.city, device: facts.device };
  const ctx: LandingContext = { rules, ownHosts: ownHosts(site, facts.pageHosts), userAgent: facts.userAgent };

  const rows: StoredEvent[] = [];
  const touched = new Set<string>();
  for (const { e, ts } of events) {
    if (e.t === 'view') {
      state.set(e.v, applyLanding(state.get(e.v) ?? null, e.v, classifyLanding(e, ctx), e.ss, ts, site.attributionDays, geo));
      touched.add(e.v);
    }
    const v = state.get(e.v) ?? null;
    const { first, last } = touchesOf(v);
    // Past the window the last touch earns nothing: the event is direct.
    const credited = lastTouchLive(v, ts, site.attributionDays) ? last : touchesOf(null).last;
    rows.push(toStored(site, e, ts, facts, first, credited));
  }

  const visitorStmts = touched.size ? [upsertVisitors(db, site.siteKey, [...touched].map((v) => state.get(v)!))] : [];
  // One transaction, a fixed number of statements whatever the batch size: the
  // rollups first (they fold only events not stored yet), then the events, so a
  // replayed event adds nothing to them (see db/rollups.ts), then the visitors.
  const rollups = rollupStatements(db, site, rows);
  const out = await db.batch([...rollups, insertEvents(db, site.siteKey, rows), ...visitorStmts]);
  const inserted = out[rollups.length].meta.changes;
  result.accepted += rows.length;
  result.duplicates += rows.length - inserted;
  const appointments = rows.filter((r) => r.type === 'appointment');
  if (appointments.length) result.leads = await leadsForAppointments(db, site, appointments);
  return result;
}

/** A known bot's batch: nothing stored, the events counted for the site's day. */
export async function dropBotBatch(db: D1Database, site: Site, raw: unknown[], facts: RequestFacts): Promise<CollectResult> {
  const dropped = Math.min(raw.length, LIMITS.maxEvents);
  await countBotHit(db, site.siteKey, localDay(facts.receivedAt, site.timezone), dropped).run();
  return { accepted: 0, duplicates: 0, rejected: [], dropped };
}

function toStored(site: Site, e: WireEvent, ts: number, f: RequestFacts, first: Touch, last: Touch): StoredEvent {
  const { i, t, v, ss, pv, u, k, ts: _ts, ...rest } = e;
  return {
    siteKey: site.siteKey, id: i, type: t, visitorId: v, sessionId: ss, pageviewId: pv ?? null,
    ts, receivedAt: f.receivedAt, day: localDay(ts, site.timezone), path: u ?? null, sku: k ?? null,
    channel: last.channel, first, last,
    data: Object.keys(rest).length ? rest : null,
    country: f.country, region: f.region, city: f.city, device: f.device,
  };
}

function idOf(r: unknown): string | undefined {
  const i = (r as { i?: unknown } | null)?.i;
  return typeof i === 'string' ? i.slice(0, LIMITS.idLength) : undefined;
}
