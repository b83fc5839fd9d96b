// The site a request is about, resolved once into `c.var.site`: named in the
// path, the query or the body, or the token's only site when it names none
// (store staff rarely belong to two brands, so they may leave `site` out). The
// token must be allowed the site; an unknown site is a 404 after that check,
// so a token cannot probe for sites it may not see.
import type { Context, MiddlewareHandler } from 'hono';
import { assertSite, type AuthEnv } from '../auth/tokens';
import { getSite, type Site } from '../db/sites';
import { ApiError, badRequest } from '../errors';

export type SiteEnv = AuthEnv & { Variables: AuthEnv['Variables'] & { site: Site } };

/** The token's view of a request: all the site and store checks need, from any router's context. */
export type TokenContext = { get: Context<AuthEnv>['get']; env: Context<AuthEnv>['env'] };

export async function resolveSite(c: TokenContext, given: unknown): Promise<Site> {
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

type From = 'param' | 'query' | 'json';

/**
 * Puts the site into `c.var.site`. From a validated body or query (put the
 * validator first) or the `:site` path parameter; `also` names a second place
 * to look when the first has none (a PATCH may name it in the body or the query).
 */
export function site(from: From, also?: From): MiddlewareHandler<SiteEnv> {
  return async (c, next) => {
    c.set('site', await resolveSite(c, siteKeyIn(c, from) ?? (also && siteKeyIn(c, also))));
    await next();
  };
}

function siteKeyIn(c: Context<SiteEnv>, from: From): unknown {
  if (from === 'param') return c.req.param('site');
  if (from === 'query') return c.req.query('site') || undefined;
  // A body validator ran first; its output holds `site` when the body named one.
  return (c.req.valid('json' as never) as { site?: unknown } | undefined)?.site;
}
