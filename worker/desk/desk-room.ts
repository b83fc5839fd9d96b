// DeskRoom: one Durable Object per site (idFromName(site)), the agents' desk.
// It holds the agents' desk sockets (hibernation API), the queue of waiting and
// open conversations (the conversation objects report their changes) and the
// agents' presence (the sockets themselves). It is the one
// writer that decides a claim: two agents racing for one conversation, exactly
// one gets it. Every piece of state is in its SQLite or its sockets' attachments.
// A Durable Object's RPC methods need the runtime's base class; its logic takes env from it like any handler.
// eslint-disable-next-line no-restricted-imports
import { DurableObject } from 'cloudflare:workers';
import { DESK_LIMITS as L, DeskFrame, type DeskOut, type QueueItem } from '../../protocol/desk';
import type { Env } from '../env';
import type { DeskApi } from './rpc';
import { roomOf } from './stubs';
import { acceptSocket, closeBack, errorFrame, guarded, pingPong, readFrame, refuse, send, type Attachment } from './sockets';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS meta (id INTEGER PRIMARY KEY CHECK (id = 1), site TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS queue (
  c          TEXT PRIMARY KEY,
  status     TEXT NOT NULL,   -- waiting | open (an ended conversation leaves the queue)
  visitor    TEXT NOT NULL,
  started_at INTEGER NOT NULL,
  last_at    INTEGER NOT NULL,
  agent      TEXT,
  preview    TEXT NOT NULL DEFAULT ''
);`;

const MAX_SOCKETS = 200;
// A conversation nobody touched for this long has left (the visitor is gone):
// it drops off the queue; its own object keeps it for the site's retention.
const STALE_MS = 7 * 86_400_000;

interface QueueRow {
  c: string;
  status: 'waiting' | 'open';
  visitor: string;
  started_at: number;
  last_at: number;
  agent: string | null;
  preview: string;
}

export class DeskRoom extends DurableObject<Env> implements DeskApi {
  private readonly sql: SqlStorage;

  constructor(ctx: DurableObjectState, env: Env) {
    super(ctx, env);
    this.sql = ctx.storage.sql;
    this.sql.exec(SCHEMA);
    ctx.setWebSocketAutoResponse(pingPong());
  }

  async report(site: string, item: QueueItem): Promise<void> {
    this.remember(site);
    if (item.status === 'ended') this.sql.exec('DELETE FROM queue WHERE c = ?', item.c);
    else {
      this.sql.exec(
        `INSERT INTO queue (c, status, visitor, started_at, last_at, agent, preview) VALUES (?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (c) DO UPDATE SET status = CASE WHEN queue.agent IS NULL THEN excluded.status ELSE queue.status END,
           last_at = MAX(queue.last_at, excluded.last_at), agent = COALESCE(queue.agent, excluded.agent),
           preview = CASE WHEN excluded.preview = '' THEN queue.preview ELSE excluded.preview END`,
        item.c, item.status, item.visitor, item.startedAt, item.lastAt, item.agent ?? null, item.preview,
      );
    }
    this.broadcast(this.queueFrame());
  }

  async forget(c: string): Promise<void> {
    this.sql.exec('DELETE FROM queue WHERE c = ?', c);
    this.broadcast(this.queueFrame());
  }

  async agentsOnline(): Promise<boolean> {
    return this.ctx.getWebSockets('agent').length > 0;
  }

  /** An agent's desk socket; the route redeemed its ticket and says whose it is. */
  async fetch(req: Request): Promise<Response> {
    const agent = decodeURIComponent(req.headers.get('o2o-agent') ?? '');
    const site = req.headers.get('o2o-site');
    if (!agent || !site) return refuse(400, 'bad_request', 'the desk socket needs its agent and site');
    this.remember(site);
    if (this.ctx.getWebSockets().length >= MAX_SOCKETS) return refuse(429, 'too_many_sockets', `a desk holds at most ${MAX_SOCKETS} sockets`);
    const { client, server } = acceptSocket(this.ctx, { role: 'agent', agent }, Date.now());
    send(server, this.queueFrame());
    this.broadcast(this.presence());
    return new Response(null, { status: 101, webSocket: client });
  }

  async webSocketMessage(ws: WebSocket, message: string | ArrayBuffer): Promise<void> {
    await guarded(ws, 'desk frame', async () => {
      const frame = readFrame(ws, message, DeskFrame, Date.now());
      if (!frame) return;
      if (frame.t === 'queue') return send(ws, this.queueFrame());
      await this.claim(ws, (ws.deserializeAttachment() as Attachment).agent!, frame.c);
    });
  }

  async webSocketClose(ws: WebSocket, code: number, reason: string): Promise<void> {
    closeBack(ws, code, reason);
    this.broadcast(this.presence(ws));
  }

  /** Decided before any await: the first claim sets the agent, every later one finds it set. */
  private async claim(ws: WebSocket, agent: string, c: string): Promise<void> {
    const row = this.sql.exec('SELECT * FROM queue WHERE c = ?', c).toArray()[0] as unknown as QueueRow | undefined;
    if (!row) return send(ws, errorFrame('unknown_conversation', 'no such conversation in the queue', { c }));
    if (row.agent === agent) return send(ws, { t: 'claimed', c, agent } satisfies DeskOut);
    const won = this.sql.exec("UPDATE queue SET agent = ?, status = 'open' WHERE c = ? AND agent IS NULL RETURNING c", agent, c).toArray().length === 1;
    if (!won) return send(ws, errorFrame('taken', `${row.agent ?? 'another agent'} is answering this conversation`, { c }));
    const site = this.site();
    const assigned = site ? await roomOf(this.env, site, c).assign(agent) : false;
    if (!assigned) {
      this.sql.exec('DELETE FROM queue WHERE c = ?', c);
      send(ws, errorFrame('ended', 'this conversation has ended', { c }));
    } else this.broadcast({ t: 'claimed', c, agent });
    this.broadcast(this.queueFrame());
  }

  private queueFrame(): DeskOut {
    this.sql.exec('DELETE FROM queue WHERE last_at < ?', Date.now() - STALE_MS);
    const rows = this.sql.exec(
      `SELECT * FROM queue ORDER BY status = 'waiting' DESC, CASE WHEN status = 'waiting' THEN started_at ELSE -last_at END LIMIT ?`,
      L.queueMax,
    ).toArray() as unknown as QueueRow[];
    return {
      t: 'queue',
      conversations: rows.map((r) => ({
        c: r.c, status: r.status, visitor: r.visitor, startedAt: r.started_at, lastAt: r.last_at, preview: r.preview, ...(r.agent ? { agent: r.agent } : {}),
      })),
    };
  }

  /** Who is at the desk: the agents of the open desk sockets, each once. */
  private presence(leaving?: WebSocket): DeskOut {
    const agents = new Set<string>();
    for (const ws of this.ctx.getWebSockets('agent')) if (ws !== leaving) agents.add((ws.deserializeAttachment() as Attachment).agent ?? '');
    return { t: 'presence', agents: [...agents].sort() };
  }

  private broadcast(frame: DeskOut): void {
    for (const ws of this.ctx.getWebSockets('agent')) send(ws, frame);
  }

  private remember(site: string): void {
    this.sql.exec('INSERT OR IGNORE INTO meta (id, site) VALUES (1, ?)', site);
  }

  private site(): string | null {
    return (this.sql.exec('SELECT site FROM meta').toArray()[0]?.site as string | undefined) ?? null;
  }
}
