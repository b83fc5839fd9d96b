// GET /api/v1/reports/service over a small hand-computed set of conversations.
// Every expected number below is worked out by hand in the comments: nearest
// rank means the value at rank ⌈p·n/100⌉ of the ascending list.
import { beforeAll, describe, expect, it } from 'vitest';
import type { ConversationEventInput } from '../../protocol/chat';
import { ADMIN, call, createSite, createToken, ev, post, today } from './helpers';
import { addLead, addVisitor, DAY, postConversations, SEC } from './service-fixtures';

const T0 = Date.parse('2025-06-10T10:00:00+08:00'); // local day 2025-06-10
const T1 = Date.parse('2025-06-11T00:30:00+08:00'); // local day 2025-06-11, still 2025-06-10 in UTC
const H = 3_600_000;

let site: string;
let store: string;
let report: string;

// c1–c5 by alice on 06-10, c6–c8 by bob and c9 unassigned on 06-11.
// response s: c1 5, c2 20, c3 40, c4 —, c5 90, c6 10, c7 30, c8 —, c9 15
// duration s: c1 300, c2 600, c3 120, c4 60, c5 —, c6 200, c7 400, c8 —, c9 —
// converted:  c1 (v1's lead 10 min after start), c5 (named lead, 10 days after), c7 (lead exactly 30 days after)
// not:        c3 (v1's lead came before c3 started), c6 (lead 31 days after: outside the 30-day window)
const fixture: ConversationEventInput[] = [
  { conversation: 'c1', type: 'started', at: T0, agent: 'alice', visitor: 'v1', topics: ['Price', ' delivery '] },
  { conversation: 'c1', type: 'first_reply', at: T0 + 5 * SEC },
  { conversation: 'c1', type: 'reply', count: 3, at: T0 + 60 * SEC },
  { conversation: 'c1', type: 'ended', at: new Date(T0 + 300 * SEC).toISOString() },
  // c2 arrives back to front; the row must come out the same.
  { conversation: 'c2', type: 'ended', at: T0 + H + 600 * SEC },
  { conversation: 'c2', type: 'reply', id: 'r2' },
  { conversation: 'c2', type: 'reply', id: 'r1' },
  { conversation: 'c2', type: 'first_reply', at: T0 + H + 20 * SEC },
  { conversation: 'c2', type: 'started', at: T0 + H, agent: 'alice', visitor: 'v2', channel: 'wechat', topics: ['PRICE'] },
  { conversation: 'c3', type: 'started', at: T0 + 2 * H, agent: 'alice', visitor: 'v1', topics: ['custom  size'] },
  { conversation: 'c3', type: 'first_reply', at: T0 + 2 * H + 40 * SEC },
  { conversation: 'c3', type: 'ended', at: T0 + 2 * H + 120 * SEC },
  { conversation: 'c4', type: 'started', at: T0 + 3 * H, agent: 'alice', visitor: 'v3' },
  { conversation: 'c4', type: 'ended', at: T0 + 3 * H + 60 * SEC },
  { conversation: 'c5', type: 'started', at: T0 + 4 * H, agent: 'alice', lead: 'k7m-x2a' }, // typed as staff do
  { conversation: 'c5', type: 'first_reply', at: T0 + 4 * H + 90 * SEC },
  { conversation: 'c6', type: 'started', at: T1, agent: 'bob', visitor: 'v5', topics: ['delivery'] },
  { conversation: 'c6', type: 'first_reply', at: T1 + 10 * SEC },
  { conversation: 'c6', type: 'ended', at: T1 + 200 * SEC },
  { conversation: 'c7', type: 'started', at: T1 + H, agent: 'bob', visitor: 'v6', channel: 'WeChat', topics: ['price'] },
  { conversation: 'c7', type: 'first_reply', at: T1 + H + 30 * SEC },
  { conversation: 'c7', type: 'ended', at: T1 + H + 400 * SEC },
  { conversation: 'c8', type: 'started', at: T1 + 2 * H, agent: 'bob' },
  { conversation: 'c9', type: 'started', at: T1 + 3 * H, visitor: 'v7' },
];

