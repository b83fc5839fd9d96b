// GET /api/v1/session: who a token is and which sites (with stores) it may see:
// a token that names stores lists those stores only. `stores` is its pairs, or
// '*' when it sees every store of its sites.
// The dashboard calls it right after sign-in to check the token and fill its
// site picker; it never returns a secret.
import { Hono } from 'hono';
import { requireToken, type AuthEnv } from '../auth/tokens';
import { sessionSites } from '../db/session';

export const session = new Hono<AuthEnv>();

session.get('/', requireToken('report', 'store'), async (c) => {
  const p = c.get('principal');
  const sites = await sessionSites(c.env.DB, p.sites, p.stores);
  return c.json({ kind: p.kind, tokenId: p.tokenId, stores: p.stores, sites });
});
