// /api/v1/admin/tokens: issue, list and revoke report and store tokens (the
// admin token guards them through admin.ts). A secret is shown once, at
// creation; listings show ids, kinds and scopes, never a secret or its hash.
//
// A token's stores are (site, store) pairs: `stores: [{ site, store }]`. The
// older form, `stores` as bare ids, is still read when `sites` names one site
// (each id pairs with it); with several sites a bare id is ambiguous and refused,
// since acting for "x" in every named site is exactly what pairs prevent.
import { Hono } from 'hono';
import { createToken, type AuthEnv, type StorePair } from '../auth/tokens';
import { getSite } from '../db/sites';
import { listTokens, revokeToken } from '../db/tokens';
import { ApiError, badRequest } from '../errors';
import { field, jsonBody, stringList } from '../middleware/body';

export const adminTokens = new Hono<AuthEnv>();

const MAX_STORES = 500;
const STORE_ID = /^[a-z0-9][a-z0-9_-]{0,63}$/; // as admin.ts names stores

/** `stores` as pairs; `sites` is what the body named (undefined: taken from the pairs). */
function storeScope(b: Record<string, unknown>, sites: string[] | undefined): StorePair[] {
  const v = b.stores;
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v) || v.length > MAX_STORES) throw badRequest('invalid_field', `"stores" must be an array of at most ${MAX_STORES} { site, store } pairs`);
  const pairs = new Map<string, StorePair>();
  for (const x of v) {
    let pair: StorePair;
    if (typeof x === 'string') {
      if (sites?.length !== 1) {
        throw badRequest('ambiguous_store', `store "${x.slice(0, 64)}" names no site: with several sites, give stores as { "site": …, "store": … } pairs`);
      }
      pair = { site: sites[0], store: x };
    } else if (typeof x === 'object' && x !== null && typeof x.site === 'string' && typeof x.store === 'string') {
      pair = { site: x.site, store: x.store };
    } else {
      throw badRequest('invalid_field', '"stores" must hold { "site": …, "store": … } pairs');
    }
    if (!STORE_ID.test(pair.store)) throw badRequest('invalid_field', `store id "${pair.store.slice(0, 64)}" must be lowercase letters, digits, "-" or "_"`);
    if (sites && !sites.includes(pair.site)) throw badRequest('invalid_field', `store "${pair.store}" is of site "${pair.site.slice(0, 64)}", which "sites" does not name`);
    pairs.set(`${pair.site}\u0000${pair.store}`, pair);
  }
  return [...pairs.values()];
}

adminTokens.get('/', async (c) => c.json({ tokens: await listTokens(c.env.DB, c.req.query('site') || undefined) }));

adminTokens.post('/', async (c) => {
  const b = await jsonBody(c);
  const kind = b.kind;
  if (kind !== 'report' && kind !== 'store') throw badRequest('invalid_field', '"kind" must be "report" or "store"');
  const named = stringList(b, 'sites', 100, 64);
  const stores = storeScope(b, named);
  // Pairs alone are enough: their sites are the token's sites.
  const sites = named ?? [...new Set(stores.map((x) => x.site))];
  if (!sites.length) throw badRequest('missing_field', '"sites" must name at least one site');
  for (const s of sites) {
    if (!(await getSite(c.env.DB, s))) throw badRequest('unknown_site', `site "${s}" does not exist`);
  }
  if (kind === 'store' && !stores.length) throw badRequest('missing_field', 'a store token must name its "stores"');
  if (kind === 'store') {
    const idle = sites.find((s) => !stores.some((x) => x.site === s));
    if (idle) throw badRequest('invalid_field', `a store token names site "${idle}" but none of its stores`);
  }
  const { id, secret } = await createToken(c.env.DB, { kind, sites, stores, label: field(b, 'label', 200) });
  // The secret is shown once, here; only its hash is kept.
  return c.json({ id, kind, sites, stores, token: secret }, 201);
});

adminTokens.delete('/:id', async (c) => {
  const id = c.req.param('id');
  if (!(await revokeToken(c.env.DB, id))) throw new ApiError(404, 'unknown_token', `token "${id}" does not exist`);
  return c.json({ id, revoked: true });
});
