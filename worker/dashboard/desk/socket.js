// A desk WebSocket that stays connected: a fresh ticket for every (re)connect,
// backoff from 1 s to 30 s after a drop, and `open` called on each connect (the
// conversation's socket says hello {since} there). Closed for good by close(),
// or when the view it belongs to has left the page.
import { socketUrl, ticket } from './api.js';

/**
 * @param {{ site: string, path: string, view: Element, first?: { ticket: string }, open?: (send: (f: object) => void) => void, frame: (f: any) => void, live?: (up: boolean) => void }} o
 *   `first`: a ticket already in hand for the first connect.
 */
export function deskSocket(o) {
  let ws = null;
  let tries = 0;
  let timer = 0;
  let closed = false;
  const send = (f) => ws?.readyState === 1 && (ws.send(JSON.stringify(f)), true);
  const gone = () => closed || !o.view.isConnected;
  const again = () => {
    if (gone()) return close();
    timer = setTimeout(connect, Math.min(30_000, 1000 * 2 ** tries++));
  };
  async function connect() {
    if (gone()) return close();
    let t = o.first;
    o.first = undefined;
    try {
      t = t || (await ticket(o.site));
    } catch {
      return again();
    }
    if (gone()) return close();
    const s = (ws = new WebSocket(socketUrl(o.path, t.ticket)));
    s.onopen = () => {
      tries = 0;
      o.live?.(true);
      o.open?.(send);
    };
    s.onmessage = (e) => {
      if (gone()) return close();
      let f;
      try {
        f = JSON.parse(e.data);
      } catch {
        return;
      }
      o.frame(f);
    };
    s.onclose = () => {
      if (ws !== s) return;
      ws = null;
      o.live?.(false);
      again();
    };
  }
  function close() {
    closed = true;
    clearTimeout(timer);
    const s = ws;
    ws = null;
    s?.close();
  }
  connect();
  return { send, close };
}
