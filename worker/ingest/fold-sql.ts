// All SQL of the fold (worker/ingest/): the visitors it reads and writes with a
// version check, the event chunks, the per-day ingest counters and the leads it
// re-credits. Every statement takes its rows as one JSON parameter.
import type { FoldVisitor, VisitorWrite } from './fold';
import type { StoredEvent, VisitorUpdate } from '../attribution/model';
import { jsonParts } from '../rollups/statements';

const COLS = `visitor_id, first_seen, last_seen, first_channel, first_source, first_medium, first_campaign, first_promoter,
  first_at, last_channel, last_source, last_medium, last_campaign, last_promoter, last_at, last_session, country, region, city, device`;

export async function foldVisitors(db: D1Database, siteKey: string, ids: string[]): Promise<Map<string, FoldVisitor>> {
  const out = new Map<string, FoldVisitor>();
  if (!ids.length) return out;
  const { results } = await db
    .prepare(`SELECT ${COLS}, ledger, version FROM visitors WHERE site_key = ?1 AND visitor_id IN (SELECT value FROM json_each(?2))`)
    .bind(siteKey, JSON.stringify(ids))
    .all<FoldVisitor>();
  for (const r of results) out.set(r.visitor_id, r);
  return out;
}

/** Visitors with a ledger after `after` in id order, `limit` of them: the half-life re-credit's pages (ingest/recredit.ts). */
export async function visitorsPage(db: D1Database, siteKey: string, after: string, limit: number): Promise<FoldVisitor[]> {
  const { results } = await db
    .prepare(`SELECT ${COLS}, ledger, version FROM visitors WHERE site_key = ?1 AND visitor_id > ?2 AND ledger IS NOT NULL ORDER BY visitor_id LIMIT ?3`)
    .bind(siteKey, after, limit)
    .all<FoldVisitor>();
  return results;
}

/**
 * First in the fold's batch: fails the whole transaction (json() of a non-JSON
 * string raises) when any visitor's version moved since the fold read it, so a
 * concurrent fold can never overwrite a ledger it did not see; the queue retries.
 */
export function versionCheck(db: D1Database, siteKey: string, writes: VisitorWrite[], halfLifeDays: number | null = null): D1PreparedStatement {
  const expected = writes.map((w) => ({ visitor: w.row.visitor_id, version: w.expected }));
  // The same for the half-life the fold shared time-decay credit with: a fold that
  // read the site before a change (a cached copy) is retried with the new one.
  return db
    .prepare(
      `SELECT json(CASE WHEN EXISTS (
         SELECT 1 FROM json_each(?2) AS j
         WHERE (SELECT version FROM visitors v WHERE v.site_key = ?1 AND v.visitor_id = j.value ->> 'visitor') IS NOT (j.value ->> 'version')
       ) THEN 'stale fold: a visitor changed since it was read'
       WHEN ?3 IS NOT NULL AND (SELECT half_life_days FROM sites WHERE site_key = ?1) IS NOT ?3 THEN 'stale fold: the half-life changed'
       ELSE '0' END) AS ok`,
    )
    .bind(siteKey, JSON.stringify(expected), halfLifeDays);
}

/** The visitors' new rows, ledger and version + 1 included: one written row per visitor (a statement per 512 KB of rows). */
export function writeVisitors(db: D1Database, siteKey: string, writes: VisitorWrite[]): D1PreparedStatement[] {
  // Rows as arrays in the order of `names` (the column list), read back by position:
  // a visitor row is the fold's largest parameter, and names per row would double it.
  const names = COLS.split(',').map((c) => c.trim() as keyof VisitorUpdate & string);
  const json = writes.map(({ row, ledger, expected }) => [...names.map((c) => row[c]), JSON.stringify(ledger), (expected ?? 0) + 1]);
  const sel = Array.from({ length: names.length + 2 }, (_, i) => `j.value ->> ${i}`).join(', ');
  const set = [...names.slice(1), 'ledger', 'version'].map((c) => `${c} = excluded.${c}`).join(', ');
  const sql = `INSERT INTO visitors (site_key, ${COLS}, ledger, version)
       SELECT ?1, ${sel} FROM json_each(?2) AS j WHERE true
       ON CONFLICT (site_key, visitor_id) DO UPDATE SET ${set}`;
  return jsonParts(json).map((part) => db.prepare(sql).bind(siteKey, part));
}

