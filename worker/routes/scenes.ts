// GET /api/v1/reports/scenes: a WeChat mini program's visitors by the launch
// scene of their first landing, with how many booked, arrived and bought
// (worker/reports/scenes.ts). Mounted in app.ts before the other /api/v1/reports routes.
import { Hono } from 'hono';
import { SCENE_COLUMNS, ScenesQuery, scenesExample, type ScenesReport } from '../../protocol/scenes';
import { csvResponse } from '../reports/csv';
import { reportCsv } from '../reports/csv-headers';
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
      'A cohort: the visitors whose first touch was a mini program landing (source `wechat_miniprogram`) on a local day of the range, grouped by its launch scene (1047 a scanned mini program code, 1007 a card shared in a chat, …; `name` is the zh-CN name of a common one), followed to their appointments, arrivals and deals whenever those came. A store-scoped token counts only its stores\' leads, arrivals and deals. With `format=csv`, the same rows as CSV (UTF-8 with a BOM; revenue in yuan; `lang=zh-CN` for Chinese headers).',
    ok: { example: scenesExample },
    errors: { 404: 'No such site' },
  }),
  requireToken('report'),
  query(ScenesQuery),
  site('query'),
  async function scenesReport(c) {
    const q = c.req.valid('query');
    const { from, to } = dayRangeOf(q);
    const s = c.get('site');
    const body: ScenesReport = { site: s.siteKey, from, to, timezone: s.timezone, rows: await sceneRows(c.env.DB, s, from, to, storeScope(c.get('principal'))) };
    if (q.format === 'csv') return csvResponse(reportCsv([...SCENE_COLUMNS], body.rows.map((r) => ({ ...r })), q.lang), `scenes-${from}-${to}`);
    return c.json(body);
  },
);
