// The retry queue: batches that failed to leave are kept in localStorage and
// replayed on a later page load, with backoff. Bounded (oldest dropped first)
// and counted: the number dropped is reported as a `track` event named
// DROPPED_EVENT. Event ids make a replay safe: the worker keeps each id once.
import { LIMITS, type WireEvent } from './protocol';
import { KEYS, store } from './storage';

interface Stored {
  e: WireEvent[]; // events waiting, oldest first
  x: number; // events dropped to keep the bound, not yet reported
  n: number; // failed replays in a row (the backoff exponent)
  t: number; // no replay before this time (ms)
}

const load = (): Stored => store<Stored | null>(KEYS.queue) || { e: [], x: 0, n: 0, t: 0 };

/** Adds failed events; `delivered`: a replay got through, so the backoff starts over. */
export function keep(add: WireEvent[], delivered?: boolean): void {
  const s = load();
  if (delivered) s.n = s.t = 0;
  s.e = s.e.concat(add);
  // One replay is one batch, with room for the dropped-count event.
  while (s.e.length >= LIMITS.maxEvents) s.e.shift(), s.x++;
  store(KEYS.queue, s);
}

/** Forgets everything queued (opt-out). */
export const clear = (): unknown => store(KEYS.queue, 0);

/**
 * The events due for a replay now, with a dropped-count event made by `dropped`, or
 * undefined. They leave the queue (a failed replay puts them back) and the backoff
 * grows: 5 s, 10 s, 20 s, … up to an hour between replays.
 */
export function due(dropped: (count: number) => WireEvent): WireEvent[] | undefined {
  const s = load();
  const now = Date.now();
  if (s.e[0] && now >= s.t) {
    store(KEYS.queue, { e: [], x: 0, n: s.n + 1, t: now + Math.min(36e5, 5e3 * 2 ** s.n) });
    return s.x ? s.e.concat(dropped(s.x)) : s.e;
  }
}
