// Delivery through wx.request, the mini program's only way out (no sendBeacon,
// no fetch). The worker's domain must be on the mini program's request legal
// domain list (docs/miniprogram.md). A failure (no network, a 429 or 5xx) keeps
// the events for a replay; another 4xx would be refused again and is dropped.
import type { Batch, CollectResult, WireEvent } from '../../protocol/wire';
import type { Queue } from './queue';
import type { Wx } from './wx';

/** Posts a batch: resolves the worker's answer, or undefined when it failed and the events were kept. `failures`: see sdk/transport.ts. */
export type Post = (events: WireEvent[], failures?: number) => Promise<Partial<CollectResult> | undefined>;

export function transport(wx: Wx, url: string, site: string, q: Queue): Post {
  return (e, failures) =>
    new Promise<Partial<CollectResult> | undefined>((resolve) => {
      const failed = () => {
        q.keep(failures ? [] : e, failures); // a replay's events are still queued: only the backoff moves
        resolve(undefined);
      };
      try {
        wx.request({
          url, method: 'POST', data: JSON.stringify({ s: site, e } satisfies Batch), header: { 'content-type': 'application/json' }, timeout: 10_000,
          success: (res) => {
            if (res.statusCode > 428) return failed(); // 429 (rate limited) and 5xx: kept for a retry
            if (failures) q.done(e); // the replay is answered: its events leave, not a batch kept while it was under way
            resolve(res.data && typeof res.data == 'object' ? (res.data as Partial<CollectResult>) : {});
          },
          fail: failed,
        });
      } catch {
        failed();
      }
    });
}
