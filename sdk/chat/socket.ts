// The chat's one connection to its conversation. `hello {since}` on every
// connect (the room answers every message after the last one seen), and the
// visitor's messages not yet acknowledged sent again with their own ids (the
// room stores a (sender, id) once and acknowledges it again): a reconnect after
// the phone slept or the network dropped loses nothing and doubles nothing.
// Reconnects with backoff (1 s doubling to 30 s, jittered); at once when the
// browser is online again or the page comes back into view, where a socket that
// looks open is first asked for a pong (a sleeping phone's socket can be dead
// without a close event).
import type { RoomOut } from '../../protocol/desk';

/** A message sent and not yet acknowledged: kept (in localStorage too) until its `ack`. */
export interface Pending {
  id: string;
  text: string;
}

export interface SocketEvents {
  /** Every frame from the room, after the connection has noted it. */
  frame(f: RoomOut): void;
  /** The socket opened (true) or dropped (false). */
  live(open: boolean): void;
  /** The unacknowledged messages changed (to be kept across page loads). */
  pending(p: Pending[]): void;
}

export interface ChatSocket {
  /** Sends a message now, or on the next connect; it stays pending until acknowledged. */
  send(p: Pending): void;
  /** The visitor is typing (at most one frame every 3 s). */
  typing(): void;
  /** Closes for good (the panel was closed or the conversation replaced). */
  close(): void;
}

const MAX_BACKOFF_MS = 30_000;
const PONG_WAIT_MS = 5_000; // a socket that answers nothing this long after a ping is dead
const TYPING_EVERY_MS = 3_000;

/** Connects to `url` (the visitor's /chat/ws) and keeps connecting until closed. `pending`: messages an earlier page left unacknowledged. */
export function chatSocket(url: string, pending: Pending[], on: SocketEvents): ChatSocket {
  let ws: WebSocket | null = null;
  let since = 0; // the highest seq seen: the next hello asks for what came after it
  let tries = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let dead: ReturnType<typeof setTimeout> | undefined; // the ping's deadline
  let later: ReturnType<typeof setTimeout> | undefined; // the resend after a rate limit
  let typed = 0;
  let closed = false;

  const put = (f: object) => ws && ws.readyState === 1 && (ws.send(JSON.stringify(f)), true);
  const resend = () => pending.forEach((p) => put({ t: 'msg', id: p.id, text: p.text }));

  const connect = () => {
    clearTimeout(retry);
    if (closed || ws) return;
    const s = (ws = new WebSocket(url));
    s.onopen = () => {
      tries = 0;
      on.live(true);
      put({ t: 'hello', since });
      resend();
    };
    s.onmessage = (e) => {
      clearTimeout(dead);
      dead = undefined; // answered: the next wake() may ping again
      let f: RoomOut;
      try {
        f = JSON.parse(e.data as string);
      } catch {
        return;
      }
      if ('seq' in f) since = Math.max(since, f.seq);
      if (f.t === 'ack') {
        pending = pending.filter((p) => p.id !== f.id);
        on.pending(pending);
      }
      // Dropped by the room's rate limit: still pending, sent again in a moment, by one timer
      // however many frames were refused (one resend per error would multiply them).
      if (f.t === 'error' && f.code === 'rate_limited') clearTimeout(later), (later = setTimeout(resend, 2000));
      on.frame(f);
    };
    s.onclose = () => drop(s);
  };

  // The socket `s` is gone (closed, or found dead): forget it and try again after the backoff.
  const drop = (s: WebSocket) => {
    if (ws !== s) return;
    clearTimeout(dead);
    dead = undefined;
    ws = null;
    s.onclose = s.onmessage = s.onopen = null;
    try {
      s.close();
    } catch {
      // already closing
    }
    on.live(false);
    if (!closed) retry = setTimeout(connect, Math.min(MAX_BACKOFF_MS, 1000 * 2 ** tries++) * (0.5 + Math.random() / 2));
  };

  // Back online or in view: connect now; a socket that looks open must answer a ping first.
  const wake = () => {
    if (closed || document.hidden) return;
    if (!ws) return connect();
    const s = ws;
    if (s.readyState === 1 && !dead) {
      put({ t: 'ping' });
      dead = setTimeout(() => {
        dead = undefined;
        drop(s);
        tries = 0;
        connect();
      }, PONG_WAIT_MS);
    }
  };
  addEventListener('online', wake);
  document.addEventListener('visibilitychange', wake);
  connect();

  return {
    send(p) {
      pending = pending.concat(p);
      on.pending(pending);
      put({ t: 'msg', id: p.id, text: p.text });
    },
    typing() {
      const now = Date.now();
      if (now - typed > TYPING_EVERY_MS && put({ t: 'typing' })) typed = now;
    },
    close() {
      closed = true;
      clearTimeout(later);
      removeEventListener('online', wake);
      document.removeEventListener('visibilitychange', wake);
      if (ws) drop(ws);
    },
  };
}
