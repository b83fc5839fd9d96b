// Rollups updated on ingest, so reports never scan raw events. Called by the
// ingest handler inside the same D1 batch as the events insert: per event, the
// visitor-day row, the SKU visitor-day row and last the event's own rolled_up
// flag. The rollup upserts fire only while that flag is 0, so a replayed event
// (already rolled up by its first delivery) or the same id twice in one batch
// adds nothing, and the whole batch is one transaction.
import type { StoredEvent } from './events';
import type { Site } from './sites';

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

// "Still to roll up": the guard every rollup statement carries. ?1 = site, ?2 = event id.
const PENDING = 'EXISTS (SELECT 1 FROM events WHERE site_key = ?1 AND id = ?2 AND rolled_up = 0)';

/** Statements that fold `rows` into the rollups, each guarded against replays. */
export function rollupStatements(db: D1Database, site: Site, rows: StoredEvent[]): D1PreparedStatement[] {
  const out: D1PreparedStatement[] = [];
  for (const e of rows) {
    const f = rollupFacts(e);
    out.push(
      db
        .prepare(
          `INSERT INTO visitor_days (site_key, day, visitor_id, last_channel, last_campaign, last_promoter,
             first_channel, first_campaign, first_promoter, views, consults, appointments)
           SELECT ?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13 WHERE ${PENDING}
           ON CONFLICT DO UPDATE SET views = views + excluded.views, consults = consults + excluded.consults,
             appointments = appointments + excluded.appointments`,
        )
        .bind(
          site.siteKey, e.id, e.day, e.visitorId, e.last.channel, e.last.campaign ?? '', e.last.promoter ?? '',
          e.first.channel, e.first.campaign ?? '', e.first.promoter ?? '', f.views, f.consults, f.appointments,
        ),
    );
    if (f.sku) {
      out.push(
        db
          .prepare(
            `INSERT INTO sku_visitor_days (site_key, day, region, city, sku, visitor_id, views, dwell_ms, consults, appointments)
             SELECT ?1, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11 WHERE ${PENDING}
             ON CONFLICT DO UPDATE SET views = views + excluded.views, dwell_ms = dwell_ms + excluded.dwell_ms,
               consults = consults + excluded.consults, appointments = appointments + excluded.appointments`,
          )
          .bind(site.siteKey, e.id, e.day, e.region ?? '', e.city ?? '', f.sku, e.visitorId, f.views, f.dwellMs, f.consults, f.appointments),
      );
    }
    // Last: mark it rolled up, and keep the credited touch so the rollups can be recomputed.
    out.push(
      db
        .prepare(
          `UPDATE events SET rolled_up = 1, credit_campaign = ?3, credit_promoter = ?4, first_channel = ?5,
             first_campaign = ?6, first_promoter = ?7
           WHERE site_key = ?1 AND id = ?2 AND rolled_up = 0`,
        )
        .bind(site.siteKey, e.id, e.last.campaign, e.last.promoter, e.first.channel, e.first.campaign, e.first.promoter),
    );
  }
  return out;
}