beforeAll(async () => {
  site = await createSite();
  store = await createToken('store', [site], ['s1']);
  report = await createToken('report', [site]);
  await addVisitor(site, 'v1', 'baidu_sem');
  await addVisitor(site, 'v2', 'zhihu'); // c2 names wechat itself: that wins
  await addVisitor(site, 'v3', 'direct');
  await addVisitor(site, 'v5', 'baidu_sem');
  await addVisitor(site, 'v6', 'zhihu');
  await addLead(site, 'L1', 'v1', T0 + 600 * SEC);
  await addLead(site, 'K7MX2A', 'v4', T0 + 4 * H + 10 * DAY, 'douyin'); // v4 has no visitor row: the lead's touch is used
  await addLead(site, 'L5', 'v5', T1 + 31 * DAY);
  await addLead(site, 'L6', 'v6', T1 + H + 30 * DAY);
  const res = await postConversations(store, site, fixture);
  expect(await res.json()).toEqual({ accepted: fixture.length, duplicates: 0, rejected: [] });
  // v7's visitor row appears only after c9 started; c9's next event picks its channel up.
  await addVisitor(site, 'v7', 'weibo');
  await postConversations(store, site, [{ conversation: 'c9', type: 'first_reply', at: T1 + 3 * H + 15 * SEC, visitor: 'v7' }]);
});

const get = async (qs: string, token = report) => {
  const res = await call(`/api/v1/reports/service?site=${site}&${qs}`, { token });
  expect(res.status).toBe(200);
  return (await res.json()) as Record<string, any>;
};

describe('service report by agent', () => {
  it('computes medians, p90, target share, duration and conversion per agent', async () => {
    const r = await get('from=2025-06-10&to=2025-06-11&by=agent');
    expect(r).toMatchObject({ by: 'agent', targetSeconds: 30, attributionDays: 30, percentile: 'nearest-rank' });
    expect(r.rows.map((x: any) => x.agent)).toEqual(['alice', 'bob', '(unassigned)']);
    // alice: responses [5,20,40,90] → median rank 2 = 20 s, p90 rank ⌈3.6⌉ = 4 = 90 s;
    // within 30 s: 5, 20 → 2 of 5 conversations (c4 unanswered is a miss, not 0 s);
    // durations [60,120,300,600] → median rank 2 = 120 s; replies 3 + 2 + 1 + 0 + 1.
    expect(r.rows[0]).toEqual({
      agent: 'alice', conversations: 5, visitors: 4, answered: 4, unanswered: 1,
      firstResponseMedianMs: 20_000, firstResponseP90Ms: 90_000, answeredWithinTarget: 2, withinTargetRate: 0.4,
      ended: 4, durationMedianMs: 120_000, replies: 7, appointments: 2, appointmentRate: 0.4,
      topTopics: [
        { topic: 'price', conversations: 2, appointments: 1, appointmentRate: 0.5 },
        { topic: 'custom size', conversations: 1, appointments: 0, appointmentRate: 0 },
        { topic: 'delivery', conversations: 1, appointments: 1, appointmentRate: 1 },
      ],
    });
    // bob: responses [10,30] → median rank 1 = 10 s, p90 rank 2 = 30 s; 30 s is within a 30 s target;
    // durations [200,400] → median 200 s; only c7 converted (c6's lead came on day 31).
    expect(r.rows[1]).toMatchObject({
      agent: 'bob', conversations: 3, visitors: 2, answered: 2, unanswered: 1,
      firstResponseMedianMs: 10_000, firstResponseP90Ms: 30_000, answeredWithinTarget: 2, withinTargetRate: 0.6667,
      ended: 2, durationMedianMs: 200_000, replies: 2, appointments: 1, appointmentRate: 0.3333,
    });
    expect(r.rows[2]).toMatchObject({
      agent: '(unassigned)', conversations: 1, visitors: 1, answered: 1, firstResponseMedianMs: 15_000,
      firstResponseP90Ms: 15_000, ended: 0, durationMedianMs: null, appointments: 0, appointmentRate: 0,
    });
  });

  it('totals are computed from all conversations, not summed from rows', async () => {
    const r = await get('from=2025-06-10&to=2025-06-11');
    // responses [5,10,15,20,30,40,90] → median rank 4 = 20 s, p90 rank ⌈6.3⌉ = 7 = 90 s; within: 5 of 9.
    // durations [60,120,200,300,400,600] → median rank 3 = 200 s.
    expect(r.totals).toMatchObject({
      conversations: 9, visitors: 7, answered: 7, unanswered: 2,
      firstResponseMedianMs: 20_000, firstResponseP90Ms: 90_000, answeredWithinTarget: 5, withinTargetRate: 0.5556,
      ended: 6, durationMedianMs: 200_000, replies: 10, appointments: 3, appointmentRate: 0.3333,
    });
    expect(r.topics).toEqual([
      { topic: 'price', conversations: 3, appointments: 2, appointmentRate: 0.6667 },
      { topic: 'delivery', conversations: 2, appointments: 1, appointmentRate: 0.5 },
      { topic: 'custom size', conversations: 1, appointments: 0, appointmentRate: 0 },
    ]);
    expect(r.firstResponseBuckets).toEqual([
      { upToS: 10, conversations: 2 }, { upToS: 30, conversations: 3 }, { upToS: 60, conversations: 1 },
      { upToS: 120, conversations: 1 }, { upToS: 300, conversations: 0 }, { upToS: 600, conversations: 0 },
      { upToS: null, conversations: 0 },
    ]);
  });

  it('limits topics per row with top', async () => {
    const r = await get('from=2025-06-10&to=2025-06-11&top=1');
    expect(r.rows[0].topTopics).toEqual([{ topic: 'price', conversations: 2, appointments: 1, appointmentRate: 0.5 }]);
  });
});

