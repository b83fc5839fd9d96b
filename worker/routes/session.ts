// GET /api/v1/session: who a token is and which sites (with stores) it may see:
// a token that names stores lists those stores only. `stores` is its pairs, or
// '*' when it sees every store of its sites.
// The dashboard calls it right after sign-in to check the token and fill its
// site picker; it never returns a secret.
import { Hono } from 'hono';
import { requireToken, type AuthEnv } from '../auth/tokens';
import { sessionSites } from '../db/session';
import { describe } from '../middleware/describe';

export const session = new Hono<AuthEnv>();

session.get(
  '/',
  describe({
    tag: 'Session', auth: 'report or store', summary: 'Who this token is and which sites and stores it may see',
    ok: { example: { kind: 'store', tokenId: 'tok_x1', stores: [{ site: 'demo', store: 'sh-xuhui' }], sites: [{ siteKey: 'demo', name: '木语家居', currency: 'CNY', timezone: 'Asia/Shanghai', stores: [{ storeId: 'sh-xuhui', name: '徐汇店', region: '上海', city: '上海' }] }] } },
  }),
  requireToken('report', 'store'),
  async (c) => {
  const p = c.get('principal');
  const sites = await sessionSites(c.env.DB, p.sites, p.stores);
  return c.json({ kind: p.kind, tokenId: p.tokenId, stores: p.stores, sites });
  },
);
