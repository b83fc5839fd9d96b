// /api/v1/admin/tokens: issue, list and revoke report, store and service tokens (the
// admin token guards them through admin.ts). A secret is shown once, at
// creation; listings show ids, kinds and scopes, never a secret or its hash.
//
// A token's stores are (site, store) pairs: `stores: [{ site, store }]`. The
// older form, `stores` as bare ids, is still read when `sites` names one site
// (each id pairs with it); with several sites a bare id is ambiguous and refused,
// since acting for "x" in every named site is exactly what pairs prevent.
import { Hono } from 'hono';
import * as v from 'valibot';
import { adminExamples as ex, TOKEN_CODES, TokenBody, TokenParams, TokensQuery, type NewTokenJson, type StorePair, type TokenJson } from '../../protocol/admin';
import { createToken, type AuthEnv } from '../auth/tokens';
import { getSite } from '../db/sites';
import { listTokens, revokeToken } from '../db/tokens';
import { ApiError, badRequest } from '../errors';
import { describe } from '../middleware/describe';
import { json, param, query } from '../middleware/validate';

export const adminTokens = new Hono<AuthEnv>();

const tag = 'Admin: tokens';

/** `stores` as pairs; `sites` is what the body named (undefined: taken from the pairs). */
function storeScope(given: v.InferOutput<typeof TokenBody>['stores'], sites: string[] | undefined): StorePair[] {
  const pairs = new Map<string, StorePair>();
  for (const x of given ?? []) {
    let pair: StorePair;
    if (typeof x !== 'string') pair = { site: x.site, store: x.store };
    else if (sites?.length === 1) pair = { site: sites[0], store: x };
    else throw badRequest('ambiguous_store', `store "${x}" names no site: with several sites, give stores as { "site": …, "store": … } pairs`);
    if (sites && !sites.includes(pair.site)) throw badRequest('invalid_field', `store "${pair.store}" is of site "${pair.site}", which "sites" does not name`);
    pairs.set(`${pair.site}\u0000${pair.store}`, pair);
  }
  return [...pairs.values()];
}

adminTokens.get(
  '/',
  describe({ tag, auth: 'admin', summary: 'Tokens, newest first (never a secret or its hash); with `site`, those that name it', ok: { example: ex.tokens } }),
  query(TokensQuery),
  async (c) => c.json({ tokens: (await listTokens(c.env.DB, c.req.valid('query').site)) satisfies TokenJson[] }),
);

adminTokens.post(
  '/',
  describe({
    tag, auth: 'admin', summary: 'Issue a report, store or service token: its secret is shown this once',
    description: 'A store token names its stores as `{ site, store }` pairs (their sites are its sites); a report token that names stores sees only those. A service token (the online service desk: `o2o_c_…`) books store visits for visitors, relays conversation events and uses the desk, and reads no report; one that names stores books only for those.',
    ok: { status: 201, example: ex.newToken },
    errors: { 400: 'A bad scope: an unknown site (`unknown_site`), a bare store id with several sites (`ambiguous_store`), a store token without stores' },
  }),
  json(TokenBody, { codes: TOKEN_CODES }),
  async (c) => {
    const b = c.req.valid('json');
    const stores = storeScope(b.stores, b.sites);
    // Pairs alone are enough: their sites are the token's sites.
    const sites = b.sites ?? [...new Set(stores.map((x) => x.site))];
    if (!sites.length) throw badRequest('missing_field', '"sites" must name at least one site');
    for (const s of sites) {
      if (!(await getSite(c.env.DB, s))) throw badRequest('unknown_site', `site "${s}" does not exist`);
    }
    if (b.kind === 'store' && !stores.length) throw badRequest('missing_field', 'a store token must name its "stores"');
    if (b.kind === 'store') {
      const idle = sites.find((s) => !stores.some((x) => x.site === s));
      if (idle) throw badRequest('invalid_field', `a store token names site "${idle}" but none of its stores`);
    }
    const { id, secret } = await createToken(c.env.DB, { kind: b.kind, sites, stores, label: b.label });
    // The secret is shown once, here; only its hash is kept.
    return c.json({ id, kind: b.kind, sites, stores, token: secret } satisfies NewTokenJson, 201);
  },
);

adminTokens.delete(
  '/:id',
  describe({ tag, auth: 'admin', summary: 'Revoke a token: it stops working at once', ok: { example: ex.revoked }, errors: { 404: 'No such token' } }),
  param(TokenParams),
  async (c) => {
    const { id } = c.req.valid('param');
    if (!(await revokeToken(c.env.DB, id))) throw new ApiError(404, 'unknown_token', `token "${id}" does not exist`);
    return c.json({ id, revoked: true });
  },
);
