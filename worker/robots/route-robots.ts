// /api/v1/admin/sites/:site/robots: the site's WeCom and DingTalk group robots
// that get the morning report, a test send, and the reports' deliveries. The
// robots' keys and secrets are write-only: every answer shows them masked.
import { Hono, type Context } from 'hono';
import {
  RobotBody, RobotDeliveriesQuery, RobotParams, robotExamples as ex, RobotTestQuery,
  type RobotDeliveryJson, type RobotInput, type RobotJson,
} from '../../protocol/robots';
import { requireToken } from '../auth/tokens';
import {
  deleteRobot, getRobot, listRobotDeliveries, listRobots, putRobot, robotDeliveryCounts,
  type RobotDeliveryRow, type RobotRow,
} from '../db/robots';
import type { Site } from '../db/sites';
import { ApiError, badRequest } from '../errors';
import { describe } from '../middleware/describe';
import { site, type SiteEnv } from '../middleware/site';
import { json, param, query } from '../middleware/validate';
import { yesterday } from './dates';
import { deliverRobotReports } from './deliver';
import { dashboardLink } from './message';
import { queueReport } from './queue';

export const robots = new Hono<SiteEnv>();

robots.use('*', requireToken('admin'));

const tag = 'Admin: group robots';
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
/** A credential as answers show it: its last 4 characters. */
const masked = (s: string) => `••••${s.slice(-4)}`;

const deliveryJson = (d: RobotDeliveryRow): RobotDeliveryJson => ({
  id: d.id, robot: d.robot_id, day: d.day, kind: d.kind, status: d.status, attempts: d.attempts, lastStatus: d.last_status, lastError: d.last_error,
  nextAttemptAt: d.status === 'pending' ? iso(d.next_at) : null, createdAt: iso(d.created_at)!, deliveredAt: iso(d.delivered_at),
});

async function robotJson(db: D1Database, s: Site, r: RobotRow): Promise<RobotJson> {
  const [counts, [last]] = await Promise.all([robotDeliveryCounts(db, s.siteKey, r.id), listRobotDeliveries(db, s.siteKey, { robot: r.id, limit: 1 })]);
  return {
    site: s.siteKey, id: r.id, kind: r.kind, name: r.name, key: masked(r.token), secret: r.secret === null ? null : masked(r.secret),
    dashboardUrl: r.dashboard_url, link: dashboardLink(r.dashboard_url, s.origins), enabled: r.enabled === 1,
    createdAt: iso(r.created_at)!, updatedAt: iso(r.updated_at)!, deliveries: counts, last: last ? deliveryJson(last) : null,
  };
}

/** The robot named in the path, or 404 no_robot. */
async function robotOf(c: Context<SiteEnv>, id: string): Promise<RobotRow> {
  const key = c.get('site').siteKey;
  const r = await getRobot(c.env.DB, key, id);
  if (!r) throw new ApiError(404, 'no_robot', `site "${key}" has no robot "${id}"`);
  return r;
}

/** The row a PUT makes: what the body gives over what was stored; a new robot (or a new kind) must give its credentials. */
function merged(siteKey: string, id: string, b: RobotInput, prev: RobotRow | null, now: number): RobotRow {
  const kept = prev?.kind === b.kind ? prev : null;
  const [field, given] = b.kind === 'wecom' ? ['key', b.key] : ['accessToken', b.accessToken];
  const token = given ?? kept?.token;
  if (!token) throw badRequest('missing_field', `"${field}" is required: this robot is new${prev ? ' to this kind' : ''}`);
  const secret = b.kind === 'dingtalk' ? (b.secret ?? kept?.secret ?? null) : null;
  if (b.kind === 'dingtalk' && !secret) throw badRequest('missing_field', '"secret" is required: the robot\'s signing secret (加签, SEC…)');
  return {
    site_key: siteKey, id, kind: b.kind, name: b.name ?? prev?.name ?? id, token, secret,
    dashboard_url: b.dashboardUrl === undefined ? (prev?.dashboard_url ?? null) : b.dashboardUrl,
    enabled: (b.enabled ?? (prev ? prev.enabled === 1 : true)) ? 1 : 0, created_at: prev?.created_at ?? now, updated_at: now,
  };
}

