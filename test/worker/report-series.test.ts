// Time series (`period=day|week|month`) of the channel and SKU reports: every
// period's rows must be exactly the report of that period alone, over a 40-day
// history folded in shuffled day order (visitors returning on several days and
// by several channels, so a per-period count differs from a per-day sum).
import { beforeAll, describe, expect, it } from 'vitest';
import { periodsOf } from '../../worker/reports/periods';
import { call, createSite, createToken } from './helpers';
import { deliver, message, msgId } from './queue-fixtures';
import { arrival, at, deal, shanghaiDay, store } from './report-fixtures';

type Row = Record<string, unknown>;
type Fact = { v: string; ago: number; ch: string; sku: string; consult: boolean };
const facts: Fact[] = [];
let seed = 7;
const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
for (let i = 0; i < 12; i++) {
  for (let k = 0; k < 4; k++) {
    const ago = 1 + Math.floor(rnd() * 40);
    if (facts.some((f) => f.v === `s${i}` && f.ago === ago)) continue;
    facts.push({ v: `s${i}`, ago, ch: rnd() < 0.5 ? 'wechat' : 'douyin', sku: rnd() < 0.5 ? 'X' : 'Y', consult: rnd() < 0.4 });
  }
}
const from = shanghaiDay(41).day;
const to = shanghaiDay(1).day;

let site: string;
let token: string;
beforeAll(async () => {
  site = await createSite();
  token = await createToken('report', [site]);
  await store(site, 's1', 'Hubei', 'Wuhan');
  const days = [...new Set(facts.map((f) => f.ago))].sort((a, b) => ((a * 7919) % 41) - ((b * 7919) % 41));
  for (const ago of days) {
    const noon = shanghaiDay(ago).start + 12 * 3600_000;
    const evs = facts.filter((f) => f.ago === ago).flatMap((f) => [
      at(noon, f.v, { q: { ch: f.ch }, k: f.sku }),
      ...(f.consult ? [at(noon, f.v, { t: 'consult', c: 'chat', k: f.sku })] : []),
    ]);
    const id = msgId();
    const out = await deliver([{ id, body: await message(site, evs, { country: 'CN', region: 'Hubei', city: 'Wuhan' }, noon + 60_000) }]);
    expect(out.explicitAcks).toEqual([id]);
  }
  // Walk-ins and deals on a few days, by the visitor's touches at the time of writing.
  for (const [v, ago] of [['s1', 3], ['s2', 9], ['s3', 17], ['s4', 30]] as const) {
    await arrival(site, { visitor: v, store: 's1', day: shanghaiDay(ago).day });
    await deal(site, { visitor: v, store: 's1', day: shanghaiDay(ago).day, amount: 100_000 * (ago + 1), items: [{ sku: 'X', qty: 1, amount: 100_000 }] });
  }
});

const get = async (path: string, qs: string) => {
  const res = await call(`/api/v1/reports/${path}?site=${site}&${qs}`, { token });
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as { rows: Row[]; periods?: { period: string; from: string; to: string; correlation?: unknown }[] };
};
const without = (r: Row) => Object.fromEntries(Object.entries(r).filter(([k]) => k !== 'period'));

