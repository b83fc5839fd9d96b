// Fixtures for the consult desk's tests: real WebSockets through the worker's
// own fetch (SELF) to the real Durable Objects, and a client that records every
// frame it gets, so a test waits for a frame by polling what arrived.
import { env, SELF } from 'cloudflare:test';
import type { ChatOpenAnswer, DeskOut, DeskTicket, RoomOut } from '../../protocol/desk';
import { ADMIN, BASE, call } from './helpers';

export type Frame = (RoomOut | DeskOut | { t: 'pong' }) & Record<string, unknown>;

export class Client {
  readonly frames: Frame[] = [];
  closed = false;

  constructor(readonly ws: WebSocket) {
    ws.accept();
    ws.addEventListener('message', (e) => {
      this.frames.push(JSON.parse(e.data as string));
    });
    ws.addEventListener('close', () => {
      this.closed = true;
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The first frame (from index `from` on) that `pred` accepts, polling until it arrives (the deadline only ends a failing test: a loaded CI machine must never hit it). */
  async next(pred: (f: Frame) => boolean, what: string, from = 0, timeoutMs = 20_000): Promise<Frame> {
    return (await this.count((f) => this.frames.indexOf(f) >= from && pred(f), 1, what, timeoutMs))[0];
  }

  /** Waits until `n` frames accept `pred`; all of them. */
  async count(pred: (f: Frame) => boolean, n: number, what: string, timeoutMs = 20_000): Promise<Frame[]> {
    const end = Date.now() + timeoutMs;
    for (;;) {
      const got = this.frames.filter(pred);
      if (got.length >= n) return got;
      if (Date.now() > end) throw new Error(`${got.length} of ${n} ${what} frames within ${timeoutMs} ms; got ${JSON.stringify(this.frames).slice(0, 800)}`);
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  close(): void {
    try {
      this.ws.close(1000, 'done');
    } catch {
      // already closed
    }
  }
}

/** A WebSocket upgrade through the worker; the response when it is refused. */
export async function connect(path: string, headers: Record<string, string> = {}): Promise<Client | Response> {
  const res = await SELF.fetch(`${BASE}${path}`, { headers: { Upgrade: 'websocket', ...headers } });
  return res.webSocket ? new Client(res.webSocket) : res;
}

export async function socket(path: string, headers: Record<string, string> = {}): Promise<Client> {
  const c = await connect(path, headers);
  if (c instanceof Response) throw new Error(`${path}: ${c.status} ${await c.text()}`);
  return c;
}

export async function openChat(site: string, visitor: string, extra: Record<string, unknown> = {}): Promise<ChatOpenAnswer> {
  const res = await call('/chat/open', { method: 'POST', json: { s: site, v: visitor, ...extra } });
  if (res.status !== 200) throw new Error(`open: ${res.status} ${await res.text()}`);
  return res.json();
}

export const visitorPath = (site: string, visitor: string, o: ChatOpenAnswer) =>
  `/chat/ws?s=${site}&c=${o.c}&k=${o.k}&v=${encodeURIComponent(visitor)}`;

export async function serviceToken(site: string, label: string): Promise<string> {
  const res = await call('/api/v1/admin/tokens', { method: 'POST', token: ADMIN, json: { kind: 'service', sites: [site], label } });
  if (res.status !== 201) throw new Error(`service token: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { token: string }).token;
}

export async function ticket(token: string, site: string): Promise<DeskTicket> {
  const res = await call(`/api/v1/desk/ticket?site=${site}`, { method: 'POST', token });
  if (res.status !== 200) throw new Error(`ticket: ${res.status} ${await res.text()}`);
  return res.json();
}

export async function deskSocket(token: string, site: string): Promise<Client> {
  return socket(`/api/v1/desk/ws?ticket=${(await ticket(token, site)).ticket}`);
}

export async function agentSocket(token: string, site: string, c: string): Promise<Client> {
  return socket(`/api/v1/desk/conversations/${c}/ws?ticket=${(await ticket(token, site)).ticket}`);
}

/** A visitor's open chat with its socket, said hello, and the first message sent and acknowledged. */
export async function startedChat(site: string, visitor: string, text = '你好，这款沙发有灰色吗？') {
  const open = await openChat(site, visitor, { u: '/sku/SOFA-01', sku: 'SOFA-01' });
  const v = await socket(visitorPath(site, visitor, open));
  v.send({ t: 'hello', since: 0 });
  await v.next((f) => f.t === 'state', 'state');
  v.send({ t: 'msg', id: 'm1', text });
  await v.next((f) => f.t === 'ack' && f.id === 'm1', 'ack');
  return { open, v };
}

export const roomStub = (site: string, c: string) => env.CONVERSATION_ROOM.get(env.CONVERSATION_ROOM.idFromName(`${site}:${c}`));
