// What a desk conversation leaves behind: the service report's figures with no
// vendor (started, first reply, replies, topics, ended, booked), the booking's
// code and store address in the chat, the transcript for report tokens only,
// the visitor's context for the agent, the site's quick replies and tags, and
// the site's retention applied by the conversation's alarm.
import { runDurableObjectAlarm, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ServiceReport } from '../../protocol/reports';
import type { Transcript, VisitorContext } from '../../protocol/desk';
import { ADMIN, call, createSite, createToken, ev, post, today } from './helpers';
import { agentSocket, deskSocket, openChat, roomStub, serviceToken, startedChat } from './desk-fixtures';

let site: string;
let agent: string;
let report: string;

beforeAll(async () => {
  site = await createSite();
  agent = await serviceToken(site, '小王');
  report = await createToken('report', [site]);
  const res = await call(`/api/v1/admin/sites/${site}/stores/sh-xuhui`, { method: 'PUT', token: ADMIN, json: { name: '徐汇店', city: '上海', address: '上海市徐汇区漕溪北路 88 号' } });
  expect(res.status).toBe(200);
  expect(((await res.json()) as { store: { address: string } }).store.address).toBe('上海市徐汇区漕溪北路 88 号');
});

/** A conversation answered twice, tagged, booked and ended by the agent. */
async function served(visitor: string) {
  const { open, v } = await startedChat(site, visitor);
  const d = await deskSocket(agent, site);
  d.send({ t: 'claim', c: open.c });
  await d.next((f) => f.t === 'claimed', 'claimed');
  const a = await agentSocket(agent, site, open.c);
  a.send({ t: 'msg', id: 'a1', text: '有的' });
  await a.next((f) => f.t === 'ack' && f.id === 'a1', 'ack a1');
  a.send({ t: 'msg', id: 'a2', text: '可以预约到店' });
  await a.next((f) => f.t === 'ack' && f.id === 'a2', 'ack a2');
  a.send({ t: 'topics', tags: ['价格', ' 价格 ', '尺寸'] });
  await a.next((f) => f.t === 'state' && Array.isArray(f.topics), 'topics state');
  // The tags are the team's notes on the customer: the visitor's socket never carries them.
  await v.next((f) => f.t === 'state' && f.agent === '小王', 'state');
  expect(v.frames.some((f) => 'topics' in f)).toBe(false);
  return { open, v, a, d };
}

async function serviceReport(): Promise<ServiceReport> {
  const res = await call(`/api/v1/reports/service?site=${site}&from=${today()}&to=${today()}&by=agent`, { token: report });
  expect(res.status).toBe(200);
  return res.json();
}

describe('a desk conversation in the service report', () => {
  it('counts started, first reply, replies, topics, booked and ended with no vendor', async () => {
    const { open, v, a, d } = await served('v_served');
    const booked = await call('/api/v1/leads', { method: 'POST', token: agent, json: { site, visitor: 'v_served', store: 'sh-xuhui', conversation: open.c } });
    expect(booked.status).toBe(201);
    const code = ((await booked.json()) as { lead: { code: string } }).lead.code;
    // The visitor sees the code and where to go.
    expect(await v.next((f) => f.t === 'booked', 'booked')).toMatchObject({ lead: code, store: { id: 'sh-xuhui', name: '徐汇店', address: '上海市徐汇区漕溪北路 88 号' } });
    a.send({ t: 'end' });
    await v.next((f) => f.t === 'state' && f.status === 'ended', 'ended');
    // The room's events reach D1 as it acts: poll the report until the end is in.
    let r = await serviceReport();
    for (const end = Date.now() + 20_000; r.totals.ended < 1 && Date.now() < end; ) {
      await new Promise((res) => setTimeout(res, 10));
      r = await serviceReport();
    }
    expect(r.totals).toMatchObject({ conversations: 1, visitors: 1, answered: 1, unanswered: 0, ended: 1, replies: 2, appointments: 1 });
    expect(r.rows.map((row) => row.agent)).toEqual(['小王']);
    expect(r.totals.topTopics.map((t) => t.topic).sort()).toEqual(['价格', '尺寸']);
    expect(r.totals.firstResponseMedianMs).toBeGreaterThanOrEqual(0);
    expect(await runInDurableObject(roomStub(site, open.c), (_i, state) => state.storage.sql.exec('SELECT COUNT(*) AS n FROM outbox').one().n)).toBe(0);

    // The transcript: report tokens of the site (and the admin), text only; the booking as its code.
    const t = await call(`/api/v1/conversations/${open.c}/messages?site=${site}`, { token: report });
    expect(t.status).toBe(200);
    const body = (await t.json()) as Transcript;
    expect(body).toMatchObject({ conversation: open.c, visitor: 'v_served', status: 'ended', agent: '小王', topics: ['价格', '尺寸'] });
    expect(body.messages.map((m) => [m.from, m.text, m.lead ?? null])).toEqual([
      ['visitor', '你好，这款沙发有灰色吗？', null], ['agent', '有的', null], ['agent', '可以预约到店', null], ['system', '', code],
    ]);
    expect((await call(`/api/v1/conversations/${open.c}/messages?site=${site}`, { token: agent })).status).toBe(403);
    const stranger = await createToken('report', [await createSite()]);
    expect((await call(`/api/v1/conversations/${open.c}/messages?site=${site}`, { token: stranger })).status).toBe(403);
    expect((await call(`/api/v1/conversations/nope/messages?site=${site}`, { token: report })).status).toBe(404);
    for (const c of [v, a, d]) c.close();
  });
});

