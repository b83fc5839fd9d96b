// credit_days from scratch, out of stored events: the check that the fold's
// differences are right (test/worker/attribution-models.test.ts) and how the
// report benchmark builds the table for bulk-loaded events. Independent of the
// fold's ledgers: each visitor's events are taken in time order, the touch
// path is every view marked as a touch (a chunk line's `touch`), the days are
// built from the events; the contribution rule is the one the fold uses
// (rollups/credit.ts).
import type { SiteJson as Site } from '../../protocol/admin';
import { addCreditDay, contributions, creditRows, DEFAULT_HALF_LIFE_DAYS, MAX_PATH, type CreditDay, type CreditRow, type PathTouch } from './credit';
import { storedEvents } from './recompute';

/** What the recomputation needs of an event. */
export interface CreditEvent {
  visitor: string;
  ts: number;
  day: string;
  type: string;
  touch?: string | null;
}

/** Sums visitors' contributions; `add` one visitor's events at a time (any order), then `rows`. */
export function creditAccumulator(windowDays: number, halfLifeDays: number) {
  const sums = new Map<string, [number, number, number, number]>();
  return {
    add(events: CreditEvent[]): void {
      const sorted = [...events].sort((a, b) => a.ts - b.ts);
      // The newest MAX_PATH touches of all, as the fold's ledger keeps them (credit.ts).
      const path: PathTouch[] = sorted.filter((e) => e.touch).map((e): PathTouch => [e.ts, e.touch as string]).slice(-MAX_PATH);
      const days: CreditDay[] = [];
      for (const e of sorted) {
        addCreditDay(days, e.day, e.ts, { views: +(e.type === 'view'), consults: +(e.type === 'consult'), appointments: +(e.type === 'appointment') });
      }
      contributions(path, days, windowDays, halfLifeDays, sums);
    },
    rows: (): CreditRow[] => creditRows(sums),
  };
}

/** A site's credit_days recomputed from its event chunks. */
export async function recomputedCredit(db: D1Database, site: Site): Promise<CreditRow[]> {
  const byVisitor = new Map<string, CreditEvent[]>();
  for (const l of await storedEvents(db, site.siteKey)) {
    (byVisitor.get(l.visitor) ?? byVisitor.set(l.visitor, []).get(l.visitor)!).push(l);
  }
  const acc = creditAccumulator(site.attributionDays, site.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS);
  for (const events of byVisitor.values()) acc.add(events);
  return acc.rows();
}

/** Replaces a site's credit_days with `rows` (the benchmark's bulk load): statements for one batch each. */
export function replaceCreditStatements(db: D1Database, siteKey: string, rows: CreditRow[], first: boolean): D1PreparedStatement[] {
  const insert = (part: CreditRow[]) => db
    .prepare(`INSERT INTO credit_days (site_key, model, k, day, prev, visitors, views, consults, appointments)
      SELECT ?1, j.value ->> 0, j.value ->> 1, j.value ->> 2, j.value ->> 3, j.value ->> 4, j.value ->> 5, j.value ->> 6, j.value ->> 7
      FROM json_each(?2) AS j`)
    .bind(siteKey, JSON.stringify(part));
  const out = first ? [db.prepare('DELETE FROM credit_days WHERE site_key = ?1').bind(siteKey)] : [];
  for (let i = 0; i < rows.length; i += 5000) out.push(insert(rows.slice(i, i + 5000)));
  return out;
}
