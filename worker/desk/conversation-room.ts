// ConversationRoom: one Durable Object per chat conversation (idFromName(site +
// ':' + c)). It holds the visitor's and the agents' WebSockets through the
// hibernation API (an idle chat costs nothing), keeps the messages in its own
// SQLite (room-sql.ts) and reads every piece of state from there, so it answers
// the same after being evicted. Frames are checked (sockets.ts), then acted on
// here; the conversation's events go to the service report (metrics.ts) and its
// state to the site's desk (DeskRoom).
// A Durable Object's RPC methods need the runtime's base class; its logic takes env from it like any handler.
// eslint-disable-next-line no-restricted-imports
import { DurableObject } from 'cloudflare:workers';
import type { InferOutput } from 'valibot';
import { normaliseTopic } from '../../protocol/chat';
import { DESK_LIMITS as L, RoomFrame, type QueueItem, type RoomOut, type StoreCard, type Transcript } from '../../protocol/desk';
import type { Env } from '../env';
import { flushEvents, queueEvent } from './metrics';
import { fullBucket, take, type Bucket } from './rate';
import { bound, frameOf, messagesAfter, ROOM_SCHEMA, roomRow, stateFrame, storeMessage, transcriptOf, type RoomRow } from './room-sql';
import type { RoomApi, RoomCheck, RoomInit, RoomSummary } from './rpc';
import { acceptSocket, closeBack, errorFrame, guarded, pingPong, readFrame, refuse, send, type Attachment } from './sockets';
import { runRetention } from './retention';
import { deskOf } from './stubs';

const MAX_SOCKETS = 32; // a visitor's tabs and the agents watching
const RETRY_MS = 30_000; // the outbox's next try after D1 failed
const TRANSCRIPT_MAX = 10_000; // messages; a conversation holds far fewer
// All of a conversation's visitor sockets together: twice one socket's rate. In
// memory: it refills within seconds, long before the object can hibernate.
const ROOM_RATE = { perSecond: 2 * L.ratePerSecond, burst: 2 * L.rateBurst };

type Frame = InferOutput<typeof RoomFrame>;

