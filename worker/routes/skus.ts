// GET /api/v1/skus: the SKUs a site knows (from its pages' views), so store
// staff pick a deal's SKUs from a list instead of typing codes, and the service
// desk a booking's. Report, store or service token for the site; SKUs are the
// site's catalogue, not a store's.
import { Hono } from 'hono';
import { SkusQuery, type SkusJson } from '../../protocol/staff';
import { requireToken } from '../auth/tokens';
import { siteSkus } from '../db/skus';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { query } from '../middleware/validate';

export const skus = new Hono<SiteEnv>();

const example: SkusJson = { site: 'demo', skus: ['BED-330', 'SOFA-101', 'TABLE-220'], truncated: false };

skus.get(
  '/',
  describe({
    tag: 'Store staff', auth: 'report, store or service', summary: "A site's known SKUs (distinct, sorted, capped at `limit`) for the deal form",
    ok: { example },
  }),
  requireToken('report', 'store', 'service'),
  query(SkusQuery),
  site('query'),
  async (c) => {
    const s = c.get('site');
    const out = await siteSkus(c.env.DB, s.siteKey, c.req.valid('query').limit);
    return c.json({ site: s.siteKey, ...out } satisfies SkusJson);
  },
);