export interface ChunkRow {
  day: string;
  id: string;
  events: number;
  body: ArrayBuffer; // gzip NDJSON (worker/archive/chunks.ts)
}

export function insertChunk(db: D1Database, siteKey: string, c: ChunkRow, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO event_chunks (site_key, day, id, events, bytes, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT DO UPDATE SET events = excluded.events, bytes = excluded.bytes, body = excluded.body`,
    )
    .bind(siteKey, c.day, c.id, c.events, c.body.byteLength, c.body, now);
}

export interface IngestCounts {
  messages: number;
  events: number;
  duplicates: number;
  lagMs: number; // the oldest message's wait in the queue
}

/** One row per site and day of the fold: what was folded, and how late. */
export function countFold(db: D1Database, siteKey: string, day: string, c: IngestCounts, now: number): D1PreparedStatement {
  return db
    .prepare(
      `INSERT INTO ingest_days (site_key, day, folds, messages, events, duplicates, max_lag_ms, last_fold_at)
       VALUES (?1, ?2, 1, ?3, ?4, ?5, ?6, ?7)
       ON CONFLICT DO UPDATE SET folds = folds + 1, messages = messages + excluded.messages, events = events + excluded.events,
         duplicates = duplicates + excluded.duplicates, max_lag_ms = max(max_lag_ms, excluded.max_lag_ms), last_fold_at = excluded.last_fold_at`,
    )
    .bind(siteKey, day, c.messages, c.events, c.duplicates, c.lagMs, now);
}

export interface IngestDay extends IngestCounts {
  day: string;
  folds: number;
  maxLagMs: number;
  lastFoldAt: number;
}

export async function ingestDays(db: D1Database, siteKey: string, from: string, to: string): Promise<IngestDay[]> {
  const { results } = await db
    .prepare(
      `SELECT day, folds, messages, events, duplicates, max_lag_ms AS maxLagMs, last_fold_at AS lastFoldAt
       FROM ingest_days WHERE site_key = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day`,
    )
    .bind(siteKey, from, to)
    .all<IngestDay>();
  return results;
}

/**
 * The appointments' leads, credited with the touches the fold saw in event-time
 * order, and with the multi-touch shares of its path then (`credit`: event id → CreditJson).
 */
export function creditLeads(db: D1Database, siteKey: string, appointments: StoredEvent[], credit: Map<string, string>): D1PreparedStatement {
  const json = appointments.map((e) => ({
    event: e.id, visitor: e.visitorId, first_channel: e.first.channel, first_campaign: e.first.campaign, first_promoter: e.first.promoter,
    last_channel: e.last.channel, last_campaign: e.last.campaign, last_promoter: e.last.promoter, credit: credit.get(e.id) ?? null,
  }));
  return db
    .prepare(
      `UPDATE leads SET first_channel = j.value ->> 'first_channel', first_campaign = j.value ->> 'first_campaign',
         first_promoter = j.value ->> 'first_promoter', last_channel = j.value ->> 'last_channel',
         last_campaign = j.value ->> 'last_campaign', last_promoter = j.value ->> 'last_promoter', credit = j.value ->> 'credit'
       FROM json_each(?2) AS j WHERE leads.site_key = ?1 AND leads.event_id = j.value ->> 'event' AND leads.visitor_id = j.value ->> 'visitor'`,
    )
    .bind(siteKey, JSON.stringify(json));
}
