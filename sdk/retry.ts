// The retry queue: batches that failed to leave (or could not try: offline) are
// kept in localStorage and replayed on a later page load, with backoff; a replay
// leaves the queue only when the worker has answered it. Bounded (oldest dropped
// first) and counted: the number dropped rides in the replay as a `track` event
// named DROPPED_EVENT. Event ids make a replay safe: the worker keeps each id once.
import { LIMITS, type WireEvent } from '../protocol/wire';
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
  // At most maxEvents - 1 kept: a replay is one batch, with room for the count event (an event is an object: that slot is set exactly when there are more).
  while (s.e[LIMITS.maxEvents - 1]) s.e.shift(), s.x++;
  if (failures) (s.n = failures), (s.t = Date.now() + (2500 << Math.min(failures, 10)));
  store(KEYS.queue, s);
}

/** Forgets everything queued (opt-out, or a replay answered). */
export const clear = (): unknown => store(KEYS.queue, 0);

/**
 * Replays what is due: the kept events, plus a count event made by `dropped` when some
 * were dropped, go to `post` with the number this replay will be in a row of failures.
 * They stay queued until the answer: an answered replay empties the queue (the count
 * and the backoff start over), a failed one only sets the next wait. A failed replay's
 * count event is not kept: the count stays, and the next replay makes it again.
 */
export function replay(dropped: (count: number) => WireEvent, post: (events: WireEvent[], failures: number) => unknown): void {
  const s = load();
  if (s.e[0] && Date.now() >= s.t) post(s.x ? s.e.concat(dropped(s.x)) : s.e, s.n + 1);
}
