// Delivery through wx.request, the mini program's only way out (no sendBeacon,
// no fetch). The worker's domain must be on the mini program's request legal
// domain list (docs/miniprogram.md). A failure (no network, a 429 or 5xx) keeps
// the events for a replay; another 4xx would be refused again and is dropped.
// A batch over the worker's body limit (a replay of 49 events with long props,
// Chinese text at 3 bytes a character) leaves in halves: the worker would refuse
// it whole with a 413 and every event in it would be lost.
import { LIMITS, type Batch, type CollectResult, type WireEvent } from '../../protocol/wire';
import type { Queue } from './queue';
import type { Wx } from './wx';

/** Posts a batch: resolves the worker's answer, or undefined when it failed and the events were kept. `failures`: see sdk/transport.ts. */
export type Post = (events: WireEvent[], failures?: number) => Promise<Partial<CollectResult> | undefined>;

/** At least the UTF-8 length of `s` (a surrogate pair counted as 6 bytes, not 4): what decides a split only has to err long. */
export function bytesAtLeast(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c > 0x7f) n += c > 0x7ff ? 2 : 1;
  }
  return n;
}

/** The answers of a batch sent in parts as one: undefined only when every part failed. */
const joined = (a: Partial<CollectResult> | undefined, b: Partial<CollectResult> | undefined): Partial<CollectResult> | undefined =>
  a && b ? { ...a, ...b, leads: { ...a.leads, ...b.leads } } : a || b;

export function transport(wx: Wx, url: string, site: string, q: Queue): Post {
  const post: Post = (e, failures) => {
    const data = JSON.stringify({ s: site, e } satisfies Batch);
    if (e.length > 1 && bytesAtLeast(data) > LIMITS.maxBodyBytes) {
      const half = e.length >> 1;
      return Promise.all([post(e.slice(0, half), failures), post(e.slice(half), failures)]).then(([a, b]) => joined(a, b));
    }
    if (!failures) q.leave(e);
    return new Promise<Partial<CollectResult> | undefined>((resolve) => {
      const failed = () => {
        if (failures) q.keep([], failures); // a replay's events are still queued: only the backoff moves
        else q.landed(e, false);
        resolve(undefined);
      };
      try {
        wx.request({
          url, method: 'POST', data, header: { 'content-type': 'application/json' }, timeout: 10_000,
          success: (res) => {
            if (res.statusCode > 428) return failed(); // 429 (rate limited) and 5xx: kept for a retry
            // Answered: its events leave (a replay's, not a batch kept while it was under way).
            if (failures) q.done(e);
            else q.landed(e, true);
            resolve(res.data && typeof res.data == 'object' ? (res.data as Partial<CollectResult>) : {});
          },
          fail: failed,
        });
      } catch {
        failed();
      }
    });
  };
  return post;
}
