// Events the SDK's bounded retry queue had to drop in browsers, as the browsers
// report them (a `track` event DROPPED_EVENT with p.n = the count): folded on
// ingest into client_drops per site and local day, read by the admin.
import { DROPPED_EVENT } from '../../protocol/wire';
import type { StoredEvent } from '../attribution/model';

/** The count an event reports, if it is a well-formed drop report: a positive whole number. */
export function droppedCount(e: Pick<StoredEvent, 'type' | 'data'>): number {
  if (e.type !== 'track' || e.data?.n !== DROPPED_EVENT) return 0;
  const n = (e.data.p as Record<string, unknown> | undefined)?.n;
  return typeof n === 'number' && Number.isInteger(n) && n > 0 ? n : 0;
}

/**
 * Folds the batch's drop reports into client_drops, or nothing when it has none.
 * `rows` are the fold's new events only (a replayed report is not among them).
 */
export function clientDropsStatement(db: D1Database, siteKey: string, rows: StoredEvent[]): D1PreparedStatement | undefined {
  const facts = rows.flatMap((e) => {
    const n = droppedCount(e);
    return n ? [{ day: e.day, n }] : [];
  });
  if (!facts.length) return undefined;
  return db
    .prepare(
      `INSERT INTO client_drops (site_key, day, events, reports)
       SELECT ?1, j.value ->> 'day', SUM(j.value ->> 'n'), COUNT(*)
       FROM json_each(?2) AS j
       GROUP BY 2
       ON CONFLICT (site_key, day) DO UPDATE SET events = events + excluded.events, reports = reports + excluded.reports`,
    )
    .bind(siteKey, JSON.stringify(facts));
}

export interface ClientDropDay {
  day: string;
  events: number;
  reports: number;
}

export async function clientDrops(db: D1Database, siteKey: string, from: string, to: string): Promise<ClientDropDay[]> {
  const { results } = await db
    .prepare('SELECT day, events, reports FROM client_drops WHERE site_key = ?1 AND day BETWEEN ?2 AND ?3 ORDER BY day')
    .bind(siteKey, from, to)
    .all<ClientDropDay>();
  return results;
}
