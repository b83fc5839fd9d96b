// Which store a token-protected offline request is about, and whether the token
// may touch it (the site is middleware/site.ts). Shared by the lead, arrival,
// deal and store routes.
import type { Context } from 'hono';
import { canStore, type Principal, type StorePair } from '../auth/tokens';
import { getStore, type Site } from '../db/sites';
import type { TokenContext } from '../middleware/site';
import { ApiError, badRequest } from '../errors';

/** 403 unless the token may act for the store; 404 when the site has no such store. */
export async function assertStoreOf(c: TokenContext, site: Site, store: unknown): Promise<string> {
  if (typeof store !== 'string' || !store || store.length > 64) throw badRequest('missing_field', '"store" (a store id) is required');
  assertStoreAccess(c.get('principal'), site.siteKey, store);
  if (!(await getStore(c.env.DB, site.siteKey, store))) throw new ApiError(404, 'unknown_store', `site "${site.siteKey}" has no store "${store}"`);
  return store;
}

/**
 * 403 unless the token may act for (or read) this store: its exact (site, store)
 * pair, or any store of its sites when it names none (admin, most report tokens).
 */
export function assertStoreAccess(p: Principal, siteKey: string, store: string): void {
  if (!canStore(p, siteKey, store)) throw new ApiError(403, 'forbidden', `this token cannot act for store "${store}"`);
}

/**
 * 403 for a token that names stores: the consult desk, its transcripts and its
 * storeless callbacks are site-wide (a conversation belongs to no store until a
 * visit is booked), so only a token of the whole site may use them.
 */
export function assertWholeSite(p: Principal, what: string): void {
  if (p.stores !== '*') throw new ApiError(403, 'forbidden', `${what} is site-wide: a token that names stores cannot use it`);
}

/** The store ids of `siteKey` a token is held to (its pairs there), or undefined when it sees every store. */
export function storeFilter(p: Principal, siteKey: string): string[] | undefined {
  return p.stores === '*' ? undefined : p.stores.filter((x) => x.site === siteKey).map((x) => x.store);
}

/** The pairs a report is held to, or null for every store of its sites. */
export const storeScope = (p: Principal): StorePair[] | null => (p.stores === '*' ? null : p.stores);

export const waitUntilOf = (c: Context) => (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
