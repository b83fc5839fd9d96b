// Delivery: a queue flushed as one batch. sendBeacon with text/plain (no CORS
// preflight, survives page unload), fetch keepalive when the beacon is refused.
import type { Batch, WireEvent } from './protocol';

export type Send = (url: string, body: string) => boolean;

export const send: Send = (url, body) => {
  try {
    if (navigator.sendBeacon?.(url, body)) return true;
  } catch {
    // fall through to fetch
  }
  try {
    void fetch(url, { method: 'POST', body, keepalive: true, headers: { 'content-type': 'text/plain' } }).catch(() => {});
    return true;
  } catch {
    return false;
  }
};

export function createQueue(url: string, site: string, transport: Send = send) {
  let queue: WireEvent[] = [];
  return {
    push(e: WireEvent) {
      queue.push(e);
    },
    flush(): boolean {
      if (!queue.length) return true;
      const batch: Batch = { s: site, e: queue };
      queue = [];
      return transport(url, JSON.stringify(batch));
    },
    get size() {
      return queue.length;
    },
  };
}