describe('the visitor context', () => {
  it('shows the visitor\'s channel, place, days, SKUs, pages dwelt on and leads', async () => {
    const s = await createSite();
    const t = await serviceToken(s, '小王');
    const pv = 'pv_ctx_1';
    await post({ s, e: [
      ev({ v: 'v_ctx', ss: 'ss1', pv, u: '/sku/SOFA-01', k: 'SOFA-01', q: { ch: 'douyin_live', utm_campaign: 'winter' } }),
      ev({ t: 'dwell', v: 'v_ctx', ss: 'ss1', pv, u: '/sku/SOFA-01', k: 'SOFA-01', d: 42_000 }),
    ] });
    const { open, v } = await startedChat(s, 'v_ctx');
    const res = await call(`/api/v1/desk/conversations/${open.c}/context?site=${s}`, { token: t });
    expect(res.status).toBe(200);
    const ctx = (await res.json()) as VisitorContext;
    expect(ctx).toMatchObject({ visitor: 'v_ctx', known: true, lastChannel: 'douyin_live', lastCampaign: 'winter', page: '/sku/SOFA-01', sku: 'SOFA-01', leads: [] });
    expect(ctx.visitDays).toEqual([{ day: today(), channel: 'douyin_live', views: 1, consults: 0, appointments: 0 }]);
    expect(ctx.skus).toEqual([{ sku: 'SOFA-01', views: 1, dwellMs: 42_000, lastDay: today() }]);
    expect(ctx.pages).toMatchObject([{ path: '/sku/SOFA-01', sku: 'SOFA-01', dwellMs: 42_000 }]);
    expect((await call(`/api/v1/desk/conversations/${open.c}/context?site=${s}`, { token: report })).status).toBe(403);
    expect((await call(`/api/v1/desk/conversations/nope/context?site=${s}`, { token: t })).status).toBe(404);
    v.close();
  });
});

describe('desk settings', () => {
  it('are set by the admin and read by the desk', async () => {
    const put = await call(`/api/v1/admin/sites/${site}/desk`, { method: 'PUT', token: ADMIN, json: { quickReplies: ['您好！', '<img src=x>'], topicTags: ['价格'] } });
    expect(put.status).toBe(200);
    const got = await call(`/api/v1/desk/settings?site=${site}`, { token: agent });
    expect(await got.json()).toEqual({ site, quickReplies: ['您好！', '<img src=x>'], topicTags: ['价格'] });
    const tooMany = await call(`/api/v1/admin/sites/${site}/desk`, { method: 'PUT', token: ADMIN, json: { topicTags: Array.from({ length: 31 }, (_, i) => `t${i}`) } });
    expect(tooMany.status).toBe(400);
    expect((await call(`/api/v1/admin/sites/${site}/desk`, { method: 'PUT', token: agent, json: { topicTags: [] } })).status).toBe(403);
  });
});

describe('retention', () => {
  it('deletes messages past the site\'s retention, and a conversation idle that long whole', async () => {
    const s = await createSite({ retentionDays: 8 });
    const { open, v } = await startedChat(s, 'v_old');
    v.send({ t: 'msg', id: 'm2', text: '新消息' });
    await v.next((f) => f.t === 'ack' && f.id === 'm2', 'ack');
    const stub = roomStub(s, open.c);
    const nineDays = 9 * 86_400_000;
    await runInDurableObject(stub, (_i, state) => state.storage.sql.exec("UPDATE messages SET at = at - ? WHERE client_id = 'm1'", nineDays));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    const left = await runInDurableObject(stub, async (_i, state) => ({
      ids: state.storage.sql.exec('SELECT client_id FROM messages').toArray().map((r) => r.client_id),
      alarm: await state.storage.getAlarm(),
    }));
    expect(left.ids).toEqual(['m2']);
    expect(left.alarm).toBeGreaterThan(Date.now() + 7 * 86_400_000);
    // Idle past retention: the whole conversation goes, and the chat no longer opens it.
    await runInDurableObject(stub, (_i, state) => state.storage.sql.exec('UPDATE room SET last_at = last_at - ?', nineDays));
    expect(await runDurableObjectAlarm(stub)).toBe(true);
    expect(await stub.summary()).toBeNull();
    const reopened = await call('/chat/open', { method: 'POST', json: { s, v: 'v_old', c: open.c, k: open.k } });
    expect(((await reopened.json()) as { c: string }).c).not.toBe(open.c);
    // And it left the desk's queue.
    const d = await deskSocket(await serviceToken(s, '小王'), s);
    expect((await d.next((f) => f.t === 'queue', 'queue')).conversations).toEqual([]);
    d.close();
  });
});

describe('booking into a conversation', () => {
  it('refuses a conversation that is another visitor\'s as soon as it is opened, before any of its events reach D1', async () => {
    const theirs = await openChat(site, 'v_owner');
    const res = await call('/api/v1/leads', { method: 'POST', token: agent, json: { site, visitor: 'v_intruder', store: 'sh-xuhui', conversation: theirs.c } });
    expect(res.status).toBe(409);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('conversation_mismatch');
    const own = await call('/api/v1/leads', { method: 'POST', token: agent, json: { site, visitor: 'v_owner', store: 'sh-xuhui', conversation: theirs.c } });
    expect(own.status).toBe(201);
  });
});
