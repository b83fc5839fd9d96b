// Posting with fetch, and the retry queue it keeps what fails in: batches that
// failed to leave (or could not try: offline) are kept in localStorage and
// replayed on a later page load, with backoff; a replay leaves the queue only when
// the worker has answered it. Bounded (oldest dropped first) and counted: the
// number dropped rides in the replay as a `track` event named DROPPED_EVENT.
// Event ids make a replay safe: the worker keeps each id once.
import { LIMITS, type CollectResult, type WireEvent } from '../protocol/wire';
import { KEYS, store } from './storage';

interface Stored {
  e: WireEvent[]; // events waiting, oldest first
  x: number; // events dropped to keep the bound, not yet reported
  n?: number; // failed replays in a row (the backoff exponent); absent: none
  t?: number; // no replay before this time (ms); absent: now
}

const load = (): Stored => store<Stored | 0>(KEYS.queue) || { e: [], x: 0 };

/**
 * Posts with fetch: resolves the answer, or undefined when it failed (network, 5xx) and the
 * events went to the retry queue; offline, it keeps them at once and returns undefined.
 * `failures`: this is a replay of the queue, the nth failure in a row if it fails; the queue
 * keeps the events until the answer, so a page closed while the replay is under way loses
 * nothing. A 429 (rate limited) is retried too; another 4xx is not: it would be refused again.
 */
export type Post = (events: WireEvent[], failures?: number) => Promise<Partial<CollectResult> | void> | void;

/**
 * The post of batches (their JSON by `body`) to `url`. Offline, no fetch: it would fail after a page
 * closed by then (an appointment form's submission), losing the batch; the batch is kept at once instead.
 */
export const poster =
  (url: string, body: (events: WireEvent[]) => string): Post =>
  // What failed is kept: a fresh batch's events are added; a replay's are queued already, and the next replay
  // waits 5 s, 10 s, 20 s, … up to about 43 minutes (a fresh failure leaves a pending wait as it is). At most
  // maxEvents - 1 are kept: a replay is one batch, with room for the count event (an event is an object: that
  // slot is set exactly when there are more). (`failed` is a parameter, not a const: an expression body is fewer bytes.)
  (e, failures, failed = () => {
    const s = load();
    s.e = s.e.concat(failures ? [] : e);
    while (s.e[LIMITS.maxEvents - 1]) s.e.shift(), s.x++;
    if (failures) (s.n = failures), (s.t = Date.now() + (2500 << Math.min(failures, 10)));
    store(KEYS.queue, s);
  }) =>
    navigator.onLine
      ? fetch(url, { method: 'POST', body: body(e), keepalive: true })
          .then((r) => {
            if (r.status > 428) throw 0; // 429 (rate limited) and 5xx: kept for a retry
            failures && clear(); // the replay is answered
            return r.json();
          })
          .catch(failed)
      : failed();

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
  // -~n: n + 1, an absent n read as 0; a replay is due unless a wait is set and not over.
  if (s.e[0] && !(Date.now() < s.t!)) post(s.x ? s.e.concat(dropped(s.x)) : s.e, -~s.n!);
}
