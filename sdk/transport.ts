// Delivery of one batch. sendBeacon with text/plain (no CORS preflight, survives
// page unload) while online; when the beacon is refused, fetch with keepalive,
// whose failure is visible: the events then go to the retry queue. Offline, the
// batch goes to the retry queue at once: a fetch would fail after the page is gone.
import { guard } from './guard';
import type { Batch, CollectResult, WireEvent } from '../protocol/wire';
import { clear, keep } from './retry';

/**
 * Posts with fetch: resolves the answer, or undefined when it failed (network, 5xx) and the
 * events went to the retry queue. `failures`: this is a replay of the queue, the nth failure
 * in a row if it fails; the queue keeps the events until the answer, so a page closed while
 * the replay is under way loses nothing. A 429 (rate limited) is retried too; another 4xx
 * is not: it would be refused again.
 */
export type Post = (events: WireEvent[], failures?: number) => Promise<Partial<CollectResult> | void>;

/** [send, post]: send beacons, or posts when offline (a beacon is then "queued" and silently lost) or when the beacon is unavailable or refused. */
export function transport(url: string, site: string): [send: (events: WireEvent[]) => void, post: Post] {
  const body = (e: WireEvent[]) => JSON.stringify({ s: site, e } satisfies Batch);
  // Offline, no fetch: it would fail after a page closed by then (an appointment form's submission), losing the batch;
  // a rejection instead keeps it in the next microtask, before the page can go.
  const post: Post = (e, failures) =>
    (navigator.onLine ? fetch(url, { method: 'POST', body: body(e), keepalive: true }) : Promise.reject())
      .then((r) => {
        if (r.status > 428) throw 0; // 429 (rate limited) and 5xx: kept for a retry
        failures && clear(); // the replay is answered
        return r.json();
      })
      .catch(() => keep(failures ? [] : e, failures));
  // Online, a beacon; else (offline, where a beacon is "queued" and silently lost; none in old WebViews; refused; it threw) a post.
  return [(e) => guard(() => navigator.onLine && navigator.sendBeacon(url, body(e)))() || post(e), post];
}
