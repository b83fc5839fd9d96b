// The fold, without I/O: a site's queued events and its visitors' rows in;
// the visitors' new rows, the new events and the aggregate deltas out.
// Each visitor's events are taken in event-time order, whichever request or
// message brought them, so a landing sent a moment before a consult (in another
// request) credits it. An id the visitor's ledger already holds is a replay or a
// redelivery and adds nothing. The touch rules are worker/attribution/model.ts:
// a late landing never rewinds a newer touch, and the first touch is the earliest.
// The multi-touch models' credit_days difference is computed here, per visitor,
// from the ledger's touch path and credit days before and after (rollups/credit.ts).
import { applyLanding, countedTouch, creditAt, touchlessVisitor } from '../attribution/model';
import type { StoredEvent, VisitorUpdate } from '../attribution/model';
import { addCreditDay, addTouch, contributions, creditJson, creditRows, DEFAULT_HALF_LIFE_DAYS, type CreditRow } from '../rollups/credit';
import { SKU_AT, type DayRow, type Signed, type SkuRow } from '../rollups/rows';
import { rollupFacts } from '../rollups/statements';
import type { Site } from '../db/sites';
import { addDay, addSku, cloneLedger, idHash, parseLedger, pruneLedger, type Ledger } from './ledger';
import type { IngestMessage, MessageGeo, QueuedEvent } from './message';
import { storedEvent } from './stored';

/** A visitor's row as the fold reads it. first_at = 0: seen, but no view yet (no touch). */
export interface FoldVisitor extends VisitorUpdate {
  ledger: string | null;
  version: number;
}

export interface VisitorWrite {
  row: VisitorUpdate;
  ledger: Ledger;
  expected: number | null; // the version read (null: a new row); the write aborts if it moved
}

export interface FoldOutput {
  visitors: VisitorWrite[];
  touchSt: Signed<DayRow>[]; // rollups/rows.ts
  skuSt: Signed<SkuRow>[];
  credit: CreditRow[]; // credit_days' differences, summed over the fold's visitors
  leadCredit: Map<string, string>; // appointment event id → its lead's multi-touch credit (CreditJson)
  halfLifeDays: number; // the site's, which the credit was computed with (the fold's first statement checks it is still the site's)
  stored: StoredEvent[]; // the events new to the site, oldest first
  events: number; // events in the messages
  duplicates: number; // of those, already folded
}

interface Item {
  q: QueuedEvent;
  geo: MessageGeo;
  at: number;
}

export function fold(site: Site, known: Map<string, FoldVisitor>, messages: IngestMessage[]): FoldOutput {
  const byVisitor = new Map<string, Item[]>();
  let events = 0;
  for (const m of messages) {
    for (const q of m.events) {
      events++;
      const list = byVisitor.get(q.e.v) ?? byVisitor.set(q.e.v, []).get(q.e.v)!;
      list.push({ q, geo: m.geo, at: m.at });
    }
  }
  const halfLifeDays = site.halfLifeDays ?? DEFAULT_HALF_LIFE_DAYS;
  const out: FoldOutput = { visitors: [], touchSt: [], skuSt: [], credit: [], leadCredit: new Map(), halfLifeDays, stored: [], events, duplicates: 0 };
  const credit = new Map<string, [number, number, number, number]>();
  for (const [visitorId, items] of byVisitor) {
    items.sort((a, b) => a.q.e.ts - b.q.e.ts); // stable: ties keep the order sent
    foldVisitor(site, visitorId, known.get(visitorId) ?? null, items, out, credit);
  }
  out.credit = creditRows(credit);
  out.stored.sort((a, b) => a.ts - b.ts);
  return out;
}