describe('service report by channel and by day', () => {
  it('credits the stated channel, else the visitor’s touch, else the lead’s, else (unknown)', async () => {
    const r = await get('from=2025-06-10&to=2025-06-11&by=channel');
    expect(r.rows.map((x: any) => [x.channel, x.conversations])).toEqual([
      ['baidu_sem', 3], ['wechat', 2], ['(unknown)', 1], ['direct', 1], ['douyin', 1], ['weibo', 1],
    ]);
    // baidu_sem = c1, c3, c6: responses [5,10,40] → median 10 s, p90 rank ⌈2.7⌉ = 3 = 40 s.
    expect(r.rows[0]).toMatchObject({ visitors: 2, firstResponseMedianMs: 10_000, firstResponseP90Ms: 40_000, withinTargetRate: 0.6667, durationMedianMs: 200_000, appointments: 1 });
    expect(r.rows[1]).toMatchObject({ firstResponseMedianMs: 20_000, firstResponseP90Ms: 30_000, withinTargetRate: 1, appointments: 1, appointmentRate: 0.5 });
  });

  it('groups by the local start day, with a row for every day of the range', async () => {
    const r = await get('from=2025-06-09&to=2025-06-12&by=day');
    expect(r.rows.map((x: any) => [x.day, x.conversations])).toEqual([
      ['2025-06-09', 0], ['2025-06-10', 5], ['2025-06-11', 4], ['2025-06-12', 0],
    ]);
    expect(r.rows[0]).toMatchObject({ firstResponseMedianMs: null, withinTargetRate: null, appointmentRate: null, topTopics: [] });
    // 06-11 (c6 started 00:30 local, 16:30 UTC the day before): responses [10,15,30] → median 15 s, p90 30 s.
    expect(r.rows[2]).toMatchObject({
      conversations: 4, visitors: 3, answered: 3, unanswered: 1, firstResponseMedianMs: 15_000, firstResponseP90Ms: 30_000,
      answeredWithinTarget: 3, withinTargetRate: 0.75, durationMedianMs: 200_000, appointments: 1, appointmentRate: 0.25,
    });
  });

  it('reads days in the site’s timezone: one UTC day earlier is empty', async () => {
    const r = await get('from=2025-06-11&to=2025-06-11&by=agent');
    expect(r.totals.conversations).toBe(4);
  });
});

