// Rollups updated on ingest, so reports never scan raw events. The ingest
// handler puts these statements FIRST in the same D1 batch (one transaction) as
// the events insert: each folds the whole batch's events in one set-based
// upsert, keeping only events whose id is not stored yet (NOT EXISTS on the
// events key). The events insert comes after them, so a replayed event (stored
// by its first delivery) adds nothing, and a failed batch adds nothing at all.
// D1 runs a batch serially, so two concurrent replays cannot both pass the guard.
// Repeats of one id inside a batch are dropped by the handler before this.
// An upsert that would add nothing (a dwell event's visitor-day row) is skipped
// by its DO UPDATE ... WHERE: D1 bills a row rewritten with the same values.
import { clientDropsStatement } from './client-drops';
import type { StoredEvent } from './events';
import type { Site } from './sites';
import { skuChainsStatement } from './sku-chains';
import { touchDaysStatement } from './touch-days';

/** What one event adds to the rollups, as the recomputation computes it too. */
export interface RollupFacts {
  views: number;
  consults: number;
  appointments: number;
  dwellMs: number;
  sku: string | null; // the SKU the event is about: its page's SKU, or the SKU an appointment names
}

const num = (x: unknown): number => (typeof x === 'number' && Number.isFinite(x) && x > 0 ? Math.round(x) : 0);

export function rollupFacts(e: Pick<StoredEvent, 'type' | 'sku' | 'data'>): RollupFacts {
  const props = (e.data?.p ?? null) as Record<string, unknown> | null;
  const named = typeof props?.sku === 'string' && props.sku ? props.sku : null;
  return {
    views: e.type === 'view' ? 1 : 0,
    consults: e.type === 'consult' ? 1 : 0,
    appointments: e.type === 'appointment' ? 1 : 0,
    dwellMs: e.type === 'dwell' ? num(e.data?.d) : 0,
    sku: e.sku ?? (e.type === 'appointment' ? named : null),
  };
}

// "Not stored yet": the guard both upserts carry; j is the batch's JSON row, [0] its event id.
const NEW = 'NOT EXISTS (SELECT 1 FROM events e WHERE e.site_key = ?1 AND e.id = j.value ->> 0)';

/**
 * Up to five statements (touch days, visitor days, SKU chains, SKU visitor days, browsers' drop reports) that fold `rows` into the
 * rollups, whatever the batch size. One JSON parameter carries the batch, so
 * D1's bound-parameter limit never caps it.
 */
export function rollupStatements(db: D1Database, site: Site, rows: StoredEvent[]): D1PreparedStatement[] {
  const days: unknown[][] = [];
  const skus: unknown[][] = [];
  for (const e of rows) {
    const f = rollupFacts(e);
    days.push([e.id, e.day, e.visitorId, e.last.channel, e.last.campaign ?? '', e.last.promoter ?? '',
      e.first.channel, e.first.campaign ?? '', e.first.promoter ?? '', f.views, f.consults, f.appointments]);
    if (f.sku) skus.push([e.id, e.day, e.region ?? '', e.city ?? '', f.sku, e.visitorId, f.views, f.dwellMs, f.consults, f.appointments]);
  }
  const facts = JSON.stringify(days);
  const out = [
    // Before the visitor_days upsert: it reads the visitors' rows as they were.
    touchDaysStatement(db, site.siteKey, facts),
    db
      .prepare(
        `INSERT INTO visitor_days (site_key, day, visitor_id, last_channel, last_campaign, last_promoter,
           first_channel, first_campaign, first_promoter, views, consults, appointments)
         SELECT ?1, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7,
           j.value ->> 8, SUM(j.value ->> 9), SUM(j.value ->> 10), SUM(j.value ->> 11)
         FROM json_each(?2) AS j WHERE ${NEW}
         GROUP BY 2, 3, 4, 5, 6, 7, 8, 9
         ON CONFLICT DO UPDATE SET views = views + excluded.views, consults = consults + excluded.consults,
           appointments = appointments + excluded.appointments
         WHERE excluded.views + excluded.consults + excluded.appointments > 0`,
      )
      .bind(site.siteKey, facts),
  ];
  if (skus.length) {
    const skuFacts = JSON.stringify(skus);
    out.push(
      // Before the sku_visitor_days upsert, for the same reason.
      skuChainsStatement(db, site.siteKey, skuFacts),
      db
        .prepare(
          `INSERT INTO sku_visitor_days (site_key, day, region, city, sku, visitor_id, views, dwell_ms, consults, appointments)
           SELECT ?1, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5,
             SUM(j.value ->> 6), SUM(j.value ->> 7), SUM(j.value ->> 8), SUM(j.value ->> 9)
           FROM json_each(?2) AS j WHERE ${NEW}
           GROUP BY 2, 3, 4, 5, 6
           ON CONFLICT DO UPDATE SET views = views + excluded.views, dwell_ms = dwell_ms + excluded.dwell_ms,
             consults = consults + excluded.consults, appointments = appointments + excluded.appointments
           WHERE excluded.views + excluded.dwell_ms + excluded.consults + excluded.appointments > 0`,
        )
        .bind(site.siteKey, skuFacts),
    );
  }
  const drops = clientDropsStatement(db, site.siteKey, rows);
  if (drops) out.push(drops);
  return out;
}