export class ConversationRoom extends DurableObject<Env> implements RoomApi {
  private readonly sql: SqlStorage;
  private visitorBucket: Bucket = fullBucket(ROOM_RATE.burst, Date.now());

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(ROOM_SCHEMA);
    ctx.setWebSocketAutoResponse(pingPong());
  }

  async create(init: RoomInit): Promise<boolean> {
    if (roomRow(this.sql)) return false;
    const now = Date.now();
    this.sql.exec(
      `INSERT INTO room (id, site, c, visitor, secret_hash, page, sku, retention_days, created_at, last_at)
       VALUES (1, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      init.site, init.c, init.visitor, init.secretHash, init.page, init.sku, init.retentionDays, now, now,
    );
    await this.ctx.storage.setAlarm(now + init.retentionDays * 86_400_000);
    return true;
  }

  async check(visitor: string, secretHash: string): Promise<RoomCheck> {
    const room = roomRow(this.sql);
    if (!room) return { ok: false, reason: 'missing' };
    return bound(room, visitor, secretHash) ? { ok: true, status: room.status } : { ok: false, reason: 'forbidden' };
  }

  /** The WebSocket upgrade, from the routes, which say who connects: the visitor (checked here) or an agent (its ticket checked there). */
  async fetch(req: Request): Promise<Response> {
    const room = roomRow(this.sql);
    if (!room) return refuse(404, 'unknown_conversation', 'no such conversation');
    const role = req.headers.get('o2o-role') === 'agent' ? 'agent' : 'visitor';
    const agent = role === 'agent' ? decodeURIComponent(req.headers.get('o2o-agent') ?? '') : null;
    if (role === 'visitor' && !bound(room, req.headers.get('o2o-visitor') ?? '', req.headers.get('o2o-secret-hash') ?? '')) {
      return refuse(403, 'forbidden', 'this conversation belongs to another visitor or secret');
    }
    if (this.ctx.getWebSockets().length >= MAX_SOCKETS) return refuse(429, 'too_many_sockets', `a conversation holds at most ${MAX_SOCKETS} sockets`);
    return new Response(null, { status: 101, webSocket: acceptSocket(this.ctx, { role, agent }, Date.now()).client });
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeBack(ws, code, reason);
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    const now = Date.now();
    await guarded(ws, 'conversation frame', async () => {
      const frame = readFrame(ws, message, RoomFrame, now);
      const room = roomRow(this.sql);
      if (!frame) return;
      if (!room) return send(ws, errorFrame('unknown_conversation', 'this conversation is gone'));
      await this.act(ws, ws.deserializeAttachment() as Attachment, room, frame, now);
    });
  }

  private async act(ws: WebSocket, a: Attachment, room: RoomRow, f: Frame, now: number): Promise<void> {
    switch (f.t) {
      case 'hello':
        for (const m of messagesAfter(this.sql, f.since, L.replayMax)) send(ws, frameOf(m));
        return send(ws, stateFrame(room, a.role === 'agent'));
      case 'typing':
        return this.broadcast({ t: 'typing', from: a.role }, a.role === 'visitor' ? 'agent' : 'visitor');
      case 'msg':
        return this.message(ws, a, room, f.id, f.text, now);
      case 'end':
        if (a.role === 'agent' && room.agent !== a.agent) return send(ws, errorFrame('not_claimed', 'claim the conversation in the desk first'));
        return this.end(room, now);
      case 'topics': {
        if (a.role !== 'agent' || room.agent !== a.agent) return send(ws, errorFrame('not_claimed', 'claim the conversation in the desk first'));
        const tags = [...new Set([...(JSON.parse(room.topics) as string[]), ...f.tags.map(normaliseTopic)])].filter(Boolean).sort().slice(0, L.maxTags);
        this.sql.exec('UPDATE room SET topics = ? WHERE id = 1', JSON.stringify(tags));
        queueEvent(this.sql, { type: 'topics', conversation: room.c, at: now, visitor: room.visitor, agent: a.agent, topics: tags, id: `desk:topics:${now}` });
        this.broadcastState({ ...room, topics: JSON.stringify(tags) });
        return this.flush(room);
      }
    }
  }

  private async message(ws: WebSocket, a: Attachment, room: RoomRow, id: string, text: string, now: number): Promise<void> {
    if (room.status === 'ended') return send(ws, errorFrame('ended', 'this conversation has ended'));
    if (a.role === 'agent' && room.agent !== a.agent) {
      return send(ws, room.agent ? errorFrame('taken', `${room.agent} is answering this conversation`) : errorFrame('not_claimed', 'claim the conversation in the desk first'));
    }
    if (a.role === 'visitor') {
      const t = take(this.visitorBucket, ROOM_RATE.perSecond, ROOM_RATE.burst, now);
      this.visitorBucket = t.bucket;
      if (!t.ok) return send(ws, errorFrame('rate_limited', 'too many messages in this conversation: this one was dropped'));
    }
    const { row, fresh } = storeMessage(this.sql, { sender: a.role, client_id: id, agent: a.agent, kind: 'msg', text, store: null, at: now });
    send(ws, { t: 'ack', id, seq: row.seq } satisfies RoomOut);
    if (!fresh) return; // a resend after a reconnect: acknowledged again, stored and counted once
    const base = { conversation: room.c, at: now, visitor: room.visitor };
    const next: RoomRow = { ...room, last_at: now };
    if (a.role === 'visitor' && room.started_at === null) {
      next.started_at = now;
      queueEvent(this.sql, { ...base, type: 'started', page: room.page, sku: room.sku, id: 'desk:started' });
    } else if (a.role === 'agent') {
      if (room.first_reply_at === null) {
        next.first_reply_at = now;
        queueEvent(this.sql, { ...base, agent: a.agent, type: 'first_reply', id: 'desk:first_reply' });
      }
      // Every reply, the first too, is a reply event of its own id: the report counts ids.
      queueEvent(this.sql, { ...base, agent: a.agent, type: 'reply', id: `desk:reply:${row.seq}` });
    }
    this.sql.exec('UPDATE room SET last_at = ?, started_at = ?, first_reply_at = ? WHERE id = 1', next.last_at, next.started_at, next.first_reply_at);
    this.broadcast(frameOf(row), undefined, ws);
    if (next.started_at !== null) await this.report(next, text);
    await this.flush(room);
  }

  private async end(room: RoomRow, now: number): Promise<void> {
    if (room.status === 'ended') return;
    this.sql.exec("UPDATE room SET status = 'ended', ended_at = ?, last_at = ? WHERE id = 1", now, now);
    if (room.started_at !== null) queueEvent(this.sql, { type: 'ended', conversation: room.c, at: now, visitor: room.visitor, agent: room.agent, id: 'desk:ended' });
    const ended: RoomRow = { ...room, status: 'ended', ended_at: now, last_at: now };
    this.broadcastState(ended);
    await this.report(ended, '');
    await this.flush(room);
  }

  async assign(agent: string): Promise<boolean> {
    const room = roomRow(this.sql);
    if (!room || room.status === 'ended') return false;
    this.sql.exec("UPDATE room SET agent = ?, status = 'open' WHERE id = 1", agent);
    this.broadcastState({ ...room, agent, status: 'open' });
    return true;
  }

  async booked(lead: string, store: StoreCard): Promise<number | null> {
    if (!roomRow(this.sql)) return null;
    const { row, fresh } = storeMessage(this.sql, { sender: 'system', client_id: `booked:${lead}`, agent: null, kind: 'booked', text: lead, store: JSON.stringify(store), at: Date.now() });
    if (fresh) this.broadcast(frameOf(row));
    return row.seq;
  }

  async transcript(): Promise<Transcript | null> {
    const room = roomRow(this.sql);
    return room && transcriptOf(room, messagesAfter(this.sql, 0, TRANSCRIPT_MAX));
  }

  async summary(): Promise<RoomSummary | null> {
    const r = roomRow(this.sql);
    return r && { site: r.site, c: r.c, visitor: r.visitor, status: r.status, agent: r.agent, page: r.page, sku: r.sku };
  }

  /** Retries the outbox and applies the site's retention (retention.ts). */
  async alarm(): Promise<void> {
    const room = roomRow(this.sql);
    if (!room) return;
    const flushed = await flushEvents(this.sql, this.env.DB, room.site);
    const next = await runRetention(this.ctx, this.env, room, Date.now());
    if (next === null) {
      for (const ws of this.ctx.getWebSockets()) ws.close(1000, 'conversation deleted');
      this.sql.exec(ROOM_SCHEMA); // deleteAll() dropped the tables; this instance may still be asked
      return;
    }
    await this.ctx.storage.setAlarm(flushed ? next : Math.min(next, Date.now() + RETRY_MS));
  }

  private async flush(room: RoomRow): Promise<void> {
    if (await flushEvents(this.sql, this.env.DB, room.site)) return;
    const at = await this.ctx.storage.getAlarm();
    if (at === null || at > Date.now() + RETRY_MS) await this.ctx.storage.setAlarm(Date.now() + RETRY_MS);
  }

  private async report(room: RoomRow, preview: string): Promise<void> {
    const item: QueueItem = {
      c: room.c, status: room.status, visitor: room.visitor, startedAt: room.started_at ?? room.created_at, lastAt: room.last_at,
      preview: preview.slice(0, L.previewLength), ...(room.agent ? { agent: room.agent } : {}),
    };
    try {
      await deskOf(this.env, room.site).report(room.site, item);
    } catch (err) {
      console.error('desk report', err); // the desk catches up with the conversation's next change
    }
  }

  private broadcastState(room: RoomRow): void {
    this.broadcast(stateFrame(room, true), 'agent');
    this.broadcast(stateFrame(room, false), 'visitor');
  }

  private broadcast(frame: RoomOut, tag?: 'visitor' | 'agent', except?: WebSocket): void {
    for (const ws of this.ctx.getWebSockets(tag)) if (ws !== except) send(ws, frame);
  }
}