describe('CSV', () => {
  it('is UTF-8 with a BOM, one line per row, topics listed', async () => {
    const res = await call(`/api/v1/reports/service?site=${site}&from=2025-06-10&to=2025-06-11&by=agent&format=csv`, { token: report });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await res.clone().arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = (await res.text()).replace(/^\uFEFF/, '').trimEnd().split('\r\n');
    expect(lines[0]).toBe('agent,conversations,visitors,answered,unanswered,firstResponseMedianMs,firstResponseP90Ms,answeredWithinTarget,withinTargetRate,ended,durationMedianMs,replies,appointments,appointmentRate,topTopics');
    expect(lines[1]).toBe('alice,5,4,4,1,20000,90000,2,0.4,4,120000,7,2,0.4,"price (2); custom size (1); delivery (1)"'); // quoted: it holds ";"
    expect(lines).toHaveLength(4);
  });
});

describe('idempotency and the target', () => {
  it('a replay of every event changes nothing', async () => {
    const before = await get('from=2025-06-10&to=2025-06-11&by=channel');
    const res = await postConversations(store, site, fixture);
    expect(await res.json()).toEqual({ accepted: fixture.length, duplicates: fixture.length, rejected: [] });
    expect(await get('from=2025-06-10&to=2025-06-11&by=channel')).toEqual(before);
  });

  it('follows the response target the admin sets', async () => {
    const put = await call(`/api/v1/admin/sites/${site}/service`, { method: 'PUT', token: ADMIN, json: { responseTargetSeconds: 15 } });
    expect(put.status).toBe(200);
    const r = await get('from=2025-06-10&to=2025-06-11');
    // within 15 s: 5, 10, 15 → 3 of 9.
    expect(r).toMatchObject({ targetSeconds: 15, totals: { answeredWithinTarget: 3, withinTargetRate: 0.3333 } });
  });
});

describe('through the real /collect and lead path', () => {
  it('credits the visitor’s landing channel and counts the appointment the page made', async () => {
    const s = await createSite();
    const st = await createToken('store', [s], ['s1']);
    const rp = await createToken('report', [s]);
    const now = Date.now();
    const visit = await post({ s, e: [ev({ v: 'web-1', ss: 'ss-1', ts: now - 120 * SEC, q: { ch: 'xhs_note' } })] });
    expect(visit.status).toBe(202);
    await postConversations(st, s, [
      { conversation: 'live-1', type: 'started', at: now - 60 * SEC, visitor: 'web-1', agent: 'amy', topics: ['price'] },
      { conversation: 'live-1', type: 'first_reply', at: now - 50 * SEC },
    ]);
    const booked = await post({ s, e: [ev({ t: 'appointment', v: 'web-1', ss: 'ss-1', ts: now - 10 * SEC, p: { store: 's1' } })] });
    expect(((await booked.json()) as { accepted: number }).accepted).toBe(1);
    // From yesterday, so a run just after local midnight still finds the conversation.
    const from = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(now - DAY);
    const r = (await (await call(`/api/v1/reports/service?site=${s}&from=${from}&to=${today()}&by=channel`, { token: rp })).json()) as Record<string, any>;
    expect(r.rows).toEqual([
      expect.objectContaining({ channel: 'xhs_note', conversations: 1, visitors: 1, firstResponseMedianMs: 10_000, appointments: 1, appointmentRate: 1 }),
    ]);
  });
});
