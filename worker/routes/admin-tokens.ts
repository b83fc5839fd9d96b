// /api/v1/admin/tokens: issue, list and revoke report and store tokens (the
// admin token guards them through admin.ts). A secret is shown once, at
// creation; listings show ids, kinds and scopes, never a secret or its hash.
import { Hono } from 'hono';
import { createToken, type AuthEnv } from '../auth/tokens';
import { getSite } from '../db/sites';
import { listTokens, revokeToken } from '../db/tokens';
import { ApiError, badRequest } from '../errors';
import { field, jsonBody, stringList } from './body';

export const adminTokens = new Hono<AuthEnv>();

adminTokens.get('/', async (c) => c.json({ tokens: await listTokens(c.env.DB, c.req.query('site') || undefined) }));

adminTokens.post('/', async (c) => {
  const b = await jsonBody(c);
  const kind = b.kind;
  if (kind !== 'report' && kind !== 'store') throw badRequest('invalid_field', '"kind" must be "report" or "store"');
  const sites = stringList(b, 'sites', 100, 64);
  if (!sites?.length) throw badRequest('missing_field', '"sites" must name at least one site');
  for (const s of sites) {
    if (!(await getSite(c.env.DB, s))) throw badRequest('unknown_site', `site "${s}" does not exist`);
  }
  const stores = stringList(b, 'stores', 500, 64);
  if (kind === 'store' && !stores?.length) throw badRequest('missing_field', 'a store token must name its "stores"');
  const { id, secret } = await createToken(c.env.DB, { kind, sites, stores, label: field(b, 'label', 200) });
  // The secret is shown once, here; only its hash is kept.
  return c.json({ id, kind, sites, stores: stores ?? [], token: secret }, 201);
});

adminTokens.delete('/:id', async (c) => {
  const id = c.req.param('id');
  if (!(await revokeToken(c.env.DB, id))) throw new ApiError(404, 'unknown_token', `token "${id}" does not exist`);
  return c.json({ id, revoked: true });
});
