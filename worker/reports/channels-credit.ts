// The channel report under the shared models (linear, position, time decay),
// by channel only: every stage's count is the sum of the credit shares its
// conversions gave each channel. Online stages read credit_days (kept by the
// fold, rollups/credit-days.ts); arrivals and deals read each row's stored
// shares (`credit`, 0016), or its last touch whole for a row without them.
// A person counts once per period as in the single-touch report (their first
// arrival or deal in it), so the shares of every channel sum to that count.
import type { StorePair } from '../auth/tokens';
import { MODEL_CODES, type ModelCode, type MultiTouch } from '../rollups/credit';
import { creditCounts } from '../rollups/credit-days';
import { offline, SCOPED, SITES, type OfflineCounts, type OnlineCounts } from './channels-sql';
import { periodStartSql, type Period } from './periods';

export type { MultiTouch };
export const modelCode = (m: MultiTouch): ModelCode => MODEL_CODES[m];

/** A row's shares for the model (a closed one-letter code), else its last touch's channel whole. */
const shares = (m: ModelCode) => `coalesce(x.credit -> '$.${m}', json_object(x.last_channel, 1))`;
/** One arrival or deal per person: a lead, else a visitor, else the row itself. */
const person = (row: string) => `x.site_key || '|' || coalesce('l:' || x.lead_code, 'v:' || x.visitor_id, '${row}:' || x.id)`;

export function onlineCredit(db: D1Database, sites: string[], from: string, to: string, m: MultiTouch, period: Period | null): Promise<OnlineCounts[]> {
  return creditCounts(db, sites, from, to, modelCode(m), periodStartSql('day', period));
}

/**
 * The rows of `table` in range and scope as CTE `x1`, each with its period start
 * `ps`, its shares `cr` and `n` = its rank among its person's rows of the period
 * (1: their first); `cols` and `join` add what the sums need.
 */
function perPerson(table: 'arrivals' | 'deals', m: MultiTouch, period: Period | null, cols: string, join = '', where = ''): string {
  const ps = periodStartSql('x.day', period);
  return `x1 AS (
    SELECT ${ps} AS ps, ${cols}, ${shares(modelCode(m))} AS cr,
      row_number() OVER (PARTITION BY ${ps}, ${person(table[0])} ORDER BY x.at, x.id) AS n
    FROM ${table} x ${join} WHERE x.site_key IN (${SITES}) AND x.day BETWEEN ?2 AND ?3 ${where} AND ${SCOPED})`;
}

/** Each person's first arrival in the period, its shares summed per channel; booked: those with a lead. */
export function arrivalCredit(db: D1Database, sites: string[], from: string, to: string, m: MultiTouch, stores: StorePair[] | null,
  period: Period | null): Promise<OfflineCounts[]> {
  return offline(
    db,
    `WITH ${perPerson('arrivals', m, period, 'x.lead_code')}
     SELECT x1.ps, c.key AS k, SUM(c.value) AS arrivals, SUM(CASE WHEN x1.lead_code IS NOT NULL THEN c.value ELSE 0 END) AS bookedArrivals
     FROM x1, json_each(x1.cr) AS c WHERE x1.n = 1 GROUP BY x1.ps, k`,
    sites, from, to, stores,
  );
}

/** Buyers (each person's first deal in the period), deal records, revenue and uplift sums, each share-weighted. */
export function dealCredit(db: D1Database, sites: string[], from: string, to: string, m: MultiTouch, stores: StorePair[] | null,
  period: Period | null): Promise<OfflineCounts[]> {
  const join = 'LEFT JOIN leads l ON l.site_key = x.site_key AND l.code = x.lead_code';
  return offline(
    db,
    `WITH ${perPerson('deals', m, period, 'x.amount, coalesce(x.budget, l.budget) AS budget', join, 'AND x.voided_at IS NULL')}
     SELECT x1.ps, c.key AS k, SUM(CASE WHEN x1.n = 1 THEN c.value ELSE 0 END) AS deals, SUM(c.value) AS dealCount,
       SUM(x1.amount * c.value) AS revenue,
       SUM(CASE WHEN x1.budget > 0 THEN (x1.amount - x1.budget) * c.value END) AS upliftOver,
       SUM(CASE WHEN x1.budget > 0 THEN x1.budget * c.value END) AS upliftBudget
     FROM x1, json_each(x1.cr) AS c GROUP BY x1.ps, k`,
    sites, from, to, stores,
  );
}
