// Which site and store a token-protected offline request is about, and whether
// the token may touch them. Shared by the lead, arrival, deal and store routes.
import type { Context } from 'hono';
import { assertSite, canSite, canStore, type AuthEnv, type Principal } from '../auth/tokens';
import { getSite, getStore, type Site } from '../db/sites';
import { ApiError, badRequest } from '../errors';

/**
 * The site named in the request, or the token's only site when it names one:
 * store staff rarely belong to two brands, so they may leave `site` out.
 */
export async function siteFor(c: Context<AuthEnv>, given: unknown): Promise<Site> {
  const p = c.get('principal');
  let key: string;
  if (given !== undefined && given !== null && given !== '') {
    if (typeof given !== 'string' || given.length > 64) throw badRequest('invalid_field', '"site" must be a site key');
    key = given;
  } else if (p.sites !== '*' && p.sites.length === 1) {
    key = p.sites[0];
  } else {
    throw badRequest('missing_field', '"site" is required: this token is not scoped to exactly one site');
  }
  assertSite(p, key);
  const site = await getSite(c.env.DB, key);
  if (!site) throw new ApiError(404, 'unknown_site', `site "${key}" does not exist`);
  return site;
}

/** 403 unless the token may act for the store; 404 when the site has no such store. */
export async function assertStoreOf(c: Context<AuthEnv>, site: Site, store: unknown): Promise<string> {
  if (typeof store !== 'string' || !store || store.length > 64) throw badRequest('missing_field', '"store" (a store id) is required');
  assertStoreAccess(c.get('principal'), site.siteKey, store);
  if (!(await getStore(c.env.DB, site.siteKey, store))) throw new ApiError(404, 'unknown_store', `site "${site.siteKey}" has no store "${store}"`);
  return store;
}

/** Store tokens act for the stores they name; report tokens (lead screening) for every store of their sites. */
export function assertStoreAccess(p: Principal, siteKey: string, store: string): void {
  const ok = p.kind === 'report' ? canSite(p, siteKey) : canStore(p, siteKey, store);
  if (!ok) throw new ApiError(403, 'forbidden', `this token cannot act for store "${store}"`);
}

/** For report tokens: every store of their sites; for store tokens: their stores only. */
export function storeFilter(p: Principal): string[] | undefined {
  return p.kind === 'store' && p.stores !== '*' ? p.stores : undefined;
}

export const waitUntilOf = (c: Context) => (p: Promise<unknown>) => c.executionCtx.waitUntil(p);