function foldVisitor(site: Site, visitorId: string, row: FoldVisitor | null, items: Item[], out: FoldOutput,
  credit: Map<string, [number, number, number, number]>): void {
  const before = parseLedger(row?.ledger);
  const ledger = cloneLedger(before);
  const guard = new Set(ledger.s);
  // The touch state: a row without a view yet has no touch (its events were direct).
  let touch: VisitorUpdate | null = row && row.first_at > 0 ? stripLedger(row) : null;
  let seenFirst = row ? row.first_seen : Infinity;
  let seenLast = row ? row.last_seen : -Infinity;
  let geo: MessageGeo | null = null;
  let fresh = 0;
  for (const { q, geo: g, at } of items) {
    const h = idHash(q.e.i);
    if (guard.has(h)) {
      out.duplicates++;
      continue;
    }
    guard.add(h);
    ledger.s.push(h);
    fresh++;
    const ts = q.e.ts;
    seenFirst = Math.min(seenFirst, ts);
    seenLast = Math.max(seenLast, ts);
    geo = g;
    const counted = q.l ? countedTouch(touch, q.l, q.e.ss) : null;
    if (counted) ledger.t = addTouch(ledger.t, ts, counted.channel);
    if (q.l) touch = applyLanding(touch, visitorId, q.l, q.e.ss, ts, site.attributionDays, g);
    const { first, last: credited } = creditAt(touch, ts, site.attributionDays);
    const e = storedEvent(site, q.e, { at, geo: g }, first, credited, counted?.channel);
    out.stored.push(e);
    const f = rollupFacts(e);
    addCreditDay(ledger.c, e.day, ts, f);
    if (f.appointments) out.leadCredit.set(e.id, creditJson(ledger.t, ts, site.attributionDays, out.halfLifeDays));
    addDay(ledger, [e.day, credited.channel, credited.campaign ?? '', credited.promoter ?? '', first.channel, first.campaign ?? '',
      first.promoter ?? '', f.views, f.consults, f.appointments]);
    if (f.sku) addSku(ledger, [e.day, e.region ?? '', e.city ?? '', f.sku, f.views, f.dwellMs, f.consults, f.appointments]);
  }
  if (!fresh) return;
  diff(out, visitorId, before, ledger);
  ledger.h = out.halfLifeDays;
  ledger.w = site.attributionDays;
  creditDiff(credit, before, ledger, site.attributionDays);
  const base: VisitorUpdate = touch ?? {
    ...touchlessVisitor(visitorId), country: row?.country ?? null, region: row?.region ?? null, city: row?.city ?? null, device: row?.device ?? null,
  };
  const merged: VisitorUpdate = {
    ...base, first_seen: Math.min(seenFirst, base.first_seen || Infinity), last_seen: Math.max(seenLast, base.last_seen),
    country: geo?.country ?? base.country, region: geo?.region ?? base.region, city: geo?.city ?? base.city, device: geo?.device ?? base.device,
  };
  out.visitors.push({ row: merged, ledger: pruneLedger(ledger), expected: row ? row.version : null });
}

/** Signed rows of what changed: the old rows out (−1), the new ones in (+1); the SQL sums the difference. */
function diff(out: FoldOutput, visitorId: string, before: Ledger, after: Ledger): void {
  if (JSON.stringify(before.d) !== JSON.stringify(after.d)) {
    for (const r of before.d) out.touchSt.push([-1, visitorId, ...r]);
    for (const r of after.d) out.touchSt.push([1, visitorId, ...r]);
  }
  // Only the SKUs whose rows changed: the SKU chains are partitioned by visitor and SKU.
  const key = (rows: Ledger['k'], sku: string) => JSON.stringify(rows.filter((r) => r[SKU_AT] === sku));
  const skus = new Set(after.k.map((r) => r[SKU_AT] as string));
  for (const sku of skus) {
    if (key(before.k, sku) === key(after.k, sku)) continue;
    for (const r of before.k) if (r[SKU_AT] === sku) out.skuSt.push([-1, visitorId, ...r]);
    for (const r of after.k) if (r[SKU_AT] === sku) out.skuSt.push([1, visitorId, ...r]);
  }
}

/**
 * A visitor's credit_days contributions before the batch (−1, with the half-life
 * and window they were computed with) and after it (+1, with `after.h` and
 * `windowDays`, which `after.w` must name), summed into `into`: what did not
 * change cancels.
 */
export function creditDiff(into: Map<string, [number, number, number, number]>, before: Ledger, after: Ledger, windowDays: number): void {
  const h = after.h ?? DEFAULT_HALF_LIFE_DAYS;
  const same = before.h === h && before.w === windowDays && JSON.stringify(before.t) === JSON.stringify(after.t) && JSON.stringify(before.c) === JSON.stringify(after.c);
  if (same) return;
  contributions(before.t, before.c, before.w ?? windowDays, before.h ?? h, into, -1);
  contributions(after.t, after.c, windowDays, h, into, 1);
}

function stripLedger(r: FoldVisitor): VisitorUpdate {
  const { ledger: _l, version: _v, ...row } = r;
  return row;
}