robots.get(
  '/sites/:site/robots',
  describe({ tag, auth: 'admin', summary: "The site's group robots (keys and secrets masked)", ok: { example: ex.robots }, errors: { 404: 'No such site' } }),
  site('param'),
  async (c) => {
    const s = c.get('site');
    const rows = await listRobots(c.env.DB, s.siteKey);
    return c.json({ site: s.siteKey, robots: await Promise.all(rows.map((r) => robotJson(c.env.DB, s, r))) });
  },
);

// Before /robots/:id, which would take "deliveries" for an id.
robots.get(
  '/sites/:site/robots/deliveries',
  describe({
    tag, auth: 'admin', summary: 'The latest 100 morning reports and test sends, newest first; `status` and `robot` filter',
    ok: { example: ex.deliveries }, errors: { 404: 'No such site' },
  }),
  site('param'),
  query(RobotDeliveriesQuery),
  async (c) => {
    const key = c.get('site').siteKey;
    const rows = await listRobotDeliveries(c.env.DB, key, c.req.valid('query'));
    return c.json({ site: key, deliveries: rows.map(deliveryJson) });
  },
);

robots.get(
  '/sites/:site/robots/:id',
  describe({ tag, auth: 'admin', summary: 'One robot, its reports by status and the last one (key and secret masked)', ok: { example: ex.robot }, errors: { 404: 'No such site or robot' } }),
  site('param'),
  param(RobotParams),
  async (c) => c.json({ robot: await robotJson(c.env.DB, c.get('site'), await robotOf(c, c.req.valid('param').id)) }),
);

robots.put(
  '/sites/:site/robots/:id',
  describe({
    tag, auth: 'admin', summary: 'Add or change a WeCom or DingTalk group robot',
    description: 'WeCom: `key` (or the whole webhook URL). DingTalk: `accessToken` (or the whole webhook URL) and `secret` (加签). Required for a new robot; left out later, the stored ones are kept. The answer shows them masked.',
    ok: { status: 201, description: 'Added (200 when changed)', example: ex.robot }, errors: { 404: 'No such site' },
  }),
  site('param'),
  param(RobotParams),
  json(RobotBody, { max: 8192 }),
  async (c) => {
    const s = c.get('site');
    const { id } = c.req.valid('param');
    const prev = await getRobot(c.env.DB, s.siteKey, id);
    const row = merged(s.siteKey, id, c.req.valid('json'), prev, Date.now());
    await putRobot(c.env.DB, row);
    return c.json({ robot: await robotJson(c.env.DB, s, row) }, prev ? 200 : 201);
  },
);

robots.delete(
  '/sites/:site/robots/:id',
  describe({ tag, auth: 'admin', summary: 'Remove a robot (its unsent reports fail; sent ones stay listed)', ok: { example: ex.removed }, errors: { 404: 'No such site or robot' } }),
  site('param'),
  param(RobotParams),
  async (c) => {
    const key = c.get('site').siteKey;
    const { id } = c.req.valid('param');
    if (!(await deleteRobot(c.env.DB, key, id, Date.now()))) throw new ApiError(404, 'no_robot', `site "${key}" has no robot "${id}"`);
    return c.json({ site: key, id, removed: true });
  },
);

robots.post(
  '/sites/:site/robots/:id/test',
  describe({
    tag, auth: 'admin', summary: "Send the robot yesterday's report now (or `day`'s)",
    description: "A test send: queued and sent at once, outside the morning's one-a-day rule. Watch it in …/robots/deliveries.",
    ok: { status: 202, example: ex.queued }, errors: { 404: 'No such site or robot', 409: 'The robot is paused' },
  }),
  site('param'),
  param(RobotParams),
  query(RobotTestQuery),
  async (c) => {
    const s = c.get('site');
    const r = await robotOf(c, c.req.valid('param').id);
    if (!r.enabled) throw new ApiError(409, 'robot_paused', `robot "${r.id}" is paused: set "enabled": true first`);
    const now = Date.now();
    const q = await queueReport(c.env.DB, s, r, c.req.valid('query').day ?? yesterday(now, s.timezone), 'test', now);
    if (!q.queued) throw new ApiError(409, 'robot_paused', `robot "${r.id}" was paused or removed meanwhile`);
    c.executionCtx.waitUntil(deliverRobotReports(c.env.DB, { siteKey: s.siteKey }).catch((err) => console.error('robot delivery', err)));
    return c.json({ site: s.siteKey, robot: r.id, id: q.id, day: q.day, status: 'pending' as const }, 202);
  },
);
