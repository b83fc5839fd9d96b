// The retry queue: batches that failed to leave are kept in localStorage and
// replayed on a later page load, with backoff. Bounded (oldest dropped first)
// and counted: the number dropped is reported, once the queue is replayed, as a
// `track` event named DROPPED_EVENT. Event ids make a replay safe: the worker
// keeps each id once.
import { LIMITS, type WireEvent } from './protocol';
import { KEYS, store } from './storage';

interface Stored {
  e: WireEvent[]; // events waiting, oldest first
  x: number; // events dropped to keep the bound, not yet reported
  n: number; // failed replays in a row (the backoff exponent)
  t: number; // no replay before this time (ms)
}

const load = (): Stored => store<Stored | null>(KEYS.queue) || { e: [], x: 0, n: 0, t: 0 };

/**
 * Adds events that failed to leave. `failures`: the count of failed replays in a row,
 * when these events were a replay: the next replay then waits 5 s, 10 s, 20 s, … up to
 * about 43 minutes. A fresh failure leaves a pending wait as it is.
 */
export function keep(add: WireEvent[], failures?: number): void {
  const s = load();
  s.e = s.e.concat(add);
  // At most one batch kept (an event is an object: that slot is set exactly when there are more).
  while (s.e[LIMITS.maxEvents]) s.e.shift(), s.x++;
  if (failures) (s.n = failures), (s.t = Date.now() + (2500 << Math.min(failures, 10)));
  store(KEYS.queue, s);
}

/** Forgets everything queued (opt-out; a replay takes the queue with it). */
export const clear = (): unknown => store(KEYS.queue, 0);

/**
 * Replays what is due: the kept events go to `post` with the number this replay will be
 * in a row of failures (`post` keeps them again if it fails), and the count of events
 * dropped, if any, to `dropped` (the tracker queues it as an event of its own, which the
 * retry queue keeps like any other). Both leave the queue now; a delivered replay leaves
 * it empty, so the backoff starts over.
 */
export function replay(dropped: (count: number) => void, post: (events: WireEvent[], failures: number) => unknown): void {
  const s = load();
  if (s.e[0] && Date.now() >= s.t) clear(), post(s.e, s.n + 1), s.x && dropped(s.x);
}
