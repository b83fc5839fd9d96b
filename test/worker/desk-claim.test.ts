// The agents' desk through the real worker and Durable Objects: single-use
// tickets, the queue (oldest waiting first), presence (and the chat's
// agentsOnline), and claims decided by the one desk object: two agents racing
// for one conversation, exactly one gets it.
import { env } from 'cloudflare:test';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN, call, createSite, createToken } from './helpers';
import { agentSocket, connect, deskSocket, openChat, serviceToken, startedChat, ticket } from './desk-fixtures';

let site: string;
let wang: string;
let li: string;

beforeAll(async () => {
  site = await createSite();
  wang = await serviceToken(site, '小王');
  li = await serviceToken(site, '小李');
});

describe('tickets', () => {
  it('are issued to service and admin tokens of the site only, named by the token label', async () => {
    expect(await ticket(wang, site)).toMatchObject({ agent: '小王', site });
    expect(await ticket(ADMIN, site)).toMatchObject({ agent: 'admin', site });
    const report = await createToken('report', [site]);
    expect((await call(`/api/v1/desk/ticket?site=${site}`, { method: 'POST', token: report })).status).toBe(403);
    const other = await createSite();
    expect((await call(`/api/v1/desk/ticket?site=${other}`, { method: 'POST', token: wang })).status).toBe(403);
    expect((await call(`/api/v1/desk/ticket?site=${site}`, { method: 'POST' })).status).toBe(401);
  });

  it('open one socket once, and never after they expire', async () => {
    const t = await ticket(wang, site);
    const first = await connect(`/api/v1/desk/ws?ticket=${t.ticket}`);
    expect(first).not.toBeInstanceOf(Response);
    const again = await connect(`/api/v1/desk/ws?ticket=${t.ticket}`);
    expect((again as Response).status).toBe(403);
    const expired = await ticket(wang, site);
    await env.DB.prepare('UPDATE desk_tickets SET expires_at = ?1').bind(Date.now() - 1).run();
    expect((await connect(`/api/v1/desk/ws?ticket=${expired.ticket}`) as Response).status).toBe(403);
    expect((await connect('/api/v1/desk/ws?ticket=short') as Response).status).toBe(400);
    (first as { close(): void }).close();
  });
});

describe('the desk', () => {
  it('shows presence to agents and agentsOnline to visitors', async () => {
    const s = await createSite();
    const t = await serviceToken(s, '小张');
    expect((await openChat(s, 'v_p')).agentsOnline).toBe(false);
    const d = await deskSocket(t, s);
    expect(await d.next((f) => f.t === 'presence', 'presence')).toEqual({ t: 'presence', agents: ['小张'] });
    expect((await openChat(s, 'v_p2')).agentsOnline).toBe(true);
    d.close();
    const poll = async () => {
      for (let i = 0, end = Date.now() + 20_000; Date.now() < end; i++) {
        if (!(await openChat(s, `v_p3_${i}`)).agentsOnline) return true;
        await new Promise((r) => setTimeout(r, 10));
      }
      return false;
    };
    expect(await poll()).toBe(true);
  });

  it('lists waiting conversations oldest first, with a preview, once the visitor wrote', async () => {
    const s = await createSite();
    const t = await serviceToken(s, '小张');
    const d = await deskSocket(t, s);
    await d.next((f) => f.t === 'queue', 'first queue');
    await openChat(s, 'v_silent'); // opened, never wrote: not in the queue
    const a = await startedChat(s, 'v_q1', '第一位');
    const b = await startedChat(s, 'v_q2', '第二位');
    const q = await d.next((f) => f.t === 'queue' && (f.conversations as unknown[]).length === 2, 'queue of two');
    expect((q.conversations as { c: string; preview: string; status: string; visitor: string }[]).map((x) => [x.c, x.status, x.visitor, x.preview])).toEqual([
      [a.open.c, 'waiting', 'v_q1', '第一位'],
      [b.open.c, 'waiting', 'v_q2', '第二位'],
    ]);
    for (const c of [a.v, b.v, d]) c.close();
  });

  it('gives a conversation to exactly one of two agents racing for it', async () => {
    for (let round = 0; round < 5; round++) {
      const { open, v } = await startedChat(site, `v_race_${round}`);
      const dw = await deskSocket(wang, site);
      const dl = await deskSocket(li, site);
      await dw.next((f) => f.t === 'queue' && (f.conversations as { c: string }[]).some((x) => x.c === open.c), 'queue');
      await dl.next((f) => f.t === 'queue' && (f.conversations as { c: string }[]).some((x) => x.c === open.c), 'queue');
      const fw = dw.frames.length;
      const fl = dl.frames.length;
      dw.send({ t: 'claim', c: open.c });
      dl.send({ t: 'claim', c: open.c });
      // Each socket hears the claim decided: the winner in the broadcast `claimed`.
      const winner = (await dw.next((f) => f.t === 'claimed' && f.c === open.c, 'claimed', fw)).agent;
      expect(['小王', '小李']).toContain(winner);
      expect((await dl.next((f) => f.t === 'claimed' && f.c === open.c, 'claimed', fl)).agent).toBe(winner);
      const [loser, loserFrom, winnerSocket, winnerFrom] = winner === '小王' ? [dl, fl, dw, fw] : [dw, fw, dl, fl];
      expect(await loser.next((f) => f.t === 'error' && f.c === open.c, 'taken', loserFrom)).toMatchObject({ code: 'taken' });
      // Exactly one taken, and every claimed names the one winner.
      const after = [...dw.frames.slice(fw), ...dl.frames.slice(fl)];
      expect(after.filter((f) => f.t === 'error')).toHaveLength(1);
      expect(winnerSocket.frames.slice(winnerFrom).filter((f) => f.t === 'error')).toEqual([]);
      expect(new Set(after.filter((f) => f.t === 'claimed').map((f) => f.agent))).toEqual(new Set([winner]));
      // The conversation says so too, and only the winner may answer in it.
      await v.next((f) => f.t === 'state' && f.agent === winner, 'state with the winner');
      const other = await agentSocket(winner === '小王' ? li : wang, site, open.c);
      other.send({ t: 'msg', id: 'x', text: '我来答' });
      expect(await other.next((f) => f.t === 'error', 'taken in the room')).toMatchObject({ code: 'taken' });
      for (const c of [v, dw, dl, other]) c.close();
    }
  });

  it('answers a claim of an unknown conversation and a bad frame with error frames', async () => {
    const d = await deskSocket(wang, site);
    d.send({ t: 'claim', c: 'nope' });
    expect(await d.next((f) => f.t === 'error', 'unknown')).toMatchObject({ code: 'unknown_conversation', c: 'nope' });
    d.send({ t: 'claim', c: '<script>' });
    expect(await d.next((f) => f.t === 'error' && f.code === 'invalid_frame', 'invalid')).toBeTruthy();
    d.ws.send('{"t":"ping"}'); // answered by the runtime itself, without waking the object
    expect(await d.next((f) => f.t === 'pong', 'pong')).toEqual({ t: 'pong' });
    d.close();
  });
});
