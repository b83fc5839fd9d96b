// Recording a deal (成交) and voiding one. Money is integer minor units of the
// site's currency throughout. A deal is made once per idempotency key; a
// correction voids it with a reason and deletes nothing.
import { nanoid } from 'nanoid';
import { LIMITS } from '../../protocol/wire';
import { deliverSoon, outbox } from '../crm/notify';
import { dealByKey, dealIsOurs, dealItems, insertDeal, voidDeal, voidIsOurs, type DealItem, type DealRow } from '../db/deals';
import type { Site } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { localDay } from '../time';
import { pickSnapshot, resolveCustomer } from './customer';
import { normalizeLeadCode } from './lead-code';

const MAX_AMOUNT = 1e13; // 100 billion yuan in fen: far past any sale, well inside a safe integer
type WaitUntil = (p: Promise<unknown>) => void;

export interface DealRequest {
  key: string; // the Idempotency-Key header
  body: Record<string, unknown>;
}

export interface DealJson {
  id: string;
  site: string;
  store: string;
  lead: string | null;
  visitor: string | null;
  amount: number;
  budget: number | null;
  currency: string;
  at: string;
  day: string;
  voided: boolean;
  voidedAt: string | null;
  voidReason: string | null;
  items: DealItem[];
  firstChannel: string;
  lastChannel: string;
  lastCampaign: string | null;
}

function minor(v: unknown, name: string, min: number): number {
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min || v > MAX_AMOUNT) {
    throw badRequest('invalid_amount', `"${name}" must be an integer number of minor units (fen) from ${min} to ${MAX_AMOUNT}`);
  }
  return v;
}

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
    if (m) (m.qty += it.qty), (m.amount += it.amount);
    else by.set(it.sku, { ...it });
  }
  return [...by.values()];
}

function sku(v: unknown, where: string): string {
  if (typeof v !== 'string' || !v || v.length > LIMITS.skuLength) throw badRequest('invalid_field', `${where} must be a SKU of 1 to ${LIMITS.skuLength} characters`);
  return v;
}

/** `items` [{sku, qty?, amount}] summing to the total, or `skus` [] split evenly; neither is fine too. */
export function parseItems(b: Record<string, unknown>, amount: number): DealItem[] {
  if (b.items !== undefined && b.skus !== undefined) throw badRequest('invalid_field', 'give "items" or "skus", not both');
  const list = b.items ?? b.skus;
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list) || list.length === 0 || list.length > LIMITS.maxSkus) {
    throw badRequest('invalid_field', `"${b.items !== undefined ? 'items' : 'skus'}" must be a non-empty array of at most ${LIMITS.maxSkus}`);
  }
  if (b.skus !== undefined) return splitEvenly(amount, list.map((s, i) => sku(s, `"skus[${i}]"`)));
  const items = list.map((raw, i): DealItem => {
    if (typeof raw !== 'object' || raw === null) throw badRequest('invalid_field', `"items[${i}]" must be { sku, qty?, amount }`);
    const it = raw as Record<string, unknown>;
    const qty = it.qty ?? 1;
    if (typeof qty !== 'number' || !Number.isInteger(qty) || qty < 1 || qty > 10_000) throw badRequest('invalid_field', `"items[${i}].qty" must be an integer from 1 to 10000`);
    return { sku: sku(it.sku, `"items[${i}].sku"`), qty, amount: minor(it.amount, `items[${i}].amount`, 0) };
  });
  const sum = items.reduce((s, it) => s + it.amount, 0);
  if (sum !== amount) throw badRequest('items_mismatch', `the items' amounts sum to ${sum}, not the deal's amount ${amount}`);
  return merge(items);
}

export const IDEMPOTENCY_KEY = /^[\x21-\x7e]{1,128}$/;

export async function recordDeal(
  db: D1Database, site: Site, storeId: string, req: DealRequest, waitUntil: WaitUntil, now = Date.now(),
): Promise<{ deal: DealJson; duplicate: boolean }> {
  const b = req.body;
  const amount = minor(b.amount, 'amount', 1);
  const budget = b.budget === undefined || b.budget === null ? undefined : minor(b.budget, 'budget', 0);
  const items = parseItems(b, amount);

  const replay = await dealByKey(db, site.siteKey, req.key);
  if (replay) return { deal: await sameOrConflict(db, site, replay, storeId, amount, b), duplicate: true };

  const who = await resolveCustomer(db, site, b, storeId, now);
  const row = {
    site_key: site.siteKey, id: `deal_${nanoid(16)}`, idempotency_key: req.key, lead_code: who.lead?.code ?? null,
    visitor_id: who.visitorId, store_id: storeId, amount, budget: budget ?? who.lead?.budget ?? null,
    at: now, day: localDay(now, site.timezone), ...pickSnapshot(who.snapshot),
  };
  const deal = dealJson(site, { ...row, voided_at: null, void_reason: null }, items);
  const hook = await outbox(db, site.siteKey, [{ type: 'deal.created', data: { deal } }], now, dealIsOurs(site.siteKey, row.id, req.key));
  if (!(await insertDeal(db, row, items, hook))) {
    // A concurrent request with the same key won the insert.
    const won = (await dealByKey(db, site.siteKey, req.key))!;
    return { deal: await sameOrConflict(db, site, won, storeId, amount, b), duplicate: true };
  }
  if (hook.length) deliverSoon(db, site.siteKey, waitUntil);
  return { deal, duplicate: false };
}

/** A replayed key must carry the same deal; a different one under a used key is a client bug (409). */
async function sameOrConflict(db: D1Database, site: Site, d: DealRow, storeId: string, amount: number, b: Record<string, unknown>): Promise<DealJson> {
  const lead = typeof b.lead === 'string' && b.lead ? normalizeLeadCode(b.lead) : null;
  const visitor = !lead && typeof b.visitor === 'string' ? b.visitor : null;
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
  if (!(await voidDeal(db, site.siteKey, d.id, reason, now, hook))) {
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
