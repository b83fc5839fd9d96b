// Importing a day's deals or arrivals from the brand's CRM or POS: each row is
// recorded through the same flow as a clerk's (recordDeal, recordArrival), so
// credit, idempotency and the CRM outbox are the same; a dry run checks every
// row and says what it would create. Rows are independent: one bad row is
// reported and the rest go in; importing the same file again adds nothing (a
// deal's order number is its Idempotency-Key; an arrival is one per person,
// store and day).
import type { ImportResult, ImportRowInput, ImportRowResult, ImportRowStatus } from '../../protocol/staff';
import type { WaitUntil } from '../crm/notify';
import { getArrival } from '../db/arrivals';
import { dealByKey } from '../db/deals';
import type { Site } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { localDay, zonedTime } from '../time';
import { arrivalId, recordArrival } from './arrivals';
import { resolveCustomer } from './customer';
import { IDEMPOTENCY_KEY, itemsOf, recordDeal } from './deals';
import type { ReadImport } from './import-rows';

export interface ImportContext {
  db: D1Database;
  site: Site;
  dryRun: boolean;
  /** Throws (403/404) unless the caller may act for the store. */
  checkStore: (store: string) => Promise<unknown>;
  waitUntil: WaitUntil;
  now?: number;
}

const MAX_AGE_MS = 400 * 86_400_000; // a year's exports and a little more
const SKEW_MS = 10 * 60_000;

type Row = (ctx: ImportContext, r: ImportRowInput, at: number) => Promise<{ status: ImportRowStatus; id: string }>;

const deal: Row = async ({ db, site, dryRun, waitUntil }, r, at) => {
  if (!r.key) throw badRequest('missing_field', '"key" is required: the order number makes a re-import add nothing');
  if (!IDEMPOTENCY_KEY.test(r.key)) throw badRequest('invalid_field', '"key" must be 1 to 128 printable ASCII characters');
  if (r.amount === undefined) throw badRequest('invalid_amount', '"amount" is required');
  const input = { ...r, amount: r.amount, budget: r.budget ?? undefined };
  if (dryRun) {
    itemsOf(input);
    const known = await dealByKey(db, site.siteKey, r.key);
    if (known) return { status: 'duplicate', id: known.id };
    await resolveCustomer(db, site, r, r.store, at);
    return { status: 'would_create', id: '' };
  }
  const out = await recordDeal(db, site, r.key, input, waitUntil, at);
  return { status: out.duplicate ? 'duplicate' : 'created', id: out.deal.id };
};

const arrival: Row = async ({ db, site, dryRun, waitUntil }, r, at) => {
  if (dryRun) {
    const who = await resolveCustomer(db, site, r, r.store, at);
    const id = arrivalId(localDay(at, site.timezone), r.store, who);
    return (await getArrival(db, site.siteKey, id)) ? { status: 'duplicate', id } : { status: 'would_create', id };
  }
  const out = await recordArrival(db, site, { ...r, store: r.store }, 'staff', waitUntil, at);
  return { status: out.duplicate ? 'duplicate' : 'created', id: out.arrival.id };
};

export const importDeals = (ctx: ImportContext, file: ReadImport) => run(ctx, file, deal);
export const importArrivals = (ctx: ImportContext, file: ReadImport) => run(ctx, file, arrival);

async function run(ctx: ImportContext, file: ReadImport, one: Row): Promise<ImportResult> {
  const now = ctx.now ?? Date.now();
  const counts: Record<ImportRowStatus, number> = { created: 0, duplicate: 0, would_create: 0, error: 0 };
  const rows: ImportRowResult[] = [];
  // One row after another: a file's rows may name the same order or person twice.
  for (const r of file.rows) {
    let res: ImportRowResult;
    if ('error' in r) res = { row: r.row, key: r.key, status: 'error', error: r.error };
    else {
      try {
        const at = r.input.at ? whenOf(r.input.at, ctx.site.timezone, now) : now;
        await ctx.checkStore(r.input.store);
        const out = await one(ctx, r.input, at);
        res = { row: r.row, key: r.input.key ?? null, status: out.status, ...(out.id ? { id: out.id } : {}) };
      } catch (err) {
        if (!(err instanceof ApiError)) throw err;
        res = { row: r.row, key: r.input.key ?? null, status: 'error', error: { code: err.code, message: err.message } };
      }
    }
    counts[res.status]++;
    rows.push(res);
  }
  return { dryRun: ctx.dryRun, encoding: file.encoding, counts, rows };
}

/** ISO 8601 with a zone, or a wall-clock date [and time] of the site's zone; at most a year back and not in the future. */
export function whenOf(s: string, timeZone: string, now: number): number {
  const m = /^(\d{4})[-/](\d{1,2})[-/](\d{1,2})(?:[ T](\d{1,2}):(\d{2})(?::(\d{2}))?)?$/.exec(s.trim());
  const at = m
    ? zonedTime(+m[1], +m[2], +m[3], +(m[4] ?? 12), +(m[5] ?? 0), +(m[6] ?? 0), timeZone)
    : /[zZ]|[+-]\d{2}:?\d{2}$/.test(s) ? Date.parse(s) : NaN;
  const back = m && +m[2] >= 1 && +m[2] <= 12 && +m[3] >= 1 && +m[3] <= 31 ? localDay(at, timeZone) : '';
  if (!Number.isFinite(at) || (m && back !== `${m[1]}-${m[2].padStart(2, '0')}-${m[3].padStart(2, '0')}`)) {
    throw badRequest('invalid_time', `"at" must be a date such as 2026-12-03 or 2026/12/03 14:30 (the site's time zone), or ISO 8601 with a zone; got "${s.slice(0, 40)}"`);
  }
  // A date without a time is noon of that day, or now when that day is today.
  if (m && m[4] === undefined && at > now && localDay(now, timeZone) === back) return now;
  if (at > now + SKEW_MS) throw badRequest('invalid_time', `"at" ${s} is in the future`);
  if (at < now - MAX_AGE_MS) throw badRequest('invalid_time', `"at" ${s} is more than 400 days ago`);
  return at;
}
