// One fold, written: a site's messages of one queue batch become one atomic D1
// batch (version check, aggregates, visitors, event chunks, leads' credit, CRM
// outbox, counters) after the chunks are put in R2. Either all of it is kept
// or none, and a redelivery finds every event id in its visitor's ledger.
import { foldStatements as adStatements } from '../adplatforms/outbox';
import { outbox, type CrmEvent } from '../crm/notify';
import { type StoredEvent } from '../attribution/model';
import { countBotHit } from '../db/visitors';
import { countFold, creditLeads, foldVisitors, insertChunk, versionCheck, writeVisitors } from './fold-sql';
import type { LeadRow } from '../db/leads';
import { creditDaysDelta } from '../rollups/credit-days';
import { creditEarlyRows } from '../rollups/credit-offline';
import { rollupStatements } from '../rollups/statements';
import type { Site } from '../db/sites';
import type { Env } from '../env';
import { leadJson } from '../flows/lead-json';
import { localDay } from '../time';
import { byDay, chunkKey, gzipLines } from '../archive/chunks';
import { fold } from './fold';
import { idHash } from './ledger';
import type { IngestMessage } from './message';

export interface CommitResult {
  events: number;
  duplicates: number;
  rowsWritten: number; // D1's own count over the fold's batch
  webhooks: number;
  adConversions: number; // statements for the ad platforms' clicks and conversions (worker/adplatforms/)
}

export async function commitFold(env: Env, site: Site, messages: IngestMessage[], messageIds: string[], now = Date.now()): Promise<CommitResult> {
  const db = env.DB;
  const visitorIds = [...new Set(messages.flatMap((m) => m.events.map((q) => q.e.v)))];
  const out = fold(site, await foldVisitors(db, site.siteKey, visitorIds), messages);
  const foldId = `${new Date(Math.min(...messages.map((m) => m.at))).toISOString().replace(/\D/g, '').slice(0, 14)}-${idHash(messageIds.join(','))}`;

  const chunks = await Promise.all(
    [...byDay(out.stored)].map(async ([day, lines]) => ({ day, id: foldId, events: lines.length, body: await gzipLines(lines) })),
  );
  // R2 first, so a committed fold is always archived; a fold that then fails
  // takes its objects back (below), so the archive holds committed folds only.
  const keys = chunks.map((c) => chunkKey(site.siteKey, c.day, c.id));
  await Promise.all(chunks.map((c, i) => env.ARCHIVE.put(keys[i], c.body, {
    httpMetadata: { contentType: 'application/x-ndjson', contentEncoding: 'gzip' },
    customMetadata: { events: String(c.events) },
  })));

  const appointments = out.stored.filter((e) => e.type === 'appointment');
  const hooks = appointments.length ? await leadWebhooks(db, site, appointments, now) : [];
  const ads = await adStatements(db, site, out.stored, now); // after the visitors' rows: an appointment's lead keeps the clicks folded here
  const bots = botCounts(site, messages);
  const lag = Math.max(0, ...messages.map((m) => now - m.at));
  const stmts = [
    ...(out.visitors.length ? [versionCheck(db, site.siteKey, out.visitors, out.halfLifeDays)] : []),
    ...rollupStatements(db, site.siteKey, out),
    ...creditDaysDelta(db, site.siteKey, out.credit),
    ...writeVisitors(db, site.siteKey, out.visitors),
    ...chunks.map((c) => insertChunk(db, site.siteKey, c, now)),
    ...(appointments.length ? [creditLeads(db, site.siteKey, appointments, out.leadCredit)] : []),
    // Arrivals and deals staff recorded before this fold credited their lead copied its first guess: they take its credit now.
    ...(appointments.length ? creditEarlyRows(db, site.siteKey, appointments) : []),
    ...hooks,
    ...ads,
    ...[...bots].map(([day, n]) => countBotHit(db, site.siteKey, day, n.events, n.requests)),
    countFold(db, site.siteKey, localDay(now, site.timezone), {
      messages: messages.length, events: out.events, duplicates: out.duplicates, lagMs: lag,
    }, now),
  ];
  let res: D1Result[];
  try {
    res = await db.batch(stmts);
  } catch (err) {
    if (keys.length) await env.ARCHIVE.delete(keys).catch((e) => console.error('could not take back archive objects', keys, e));
    throw err;
  }
  return {
    events: out.events, duplicates: out.duplicates, webhooks: hooks.length, adConversions: ads.length,
    rowsWritten: res.reduce((s, r) => s + (r.meta.rows_written ?? 0), 0),
  };
}

/** lead.created for each new appointment's lead, with the credit the fold gave it. */
async function leadWebhooks(db: D1Database, site: Site, appointments: StoredEvent[], now: number): Promise<D1PreparedStatement[]> {
  const { results } = await db
    .prepare('SELECT * FROM leads WHERE site_key = ?1 AND event_id IN (SELECT value FROM json_each(?2))')
    .bind(site.siteKey, JSON.stringify(appointments.map((e) => e.id)))
    .all<LeadRow>();
  const byEvent = new Map(results.map((l) => [l.event_id, l]));
  const events: CrmEvent[] = [];
  for (const e of appointments) {
    const l = byEvent.get(e.id);
    if (!l || l.visitor_id !== e.visitorId) continue; // /collect made no lead (no free code: logged there), or it is another visitor's
    const credited: LeadRow = {
      ...l, first_channel: e.first.channel, first_campaign: e.first.campaign, first_promoter: e.first.promoter,
      last_channel: e.last.channel, last_campaign: e.last.campaign, last_promoter: e.last.promoter,
    };
    events.push({ type: 'lead.created', data: { lead: leadJson(credited) } });
  }
  return outbox(db, site.siteKey, events, now);
}

/** Known bots' batches, counted per local day (their events are never folded). */
function botCounts(site: Site, messages: IngestMessage[]): Map<string, { events: number; requests: number }> {
  const out = new Map<string, { events: number; requests: number }>();
  for (const m of messages) {
    if (!m.bot) continue;
    const day = localDay(m.at, site.timezone);
    const c = out.get(day) ?? out.set(day, { events: 0, requests: 0 }).get(day)!;
    c.events += m.bot;
    c.requests++;
  }
  return out;
}
