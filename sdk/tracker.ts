// The tracker: builds events, queues them and flushes on page hide. Shared by
// the script tag and the npm import; touches no browser global at import time.
import { nanoid } from 'nanoid';
import { DEFAULT_ALLOW, landing } from './channel';
import { newEvent } from './event';
import { createQueue, type Send } from './transport';

export interface TrackerOptions {
  /** Site key, as registered with the worker. */
  site: string;
  /** Origin (or full URL) of the worker; `/collect` is appended to an origin. */
  endpoint: string;
  /** Query parameter that carries the channel code. Default `ch`. */
  channelParam?: string;
  /** Replaces the network, for tests and custom transports. */
  transport?: Send;
}

export interface Tracker {
  /** Records a page view of the current location. */
  view(): void;
  /** Sends what is queued now. */
  flush(): void;
}

/**
 * Creates a tracker. Throws only here, on missing options; nothing it returns throws.
 * @example
 * const t = createTracker({ site: 'acme', endpoint: 'https://stats.acme.cn' });
 * t.view();
 */
export function createTracker(opts: TrackerOptions): Tracker {
  if (!opts || !opts.site) throw new Error('o2o createTracker: "site" is required');
  if (!opts.endpoint) throw new Error('o2o createTracker: "endpoint" is required');
  const url = /\/collect$/.test(opts.endpoint) ? opts.endpoint : opts.endpoint.replace(/\/$/, '') + '/collect';
  const channelParam = opts.channelParam || 'ch';
  const allow = [channelParam, ...DEFAULT_ALLOW.filter((p) => p !== 'ch')];
  const queue = createQueue(url, opts.site, opts.transport);

  const safe = <A extends unknown[]>(fn: (...a: A) => void) => (...a: A) => {
    try {
      fn(...a);
    } catch {
      // Never into the host page.
    }
  };

  const flush = safe(() => void queue.flush());
  document.addEventListener('visibilitychange', () => document.visibilityState === 'hidden' && flush());
  addEventListener('pagehide', flush);

  return {
    view: safe(() => {
      queue.push(newEvent('view', { pv: nanoid(), ...landing(location, document.referrer, allow, channelParam) }));
      flush();
    }),
    flush,
  };
}
