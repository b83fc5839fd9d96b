// The visitor's chat through the real worker and Durable Objects: a
// conversation bound to the visitor id and a secret, messages stored once per
// client id (a resend after a reconnect is acknowledged again, not doubled),
// replay on hello, typing relayed, and the object's state surviving eviction.
import { env, evictDurableObject, runInDurableObject } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, createSite } from './helpers';
import { agentSocket, connect, deskSocket, openChat, roomStub, serviceToken, socket, startedChat, visitorPath, type Client } from './desk-fixtures';

let site: string;
let agentToken: string;

beforeAll(async () => {
  site = await createSite({ origins: ['https://shop.example.com'] });
  agentToken = await serviceToken(site, '小王');
});

describe('POST /chat/open', () => {
  it('makes a conversation bound to the visitor and answers the same one for the right (c, k, v)', async () => {
    const a = await openChat(site, 'v_open_1');
    expect(a).toMatchObject({ status: 'waiting', agentsOnline: false });
    expect(a.c).toMatch(/^[A-Za-z0-9_-]{21}$/);
    expect(a.k).toMatch(/^[A-Za-z0-9_-]{32}$/);
    const again = await openChat(site, 'v_open_1', { c: a.c, k: a.k });
    expect(again).toEqual(a);
    // The secret is stored as its digest only.
    const stored = await runInDurableObject(roomStub(site, a.c), (_i, state) => state.storage.sql.exec('SELECT secret_hash, visitor FROM room').one());
    expect(stored.visitor).toBe('v_open_1');
    expect(stored.secret_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(stored.secret_hash).not.toContain(a.k);
  });

  it('refuses another visitor, a wrong secret, and an id alone, with 403 forbidden', async () => {
    const a = await openChat(site, 'v_owner');
    for (const body of [
      { s: site, v: 'v_intruder', c: a.c, k: a.k },
      { s: site, v: 'v_owner', c: a.c, k: 'x'.repeat(32) },
      { s: site, v: 'v_owner', c: a.c },
    ]) {
      const res = await call('/chat/open', { method: 'POST', json: body });
      expect(res.status, JSON.stringify(body)).toBe(403);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('forbidden');
    }
    // The socket too: the object checks the visitor and the secret itself.
    for (const path of [visitorPath(site, 'v_intruder', a), visitorPath(site, 'v_owner', { ...a, k: 'y'.repeat(32) })]) {
      const res = await connect(path);
      expect(res).toBeInstanceOf(Response);
      expect((res as Response).status).toBe(403);
    }
    // Another site's conversation id names nothing here.
    const other = await createSite();
    const res = await connect(visitorPath(other, 'v_owner', a));
    expect((res as Response).status).toBe(404);
  });

  it('checks the origin as /collect does, answers its preflight and refuses a non-upgrade on /chat/ws', async () => {
    const bad = await call('/chat/open', { method: 'POST', headers: { origin: 'https://evil.example' }, json: { s: site, v: 'v_o' } });
    expect(bad.status).toBe(403);
    const good = await call('/chat/open', { method: 'POST', headers: { origin: 'https://shop.example.com' }, json: { s: site, v: 'v_o' } });
    expect(good.status).toBe(200);
    expect(good.headers.get('access-control-allow-origin')).toBe('https://shop.example.com');
    const pre = await call('/chat/open', { method: 'OPTIONS', headers: { origin: 'https://shop.example.com' } });
    expect(pre.status).toBe(204);
    const unknown = await call('/chat/open', { method: 'POST', json: { s: 'no-such-site', v: 'v_o' } });
    expect(unknown.status).toBe(403);
    const plain = await call(`/chat/ws?s=${site}&c=abc&k=${'z'.repeat(32)}&v=v_o`);
    expect(plain.status).toBe(426);
    const bodyless = await call('/chat/open', { method: 'POST', json: { s: site, v: 'bad visitor id' } });
    expect(bodyless.status).toBe(400);
  });
});

describe('messages', () => {
  it('relays both ways, acknowledges the sender, relays typing and replays what a reconnect missed', async () => {
    const { open, v } = await startedChat(site, 'v_msg_1');
    const desk = await deskSocket(agentToken, site);
    desk.send({ t: 'claim', c: open.c });
    await desk.next((f) => f.t === 'claimed' && f.c === open.c, 'claimed');
    const a = await agentSocket(agentToken, site, open.c);
    a.send({ t: 'hello', since: 0 });
    const m1 = await a.next((f) => f.t === 'msg', 'visitor message');
    expect(m1).toMatchObject({ seq: 1, id: 'm1', from: 'visitor', text: '你好，这款沙发有灰色吗？' });
    await v.next((f) => f.t === 'state' && f.status === 'open' && f.agent === '小王', 'state open');

    v.send({ t: 'typing' });
    await a.next((f) => f.t === 'typing' && f.from === 'visitor', 'typing');
    a.send({ t: 'msg', id: 'a1', text: '有的，<b>灰色</b>有现货' });
    expect(await a.next((f) => f.t === 'ack', 'agent ack')).toEqual({ t: 'ack', id: 'a1', seq: 2 });
    // Stored and relayed as the text it is (the clients render it as text).
    expect(await v.next((f) => f.t === 'msg' && f.id === 'a1', 'agent message')).toMatchObject({ seq: 2, from: 'agent', agent: '小王', text: '有的，<b>灰色</b>有现货' });

    // The phone sleeps: a new socket says hello with the last seq it had and gets what came after.
    v.close();
    a.send({ t: 'msg', id: 'a2', text: '需要帮您预约到店吗？' });
    await a.next((f) => f.t === 'ack' && f.id === 'a2', 'ack a2');
    const v2 = await socket(visitorPath(site, 'v_msg_1', open));
    v2.send({ t: 'hello', since: 1 });
    await v2.next((f) => f.t === 'state', 'state');
    expect(v2.frames.filter((f) => f.t === 'msg').map((f) => f.seq)).toEqual([2, 3]);
    for (const c of [v2, a, desk]) c.close();
  });

  it('stores a message resent after a reconnect once, acknowledges it again with its seq, and counts it once', async () => {
    const { open, v } = await startedChat(site, 'v_resend');
    v.send({ t: 'msg', id: 'm2', text: '在吗' });
    const ack = await v.next((f) => f.t === 'ack' && f.id === 'm2', 'ack m2');
    v.close(); // the ack was lost with the connection, as far as the widget knows
    const v2 = await socket(visitorPath(site, 'v_resend', open));
    v2.send({ t: 'hello', since: 1 });
    v2.send({ t: 'msg', id: 'm2', text: '在吗' });
    expect(await v2.next((f) => f.t === 'ack' && f.id === 'm2', 'ack again')).toEqual(ack);
    const rows = await runInDurableObject(roomStub(site, open.c), (_i, state) => state.storage.sql.exec("SELECT client_id FROM messages WHERE sender = 'visitor' ORDER BY seq").toArray());
    expect(rows.map((r) => r.client_id)).toEqual(['m1', 'm2']);
    // The replay after hello already held m2: a client that had it sees it once.
    expect(v2.frames.filter((f) => f.t === 'msg' && f.id === 'm2')).toHaveLength(1);
    v2.close();
  });

  it('works after its in-memory state is gone: evicted, the object answers from its storage', async () => {
    const { open, v } = await startedChat(site, 'v_evict');
    const stub = roomStub(site, open.c);
    await evictDurableObject(stub);
    // The hibernated socket is still connected: the object wakes for its frame.
    v.send({ t: 'msg', id: 'm2', text: '还在吗' });
    expect(await v.next((f) => f.t === 'ack' && f.id === 'm2', 'ack after eviction')).toEqual({ t: 'ack', id: 'm2', seq: 2 });
    // A resend of the message from before the eviction is still recognised.
    v.send({ t: 'msg', id: 'm1', text: '你好，这款沙发有灰色吗？' });
    expect(await v.next((f) => f.t === 'ack' && f.id === 'm1', 'ack m1 again')).toEqual({ t: 'ack', id: 'm1', seq: 1 });
    await evictDurableObject(stub);
    const again = await openChat(site, 'v_evict', { c: open.c, k: open.k });
    expect(again.status).toBe('waiting');
    const count = await runInDurableObject(stub, (_i, state) => state.storage.sql.exec('SELECT COUNT(*) AS n FROM messages').one().n);
    expect(count).toBe(2);
    v.close();
  });

  it('answers malformed, oversize and binary frames with error frames and keeps working', async () => {
    const { open, v } = await startedChat(site, 'v_bad');
    const cases: [unknown, string][] = [
      ['not json', 'invalid_frame'],
      [{ t: 'nope' }, 'invalid_frame'],
      [{ t: 'msg', id: 'has space', text: 'x' }, 'invalid_frame'],
      [{ t: 'msg', id: 'big', text: '长'.repeat(2001) }, 'too_large'],
      [{ t: 'msg', id: 'blank', text: ' \u0000 ' }, 'invalid_frame'],
      ['x'.repeat(9000), 'too_large'],
      [[1, 2], 'invalid_frame'],
    ];
    for (const [frame, code] of cases) {
      const from = v.frames.length;
      v.send(frame);
      expect(await v.next((f) => f.t === 'error', `error for ${JSON.stringify(frame).slice(0, 40)}`, from)).toMatchObject({ code });
    }
    const from = v.frames.length;
    v.ws.send(new Uint8Array([1, 2, 3]));
    expect(await v.next((f) => f.t === 'error', 'binary error', from)).toMatchObject({ code: 'invalid_frame' });
    // Those frames spent this socket's bucket; on a new one, a message of exactly 2,000 characters passes.
    v.close();
    const v2 = await socket(visitorPath(site, 'v_bad', open));
    v2.send({ t: 'msg', id: 'max', text: '长'.repeat(2000) });
    expect(await v2.next((f) => f.t === 'ack' && f.id === 'max', 'ack max')).toMatchObject({ seq: 2 });
    v2.close();
  });

  it('drops frames past the per-socket rate with rate_limited', async () => {
    const { open, v } = await startedChat(site, 'v_rate');
    for (let i = 0; i < 30; i++) v.send({ t: 'msg', id: `r${i}`, text: `第${i}条` });
    // Every frame is answered: an ack, or rate_limited and dropped.
    await v.count((f) => (f.t === 'ack' && String(f.id).startsWith('r')) || (f.t === 'error' && f.code === 'rate_limited'), 30, 'answers');
    const limited = v.frames.filter((f) => f.t === 'error' && f.code === 'rate_limited');
    expect(limited.length).toBeGreaterThanOrEqual(18);
    const acks = v.frames.filter((f) => f.t === 'ack' && String(f.id).startsWith('r'));
    // The bucket: 10 at once (less the hello and the first message), refilled at 5 a second.
    expect(acks.length).toBeLessThanOrEqual(12);
    expect(acks.length + limited.length).toBe(30);
    const stored = await runInDurableObject(roomStub(site, open.c), (_i, state) => state.storage.sql.exec("SELECT COUNT(*) AS n FROM messages WHERE client_id LIKE 'r%'").one().n);
    expect(stored).toBe(acks.length);
    v.close();
  });

  it('lets only the claiming agent answer and end; the visitor sees the end', async () => {
    const { open, v } = await startedChat(site, 'v_end');
    const watcher = await agentSocket(agentToken, site, open.c);
    watcher.send({ t: 'msg', id: 'w1', text: '抢答' });
    expect(await watcher.next((f) => f.t === 'error', 'not claimed')).toMatchObject({ code: 'not_claimed' });
    watcher.send({ t: 'end' });
    await watcher.count((f) => f.t === 'error' && f.code === 'not_claimed', 2, 'not claimed (end)');
    const desk = await deskSocket(agentToken, site);
    desk.send({ t: 'claim', c: open.c });
    await desk.next((f) => f.t === 'claimed', 'claimed');
    watcher.send({ t: 'end' });
    await v.next((f) => f.t === 'state' && f.status === 'ended', 'ended');
    v.send({ t: 'msg', id: 'late', text: '还有问题' });
    expect(await v.next((f) => f.t === 'error', 'ended error')).toMatchObject({ code: 'ended' });
    for (const c of [v, watcher, desk] as Client[]) c.close();
  });
});

describe('POST /chat/callback', () => {
  it('makes a lead marked callback for the conversation\'s visitor, and refuses another visitor', async () => {
    const { open, v } = await startedChat(site, 'v_cb');
    const refused = await call('/chat/callback', { method: 'POST', json: { s: site, c: open.c, k: open.k, v: 'v_other', phone: '138 0013 8000' } });
    expect(refused.status).toBe(403);
    const bad = await call('/chat/callback', { method: 'POST', json: { s: site, c: open.c, k: open.k, v: 'v_cb', phone: '<script>' } });
    expect(bad.status).toBe(400);
    const res = await call('/chat/callback', { method: 'POST', json: { s: site, c: open.c, k: open.k, v: 'v_cb', phone: '138 0013 8000', name: '王女士', note: '晚上打' } });
    expect(res.status).toBe(201);
    const { lead } = (await res.json()) as { lead: string };
    const row = await env.DB.prepare('SELECT visitor_id, source, conversation_id, props FROM leads WHERE site_key = ?1 AND code = ?2').bind(site, lead).first<Record<string, string>>();
    expect(row).toMatchObject({ visitor_id: 'v_cb', source: 'callback', conversation_id: open.c });
    expect(JSON.parse(row!.props)).toMatchObject({ phone: '138 0013 8000', name: '王女士' });
    v.close();
  });
});
