// A half-life change re-shares the time-decay credit. Each visitor's ledger
// records the half-life its credit_days rows were computed with (`h`), so a
// visitor is re-credited like a fold without events: its contributions with
// the old half-life out, with the new one in, the ledger's `h` moved, in one
// transaction with the fold's version check (a fold in between retries). A
// visitor this pass misses (a fold raced it) is re-credited by its next fold,
// which diffs from the half-life its ledger names. The offline rows' shares
// are re-shared from the touches' ages they keep (rollups/credit.ts).
// The work runs on the ingest queue, a page of visitors per message (the
// PATCH answers at once): a site of a million visitors is thousands of small
// steps, never one request's or one invocation's CPU.
import { creditRows, withHalfLife } from '../rollups/credit';
import { creditDaysDelta } from '../rollups/credit-days';
import type { Site } from '../db/sites';
import { creditDiff } from './fold';
import { versionCheck, visitorsPage, writeVisitors } from './fold-sql';
import { cloneLedger, parseLedger } from './ledger';
import type { VisitorWrite } from './fold';
import { MESSAGE_VERSION, type QueueMessage, type RecreditMessage } from './message';

const PAGE = 200;

/** The first step of a re-share to the site's (new) half-life, on the ingest queue. */
export async function startRecredit(queue: Queue<QueueMessage>, site: Site): Promise<void> {
  const msg: RecreditMessage = { v: MESSAGE_VERSION, kind: 'recredit', site: site.siteKey, h: site.halfLifeDays, after: '' };
  await queue.send(msg, { contentType: 'json' });
}

/**
 * One step: re-shares the page of visitors after `after`; answers the next
 * step's cursor, or null when the visitors are done (the offline rows are then
 * re-shared in the same step). `site` must be read fresh, not cached.
 */
export async function recreditStep(db: D1Database, site: Site, after: string): Promise<string | null> {
  const h = site.halfLifeDays;
  const page = await visitorsPage(db, site.siteKey, after, PAGE);
  if (!page.length) {
    await reshareOffline(db, site);
    return null;
  }
  const sums = new Map<string, [number, number, number, number]>();
  const writes: VisitorWrite[] = [];
  for (const v of page) {
    const before = parseLedger(v.ledger);
    if (!before.c.length || before.h === h) continue;
    const next = { ...cloneLedger(before), h, w: site.attributionDays };
    creditDiff(sums, before, next, site.attributionDays);
    const { ledger: _l, version, ...row } = v;
    writes.push({ row, ledger: next, expected: version });
  }
  if (writes.length) {
    await db.batch([versionCheck(db, site.siteKey, writes, h), ...creditDaysDelta(db, site.siteKey, creditRows(sums)), ...writeVisitors(db, site.siteKey, writes)]);
  }
  return page[page.length - 1].visitor_id;
}

/** Leads', arrivals' and deals' stored shares with the site's half-life. */
async function reshareOffline(db: D1Database, site: Site): Promise<void> {
  for (const [table, key] of [['leads', 'code'], ['arrivals', 'id'], ['deals', 'id']] as const) {
    const { results } = await db
      .prepare(`SELECT ${key} AS id, credit FROM ${table} WHERE site_key = ?1 AND credit IS NOT NULL`)
      .bind(site.siteKey)
      .all<{ id: string; credit: string }>();
    const rows = results.map((r) => ({ id: r.id, credit: withHalfLife(r.credit, site.halfLifeDays) }));
    for (let i = 0; i < rows.length; i += 500) {
      await db
        .prepare(`UPDATE ${table} SET credit = j.value ->> 'credit' FROM json_each(?2) AS j WHERE ${table}.site_key = ?1 AND ${table}.${key} = j.value ->> 'id'`)
        .bind(site.siteKey, JSON.stringify(rows.slice(i, i + 500)))
        .run();
    }
  }
}

