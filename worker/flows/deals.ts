// Recording a deal (成交) and voiding one. Money is integer minor units of the
// site's currency throughout. A deal is made once per idempotency key; a
// correction voids it with a reason and deletes nothing.
import { nanoid } from 'nanoid';
import type * as v from 'valibot';
import type { DealBody, DealJson } from '../../protocol/staff';
import { adConversions } from '../adplatforms/outbox';
import { dropDealConversion, reachedConversions, REACHED } from '../adplatforms/sql';
import { deliverSoon, outbox, type WaitUntil } from '../crm/notify';
import { dealByKey, dealIsOurs, dealItems, insertDeal, voidDeal, voidIsOurs, type DealItem, type DealRow } from '../db/deals';
import type { Site } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { offlineCredit, setCredit } from '../rollups/credit-offline';
import { localDay } from '../time';
import { pickSnapshot, resolveCustomer } from './customer';
import { normalizeLeadCode } from './lead-code';


/** A deal as the request validator leaves it (protocol/staff.ts). */
export type DealRequest = v.InferOutput<typeof DealBody>;

export type { DealJson };

/**
 * A total split evenly over SKUs, one share per listed entry: the first
 * `amount mod n` entries get one more minor unit, so the parts always sum to
 * the total (10000 over 3 → 3334, 3333, 3333). A SKU listed twice is one item
 * with qty 2 and both shares.
 */
export function splitEvenly(amount: number, skus: string[]): DealItem[] {
  const base = Math.floor(amount / skus.length);
  const rem = amount - base * skus.length;
  return merge(skus.map((sku, i) => ({ sku, qty: 1, amount: base + (i < rem ? 1 : 0) })));
}

function merge(items: DealItem[]): DealItem[] {
  const by = new Map<string, DealItem>();
  for (const it of items) {
    const m = by.get(it.sku);
    if (m) {
      m.qty += it.qty;
      m.amount += it.amount;
    }
    else by.set(it.sku, { ...it });
  }
  return [...by.values()];
}

/** `items` [{sku, qty?, amount}] summing to the total, or `skus` [] split evenly; neither is fine too. */
export function itemsOf(b: Pick<DealRequest, 'items' | 'skus' | 'amount'>): DealItem[] {
  if (b.skus) return splitEvenly(b.amount, b.skus);
  if (!b.items) return [];
  const sum = b.items.reduce((s, it) => s + it.amount, 0);
  if (sum !== b.amount) throw badRequest('items_mismatch', `the items' amounts sum to ${sum}, not the deal's amount ${b.amount}`);
  return merge(b.items);
}

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export async function recordDeal(
  db: D1Database, site: Site, key: string, b: DealRequest, waitUntil: WaitUntil, now = Date.now(),
): Promise<{ deal: DealJson; duplicate: boolean }> {
  const { store: storeId, amount } = b;
  const items = itemsOf(b);

  const replay = await dealByKey(db, site.siteKey, key);
  if (replay) return { deal: await sameOrConflict(db, site, replay, storeId, amount, b), duplicate: true };

  const who = await resolveCustomer(db, site, b, storeId, now);
  const row = {
    site_key: site.siteKey, id: `deal_${nanoid(16)}`, idempotency_key: key, lead_code: who.lead?.code ?? null,
    visitor_id: who.visitorId, store_id: storeId, amount, budget: b.budget ?? who.lead?.budget ?? null,
    at: now, day: localDay(now, site.timezone), ...pickSnapshot(who.snapshot),
  };
  const deal = dealJson(site, { ...row, voided_at: null, void_reason: null }, items);
  const hook = await outbox(db, site.siteKey, [{ type: 'deal.created', data: { deal } }], now, dealIsOurs(site.siteKey, row.id, key));
  // The ad platforms' `deal` conversion (with its amount) of the lead's click: its first deal only (worker/adplatforms/; sent by the cron).
  const ads = row.lead_code ? [adConversions(db, site.siteKey, row.lead_code, 'deal', { value: amount, at: now }, now, dealIsOurs(site.siteKey, row.id, key))] : [];
  // The multi-touch shares beside the snapshot (rollups/credit-offline.ts).
  const credit = setCredit(db, 'deals', site.siteKey, row.id, await offlineCredit(db, site, row.lead_code, row.visitor_id, now));
  if (!(await insertDeal(db, row, items, [credit, ...hook, ...ads]))) {
    // A concurrent request with the same key won the insert.
    const won = (await dealByKey(db, site.siteKey, key))!;
    return { deal: await sameOrConflict(db, site, won, storeId, amount, b), duplicate: true };
  }
  if (hook.length) deliverSoon(db, site.siteKey, waitUntil);
  return { deal, duplicate: false };
}

/** A replayed key must carry the same deal; a different one under a used key is a client bug (409). */
async function sameOrConflict(db: D1Database, site: Site, d: DealRow, storeId: string, amount: number, b: DealRequest): Promise<DealJson> {
  const lead = b.lead ? normalizeLeadCode(b.lead) : null;
  const visitor = !lead && b.visitor ? b.visitor : null;
  const differs = d.store_id !== storeId || d.amount !== amount || (lead !== null && d.lead_code !== lead) || (visitor !== null && d.visitor_id !== visitor);
  if (differs) {
    // Name the earlier deal only to its own store: another store's deal ids are not this token's to see.
    const details = d.store_id === storeId ? { deal: d.id } : undefined;
    throw new ApiError(409, 'idempotency_conflict', 'this Idempotency-Key was already used for a different deal', details);
  }
  return dealJson(site, d, await dealItems(db, site.siteKey, d.id));
}

export async function voidDealWithReason(
  db: D1Database, site: Site, d: DealRow, reason: string, waitUntil: WaitUntil, now = Date.now(),
): Promise<DealJson> {
  const deal = dealJson(site, { ...d, voided_at: now, void_reason: reason }, await dealItems(db, site.siteKey, d.id));
  const hook = await outbox(db, site.siteKey, [{ type: 'deal.voided', data: { deal } }], now, voidIsOurs(site.siteKey, d.id, now, reason));
  // Its ad platforms' conversion, if not sent yet, is dropped and the lead's next non-voided deal reported instead (worker/adplatforms/).
  const ads = d.lead_code
    ? [dropDealConversion(db, site.siteKey, { lead_code: d.lead_code, at: d.at, amount: d.amount }), reachedConversions(db, site.siteKey, { code: d.lead_code }, REACHED.deal, null, now)]
    : [];
  if (!(await voidDeal(db, site.siteKey, d.id, reason, now, [...hook, ...ads]))) {
    throw new ApiError(409, 'already_voided', `deal "${d.id}" is already void`);
  }
  if (hook.length) deliverSoon(db, site.siteKey, waitUntil);
  return deal;
}

/** The API's view of a deal; items in SKU order, as db/deals.ts reads them back. */
export function dealJson(site: Site, d: DealRow, items: DealItem[]): DealJson {
  items = [...items].sort((a, b) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0));
  return {
    id: d.id, site: d.site_key, store: d.store_id, lead: d.lead_code, visitor: d.visitor_id, amount: d.amount, budget: d.budget,
    currency: site.currency, at: new Date(d.at).toISOString(), day: d.day, voided: d.voided_at !== null,
    voidedAt: d.voided_at === null ? null : new Date(d.voided_at).toISOString(), voidReason: d.void_reason,
    items, firstChannel: d.first_channel, lastChannel: d.last_channel, lastCampaign: d.last_campaign,
  };
}
