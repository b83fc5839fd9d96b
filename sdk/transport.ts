// Delivery of one batch. sendBeacon with text/plain (no CORS preflight, survives
// page unload) while online; otherwise, or when the beacon is refused, fetch with
// keepalive, whose failure is visible: the events then go to the retry queue.
import type { Batch, CollectResult, WireEvent } from './protocol';
import { keep } from './retry';

/**
 * Posts with fetch: resolves the answer, or undefined when it failed (network, 5xx) and the
 * events went to the retry queue (`failures`: this was a replay, the nth failure in a row if
 * it fails). A 4xx is not retried: it would be refused again.
 */
export type Post = (events: WireEvent[], failures?: number) => Promise<Partial<CollectResult> | void>;

/** [send, post]: send beacons, or posts when offline (a beacon is then "queued" and silently lost) or when the beacon is unavailable or refused. */
export function transport(url: string, site: string): [send: (events: WireEvent[]) => void, post: Post] {
  const body = (e: WireEvent[]) => JSON.stringify({ s: site, e } satisfies Batch);
  const post: Post = (e, failures) =>
    fetch(url, { method: 'POST', body: body(e), keepalive: true })
      .then((r) => {
        if (r.status > 499) throw 0;
        return r.json();
      })
      .catch(() => keep(e, failures));
  const nav = navigator;
  return [
    (e) => {
      try {
        if (nav.onLine && nav.sendBeacon(url, body(e))) return;
      } catch {
        // no sendBeacon (old WebViews), or it threw: post instead
      }
      post(e);
    },
    post,
  ];
}
