// The cron: raw events past a site's retention are deleted (the D1 event chunks by
// local day, and legacy rows of the old events table), the rollups (and so the
// reports) and the R2 archive stay, other sites keep theirs, and a failing task is isolated.
import { createExecutionContext, createScheduledController, env, waitOnExecutionContext } from 'cloudflare:test';
import { describe, expect, it } from 'vitest';
import worker from '../../worker/index';
import { DAILY, FREQUENT, runScheduled, tasksFor } from '../../worker/scheduled';
import { call, createSite, createToken, storedEvents } from './helpers';
import { at, DAY_MS, postOk, shanghaiDay } from './report-fixtures';

// The site's events in D1: its event chunks' lines, and any legacy rows of the events table (before 0008).
const count = async (site: string) => (await storedEvents(site)).length + (await legacy(site));
const legacy = async (site: string) =>
  (await env.DB.prepare('SELECT COUNT(*) AS n FROM events WHERE site_key = ?1').bind(site).first<{ n: number }>())!.n;
const archived = async (site: string) => (await env.ARCHIVE.list({ prefix: `events/site=${site}/` })).objects.length;

/** A row of the legacy events table, as /collect wrote them before the queue (migration 0008). */
const legacyRow = (site: string, receivedAt: number) =>
  env.DB.prepare(`INSERT INTO events (site_key, id, type, visitor_id, session_id, ts, received_at, day, channel)
    VALUES (?1, ?2, 'view', 'old', 'old-s', ?3, ?3, '2020-01-01', 'direct')`).bind(site, `legacy-${receivedAt}`, receivedAt).run();

describe('retention cron', () => {
  it('purges expired raw events and keeps the rollups', async () => {
    const short = await createSite();
    const long = await createSite();
    await env.DB.prepare('UPDATE sites SET retention_days = 1 WHERE site_key = ?1').bind(short).run();
    const D = shanghaiDay(0);
    const t = Date.now() - 60_000;
    for (const s of [short, long]) await postOk(s, [at(t, 'x', { q: { ch: 'wechat' } }), at(t, 'x', { k: 'SKU' })]);
    await legacyRow(short, t);
    const token = await createToken('report', [short]);
    const report = async () => (await (await call(`/api/v1/reports/channels?site=${short}&from=${D.day}&to=${D.day}`, { token })).json()) as { rows: unknown[] };
    const before = await report();
    expect(await count(short)).toBe(3);
    expect(await archived(short)).toBeGreaterThan(0);

    const cron = async (days: number) => {
      const ctx = createExecutionContext();
      await worker.scheduled(createScheduledController({ scheduledTime: Date.now() + days * DAY_MS, cron: DAILY }), env, ctx);
      await waitOnExecutionContext(ctx);
    };
    // Seven days later: past short's 1-day setting, but events live at least 8 days
    // (the replay guard must outlive /collect's 7-day window).
    await cron(7);
    expect(await count(short)).toBe(3);
    // Eleven days later: past the 8-day floor. Chunks go by whole local day, counted
    // from the UTC date a day before the cutoff (worker/db/retention.ts): up to two days
    // later than the floor, so 11 is past it at any hour and in any timezone.
    await cron(11);
    expect(await storedEvents(short)).toEqual([]);
    expect(await legacy(short)).toBe(0);
    expect(await count(long)).toBe(2);
    expect(await report()).toEqual(before);
    expect(before.rows).toEqual([expect.objectContaining({ channel: 'wechat', visitors: 1, views: 2 })]);
    // The R2 archive keeps events past D1's retention (its own lifecycle rule, README).
    expect(await archived(short)).toBeGreaterThan(0);
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

  it('runs retention only on the daily trigger, webhook retries and the morning reports on both', () => {
    expect(tasksFor(DAILY).map((t) => t.name)).toEqual(['retention', 'crm-webhooks', 'ad-conversions', 'robot-reports']);
    expect(tasksFor(FREQUENT).map((t) => t.name)).toEqual(['crm-webhooks', 'ad-conversions', 'robot-reports']);
  });
});
