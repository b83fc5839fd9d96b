// Delivery of one batch. sendBeacon with text/plain (no CORS preflight, survives
// page unload) while online; when the beacon is refused, fetch with keepalive
// (retry.ts), whose failure is visible: the events then go to the retry queue.
// Offline, the batch goes to the retry queue at once: a fetch would fail after the
// page is gone.
import { guard } from './guard';
import type { Batch, WireEvent } from '../protocol/wire';
import { poster, type Post } from './retry';

/** [send, post]: send beacons, or posts when offline (a beacon is then "queued" and silently lost) or when the beacon is unavailable or refused. */
export function transport(url: string, opts: { site: string }): [send: (events: WireEvent[]) => void, post: Post] {
  const body = (e: WireEvent[]) => JSON.stringify({ s: opts.site, e } satisfies Batch);
  const post = poster(url, body);
  // Online, a beacon; else (offline, where a beacon is "queued" and silently lost; none in old WebViews; refused; it threw) a post.
  return [(e) => guard(() => navigator.onLine && navigator.sendBeacon(url, body(e)))() || post(e), post];
}