describe('periods', () => {
  it('cuts a range into local days, ISO weeks from Monday and months, clipped to the range', () => {
    expect(periodsOf('2026-12-30', '2027-01-05', 'week')).toEqual([
      { period: '2026-W53', from: '2026-12-30', to: '2027-01-03' }, // 2026 has 53 ISO weeks; Sunday 3 January ends it
      { period: '2027-W01', from: '2027-01-04', to: '2027-01-05' },
    ]);
    expect(periodsOf('2026-01-31', '2026-03-01', 'month').map((p) => [p.period, p.from, p.to])).toEqual([
      ['2026-01', '2026-01-31', '2026-01-31'], ['2026-02', '2026-02-01', '2026-02-28'], ['2026-03', '2026-03-01', '2026-03-01'],
    ]);
    expect(periodsOf('2026-03-02', '2026-03-02', 'day')).toEqual([{ period: '2026-03-02', from: '2026-03-02', to: '2026-03-02' }]);
  });

  it('refuses more than 92 days, 106 weeks or 36 months', async () => {
    expect(() => periodsOf('2026-01-01', '2026-04-03', 'day')).toThrow(/at most 92/);
    expect(periodsOf('2026-01-01', '2026-04-02', 'day')).toHaveLength(92);
    expect(periodsOf('2026-01-01', '2028-01-09', 'week')).toHaveLength(106); // Monday 29 Dec 2025 to Sunday 9 Jan 2028
    expect(() => periodsOf('2026-01-01', '2029-01-01', 'month')).toThrow(/at most 36/);
    const res = await call(`/api/v1/reports/channels?site=${site}&from=2026-01-01&to=2026-12-31&period=day`, { token });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'range_too_long' } });
  });
});

describe('channel report series', () => {
  it.each([
    ['day', 'channel', 'last'], ['day', 'channel', 'first'], ['week', 'channel', 'last'], ['month', 'channel', 'last'],
    ['week', 'store', 'last'], ['day', 'campaign', 'first'],
  ])('by %s (by=%s, %s touch) equals a report of each period alone', async (period, by, attribution) => {
    const q = `by=${by}&attribution=${attribution}`;
    const series = await get('channels', `from=${from}&to=${to}&${q}&period=${period}`);
    const spans = series.periods!;
    expect(spans.map((p) => p.period)).toEqual(periodsOf(from, to, period as 'day').map((p) => p.period));
    let checked = 0;
    for (const p of spans) {
      const alone = await get('channels', `from=${p.from}&to=${p.to}&${q}`);
      const mine = series.rows.filter((r) => r.period === p.period);
      expect(mine.map(without), `${period} ${p.period}`).toEqual(alone.rows);
      checked += alone.rows.length;
    }
    expect(checked).toBeGreaterThan(2);
    expect(series.rows.map((r) => r.period)).toEqual([...series.rows.map((r) => r.period as string)].sort());
  });

  it('counts a visitor who returns once per period, not once per day', async () => {
    const weeks = await get('channels', `from=${from}&to=${to}&period=week`);
    const days = await get('channels', `from=${from}&to=${to}&period=day`);
    const sum = (rows: Row[]) => rows.reduce((s, r) => s + (r.visitors as number), 0);
    expect(sum(weeks.rows)).toBeLessThanOrEqual(sum(days.rows));
    expect(sum(days.rows)).toBe(new Set(facts.map((f) => `${f.v}|${f.ago}|${f.ch}`)).size); // each visitor-day-channel once
  });

  it('writes the period first in the CSV', async () => {
    const res = await call(`/api/v1/reports/channels?site=${site}&from=${from}&to=${to}&period=month&format=csv&lang=zh-CN`, { token });
    const text = new TextDecoder('utf-8', { ignoreBOM: true }).decode(await res.arrayBuffer());
    expect(text.startsWith('\uFEFF周期,渠道,渠道名称,访客数,')).toBe(true);
    expect(text.split('\r\n')[1]).toMatch(/^\d{4}-\d{2},/);
  });
});

describe('SKU interest series', () => {
  it.each(['day', 'week', 'month'])('by %s equals a report of each period alone', async (period) => {
    const series = await get('sku-interest', `from=${from}&to=${to}&period=${period}`);
    let checked = 0;
    for (const p of series.periods!) {
      const alone = await get('sku-interest', `from=${p.from}&to=${p.to}`);
      expect(series.rows.filter((r) => r.period === p.period).map(without), `${period} ${p.period}`).toEqual(alone.rows);
      expect(p.correlation).toEqual((alone as unknown as { correlation: unknown }).correlation);
      checked += alone.rows.length;
    }
    expect(checked).toBeGreaterThan(2);
  });
});
