// credit_days (0016): the multi-touch models' online stages. The fold upserts
// the difference its visitors' contributions make (rollups/credit.ts, computed
// in JS since the shares need the touch path), the report sums a range with
// touch_days' rule (a visitor counts on the day whose prev is before the
// period's start), and a half-life change re-shares the time-decay rows.
import { jsonParts } from './statements';
import type { CreditRow, ModelCode } from './credit';
import { chainCounts, type TouchCounts } from './touch-days';

export const CREDIT_COLUMNS = 'site_key, model, k, day, prev, visitors, views, consults, appointments';

/** The fold's statements: ?1 = site, ?2 = CreditRow[] as JSON; each row's sums are added. */
export function creditDaysDelta(db: D1Database, siteKey: string, rows: CreditRow[]): D1PreparedStatement[] {
  return jsonParts(rows).map((part) => db
    .prepare(
      `INSERT INTO credit_days (${CREDIT_COLUMNS})
       SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7
       FROM json_each(?2) AS j WHERE true
       ON CONFLICT DO UPDATE SET visitors = visitors + excluded.visitors, views = views + excluded.views,
         consults = consults + excluded.consults, appointments = appointments + excluded.appointments`,
    )
    .bind(siteKey, part));
}

// Sums of floats: a row the fold left at (nearly) zero is no row.
const EPS = 1e-9;

/**
 * Online stage credit per channel over [from, to] for one model, summed over a
 * group of sites; `start` as touchCounts (rollups/touch-days.ts) takes it.
 */
export function creditCounts(db: D1Database, sites: string[], from: string, to: string, model: ModelCode, start = '?2'): Promise<TouchCounts[]> {
  return chainCounts(db, 'credit_days', 'model', sites, from, to, model, start,
    (first) => ['visitors', 'consults', 'appointments'].map((c) => `${first(c)} > ${EPS}`).concat(`SUM(views) > ${EPS}`).join(' OR '));
}

/** The site's credit_days as stored, rows at zero left out (for comparison with a recomputation). */
export async function storedCredit(db: D1Database, siteKey: string): Promise<CreditRow[]> {
  const rows = await db
    .prepare(`SELECT model, k, day, prev, visitors, views, consults, appointments FROM credit_days WHERE site_key = ?1`)
    .bind(siteKey)
    .raw<CreditRow>();
  return rows.filter((r) => r.slice(4).some((x) => Math.abs(x as number) > EPS));
}
