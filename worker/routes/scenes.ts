// GET /api/v1/reports/scenes: a WeChat mini program's visitors by the launch
// scene of their first landing, with how many booked, arrived and bought
// (worker/reports/scenes.ts). Mounted in app.ts before the other /api/v1/reports routes.
import { Hono } from 'hono';
import { ScenesQuery, scenesExample, type ScenesReport } from '../../protocol/scenes';
import { requireToken } from '../auth/tokens';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { query } from '../middleware/validate';
import { sceneRows } from '../reports/scenes';
import { dayRangeOf } from './params';
import { storeScope } from './scope';

export const scenes = new Hono<SiteEnv>();

scenes.get(
  '/',
  describe({
    tag: 'Reports', auth: 'report', summary: "A mini program's visitors by launch scene, with how many booked, arrived and bought",
    description:
      'A cohort: the visitors whose first touch was a mini program landing (source `wechat_miniprogram`) on a local day of the range, grouped by its launch scene (1047 a scanned mini program code, 1007 a card shared in a chat, …; `name` is the zh-CN name of a common one), followed to their appointments, arrivals and deals whenever those came. A store-scoped token counts only its stores\' leads, arrivals and deals.',
    ok: { example: scenesExample },
    errors: { 404: 'No such site' },
  }),
  requireToken('report'),
  query(ScenesQuery),
  site('query'),
  async function scenesReport(c) {
    const { from, to } = dayRangeOf(c.req.valid('query'));
    const s = c.get('site');
    const body: ScenesReport = { site: s.siteKey, from, to, timezone: s.timezone, rows: await sceneRows(c.env.DB, s, from, to, storeScope(c.get('principal'))) };
    return c.json(body);
  },
);
