// Deals (成交) and what they sold: all SQL for deals and deal_items.
import type { TouchSnapshot } from '../attribution/model';

export interface DealRow extends TouchSnapshot {
  site_key: string;
  id: string;
  idempotency_key: string;
  lead_code: string | null;
  visitor_id: string | null;
  store_id: string;
  amount: number;
  budget: number | null;
  at: number;
  day: string;
  voided_at: number | null;
  void_reason: string | null;
}

export interface DealItem {
  sku: string;
  qty: number;
  amount: number;
}

/**
 * The deal and its items in one transaction. The deal insert is OR IGNORE on
 * (site, idempotency_key); the items are inserted only if that deal row is the
 * one just made, so a replay adds no items either.
 */
export async function insertDeal(db: D1Database, d: Omit<DealRow, 'voided_at' | 'void_reason'>, items: DealItem[], also: D1PreparedStatement[] = []): Promise<boolean> {
  const deal = db
    .prepare(
      `INSERT OR IGNORE INTO deals (site_key, id, idempotency_key, lead_code, visitor_id, store_id, amount, budget, at, day,
         first_channel, first_campaign, first_promoter, last_channel, last_campaign, last_promoter)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16)`,
    )
    .bind(
      d.site_key, d.id, d.idempotency_key, d.lead_code, d.visitor_id, d.store_id, d.amount, d.budget, d.at, d.day,
      d.first_channel, d.first_campaign, d.first_promoter, d.last_channel, d.last_campaign, d.last_promoter,
    );
  const itemStmts = items.map((it) =>
    db
      .prepare(
        `INSERT INTO deal_items (site_key, deal_id, sku, qty, amount)
         SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM deals WHERE site_key = ?1 AND id = ?2 AND idempotency_key = ?6)`,
      )
      .bind(d.site_key, d.id, it.sku, it.qty, it.amount, d.idempotency_key),
  );
  const out = await db.batch([deal, ...itemStmts, ...also]);
  return out[0].meta.changes > 0;
}

export async function dealByKey(db: D1Database, siteKey: string, key: string): Promise<DealRow | null> {
  return db.prepare('SELECT * FROM deals WHERE site_key = ?1 AND idempotency_key = ?2').bind(siteKey, key).first<DealRow>();
}

/** A deal by id among the given sites (a token's), or every site for '*'. */
export async function dealById(db: D1Database, id: string, sites: string[] | '*'): Promise<DealRow | null> {
  return db
    .prepare('SELECT * FROM deals WHERE id = ?1 AND (?2 IS NULL OR site_key IN (SELECT value FROM json_each(?2))) LIMIT 1')
    .bind(id, sites === '*' ? null : JSON.stringify(sites))
    .first<DealRow>();
}

export async function dealItems(db: D1Database, siteKey: string, dealId: string): Promise<DealItem[]> {
  const { results } = await db
    .prepare('SELECT sku, qty, amount FROM deal_items WHERE site_key = ?1 AND deal_id = ?2 ORDER BY sku')
    .bind(siteKey, dealId)
    .all<DealItem>();
  return results;
}

/** Voids once: a second void changes nothing (and the caller answers 409). Nothing is deleted. */
/** `also` runs in the same transaction, after the update (the webhook row). */
export async function voidDeal(db: D1Database, siteKey: string, id: string, reason: string, now: number, also: D1PreparedStatement[] = []): Promise<boolean> {
  const [res] = await db.batch([
    db.prepare('UPDATE deals SET voided_at = ?3, void_reason = ?4 WHERE site_key = ?1 AND id = ?2 AND voided_at IS NULL').bind(siteKey, id, now, reason),
    ...also,
  ]);
  return res.meta.changes > 0;
}

/** Conditions for a webhook row in the deal's transaction: the deal is this request's insert, or this request's void. */
export const dealIsOurs = (siteKey: string, id: string, key: string) => ({
  sql: 'SELECT 1 FROM deals WHERE site_key = ?6 AND id = ?7 AND idempotency_key = ?8', params: [siteKey, id, key],
});
export const voidIsOurs = (siteKey: string, id: string, at: number, reason: string) => ({
  sql: 'SELECT 1 FROM deals WHERE site_key = ?6 AND id = ?7 AND voided_at = ?8 AND void_reason = ?9', params: [siteKey, id, at, reason],
});
