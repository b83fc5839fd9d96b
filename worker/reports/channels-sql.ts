// Channel-conversion report SQL. Online stages read touch_days (exact distinct
// counts per key and day, no per-visitor scan, no raw events); offline stages
// read leads, arrivals and deals, which grow with leads, not events. Every value
// is bound; the only text spliced in is a column name from the closed maps below
// and the store-scope condition (db/store-scope.ts). A token that names stores
// (`stores`, bound as ?4) counts only those stores' leads, arrivals and deals.
import type { Attribution, ChannelGroup } from '../../protocol/reports';
import type { StorePair } from '../auth/tokens';
import { inStorePairs, pairsParam } from '../db/store-scope';
import { touchCounts, type Dim } from '../rollups/touch-days';
import { periodStartSql, type Period } from './periods';

export type { Attribution };
/** First or last touch: one channel per conversion (the shared models are reports/channels-credit.ts). */
export type SingleTouch = Extract<Attribution, 'first' | 'last'>;
/** What the report groups by (protocol/reports.ts, CHANNEL_GROUPS). */
export type GroupBy = ChannelGroup;

export interface OnlineCounts {
  ps: string; // the first day of the period (the range's `from` without periods)
  k: string;
  visitors: number;
  views: number;
  consults: number;
  appointments: number;
}

export interface OfflineCounts {
  ps: string;
  k: string;
  arrivals?: number; // distinct leads, and visitors (or arrivals) without one
  bookedArrivals?: number; // of them, those with a lead
  spend?: number;
  deals?: number;
  dealCount?: number;
  revenue?: number;
  upliftOver?: number; // Σ (amount − budget) over deals with a budget
  upliftBudget?: number; // Σ budget over the same deals
  appointments?: number; // leads, for by=store
}

// Online: the touch_days dimension per (by, attribution). Offline: the column;
// touch_days holds '' for "none", the offline tables NULL, hence the coalesce.
const ONLINE: Record<Exclude<GroupBy, 'store'>, Record<SingleTouch, Dim>> = {
  channel: { last: 'lc', first: 'fc' },
  campaign: { last: 'lk', first: 'fk' },
  promoter: { last: 'lp', first: 'fp' },
};
const OFFLINE: Record<GroupBy, Record<SingleTouch, string>> = {
  channel: { last: 'x.last_channel', first: 'x.first_channel' },
  campaign: { last: "coalesce(x.last_campaign, '')", first: "coalesce(x.first_campaign, '')" },
  promoter: { last: "coalesce(x.last_promoter, '')", first: "coalesce(x.first_promoter, '')" },
  store: { last: 'x.store_id', first: 'x.store_id' },
};

export const SITES = 'SELECT value FROM json_each(?1)';
export const SCOPED = inStorePairs('?4', 'x.site_key', 'x.store_id');

/** An offline count over [from, to] of the sites, held to the token's stores: ?1 sites, ?2 from, ?3 to, ?4 the pairs (spend: none). */
export async function offline(db: D1Database, sql: string, sites: string[], from: string, to: string, stores: StorePair[] | null,
  scoped = true): Promise<OfflineCounts[]> {
  const args = [JSON.stringify(sites), from, to, ...(scoped ? [pairsParam(stores)] : [])];
  const { results } = await db.prepare(sql).bind(...args).all<OfflineCounts>();
  return results;
}

/**
 * Distinct visitors reaching each online stage in [from, to], grouped by the
 * touch: exact, from touch_days (see worker/rollups/touch-days.ts), whatever the range.
 */
export function onlineCounts(db: D1Database, sites: string[], from: string, to: string, by: Exclude<GroupBy, 'store'>, attr: SingleTouch,
  period: Period | null = null): Promise<OnlineCounts[]> {
  return touchCounts(db, sites, from, to, ONLINE[by][attr], periodStartSql('day', period));
}

/**
 * Distinct leads (visitors for walk-ins) arriving in [from, to]; `bookedArrivals`
 * counts the leads alone, so walk-ins are the rest (the two keys never meet).
 */
export function arrivalCounts(db: D1Database, sites: string[], from: string, to: string, by: GroupBy, attr: SingleTouch, stores: StorePair[] | null = null,
  period: Period | null = null): Promise<OfflineCounts[]> {
  return offline(
    db,
      `SELECT ${periodStartSql('x.day', period)} AS ps, ${OFFLINE[by][attr]} AS k,
         COUNT(DISTINCT x.site_key || '|' || coalesce('l:' || x.lead_code, 'v:' || x.visitor_id, 'a:' || x.id)) AS arrivals,
         COUNT(DISTINCT x.site_key || '|' || x.lead_code) AS bookedArrivals
       FROM arrivals x WHERE x.site_key IN (${SITES}) AND x.day BETWEEN ?2 AND ?3 AND ${SCOPED} GROUP BY ps, k`,
    sites, from, to, stores,
  );
}

/** Non-voided deals in [from, to]: distinct buyers, deal records, revenue and the uplift sums. */
export function dealCounts(db: D1Database, sites: string[], from: string, to: string, by: GroupBy, attr: SingleTouch, stores: StorePair[] | null = null,
  period: Period | null = null): Promise<OfflineCounts[]> {
  // The deal's own budget, else the one stated on its lead's appointment.
  const budget = 'coalesce(x.budget, l.budget)';
  return offline(
    db,
      `SELECT ${periodStartSql('x.day', period)} AS ps, ${OFFLINE[by][attr]} AS k,
         COUNT(DISTINCT x.site_key || '|' || coalesce('l:' || x.lead_code, 'v:' || x.visitor_id, 'd:' || x.id)) AS deals,
         COUNT(*) AS dealCount, SUM(x.amount) AS revenue,
         SUM(CASE WHEN ${budget} > 0 THEN x.amount - ${budget} END) AS upliftOver,
         SUM(CASE WHEN ${budget} > 0 THEN ${budget} END) AS upliftBudget
       FROM deals x LEFT JOIN leads l ON l.site_key = x.site_key AND l.code = x.lead_code
       WHERE x.site_key IN (${SITES}) AND x.day BETWEEN ?2 AND ?3 AND x.voided_at IS NULL AND ${SCOPED}
       GROUP BY ps, k`,
    sites, from, to, stores,
  );
}

/** Leads made in [from, to] per store: the appointment stage when grouping by store. */
export function leadCountsByStore(db: D1Database, sites: string[], from: string, to: string, stores: StorePair[] | null = null,
  period: Period | null = null): Promise<OfflineCounts[]> {
  return offline(
    db,
      `SELECT ${periodStartSql('x.day', period)} AS ps, coalesce(store_id, '') AS k, COUNT(*) AS appointments
       FROM leads x WHERE x.site_key IN (${SITES}) AND x.day BETWEEN ?2 AND ?3 AND ${SCOPED} GROUP BY ps, k`,
    sites, from, to, stores,
  );
}

/** Spend per channel (and period) in [from, to]: every store's, since spend is bought before any store. */
export function spendCounts(db: D1Database, sites: string[], from: string, to: string, period: Period | null = null): Promise<OfflineCounts[]> {
  return offline(
    db,
      `SELECT ${periodStartSql('x.day', period)} AS ps, x.channel AS k, SUM(x.amount) AS spend
       FROM spend x WHERE x.site_key IN (${SITES}) AND x.day BETWEEN ?2 AND ?3 GROUP BY ps, k`,
    sites, from, to, null, false,
  );
}
