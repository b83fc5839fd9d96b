// The cron: raw events past a site's retention are deleted, the rollups (and so
// the reports) stay, other sites keep theirs, and a failing task is isolated.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { DAILY, FREQUENT, runScheduled, tasksFor } from '../../worker/scheduled';
import { call, createSite, createToken } from './helpers';
import { at, DAY_MS, postOk, shanghaiDay } from './report-fixtures';

const count = async (site: string) =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM events WHERE site_key = ?1').bind(site).first<{ n: number }>())!.n;

describe('retention cron', () => {
  it('purges expired raw events and keeps the rollups', async () => {
    const short = await createSite();
    const long = await createSite();
    await env.DB.prepare('UPDATE sites SET retention_days = 1 WHERE site_key = ?1').bind(short).run();
    const D = shanghaiDay(0);
    const t = Date.now() - 60_000;
    for (const s of [short, long]) await postOk(s, [at(t, 'x', { q: { ch: 'wechat' } }), at(t, 'x', { k: 'SKU' })]);
    const token = await createToken('report', [short]);
    const report = async () => (await (await call(`/api/v1/reports/channels?site=${short}&from=${D.day}&to=${D.day}`, { token })).json()) as { rows: unknown[] };
    const before = await report();

    const cron = async (days: number) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + days * DAY_MS, cron: DAILY }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    // Two days later: past short's 1-day setting, but rows live at least 8 days
    // (the replay guard must outlive /collect's 7-day window).
    await cron(2);
    expect(await count(short)).toBe(2);
    // Nine days later: past the 8-day floor.
    await cron(9);
    expect(await count(short)).toBe(0);
    expect(await count(long)).toBe(2);
    expect(await report()).toEqual(before);
    expect(before.rows).toEqual([expect.objectContaining({ channel: 'wechat', visitors: 1, views: 2 })]);
  });

  it('isolates a failing task', async () => {
    const ran: string[] = [];
    const out = await runScheduled(env, Date.now(), [
      { name: 'broken', crons: [], run: async () => { throw new Error('boom'); } },
      { name: 'fine', crons: [], run: async () => { ran.push('fine'); return 1; } },
    ]);
    expect(out).toEqual([{ name: 'broken', ok: false, error: 'Error: boom' }, { name: 'fine', ok: true, result: 1 }]);
    expect(ran).toEqual(['fine']);
  });

  it('runs retention only on the daily trigger, webhook retries on both', () => {
    expect(tasksFor(DAILY).map((t) => t.name)).toEqual(['retention', 'crm-webhooks']);
    expect(tasksFor(FREQUENT).map((t) => t.name)).toEqual(['crm-webhooks']);
  });
});
