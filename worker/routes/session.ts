// GET /api/v1/session: who a token is and which sites (with stores) it may see:
// a token that names stores lists those stores only. `stores` is its pairs, or
// '*' when it sees every store of its sites.
// The dashboard calls it right after sign-in to check the token and fill its
// site picker; it never returns a secret.
import { Hono } from 'hono';
import { adminExamples, type SessionJson } from '../../protocol/admin';
import { requireToken, type AuthEnv } from '../auth/tokens';
import { sessionSites } from '../db/session';
import { describe } from '../middleware/describe';

export const session = new Hono<AuthEnv>();

session.get(
  '/',
  describe({
    tag: 'Session', auth: 'report, store or service', summary: 'Who this token is and which sites and stores it may see',
    description: "Each site carries its `channelNames` (channel code → display name, as an admin set them), for the dashboard's labels.",
    ok: { example: adminExamples.session },
  }),
  requireToken('report', 'store', 'service'),
  async (c) => {
  const p = c.get('principal');
  const sites = await sessionSites(c.env.DB, p.sites, p.stores);
  const body: SessionJson = { kind: p.kind, tokenId: p.tokenId, stores: p.stores, sites };
  return c.json(body);
  },
);
