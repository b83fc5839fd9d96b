// The offline queue, with the web SDK's bounds (sdk/retry.ts): events that
// failed to leave wait in storage, at most LIMITS.maxEvents - 1 of them (oldest
// dropped first, and counted: the count rides in the next replay as a DROPPED_EVENT
// `track` event), and are replayed with backoff 5 s, 10 s, 20 s, … up to about
// 43 minutes. A replay leaves the queue only once the worker has answered it;
// event ids make a replay safe (the worker keeps an id once).
import { LIMITS, type WireEvent } from '../../protocol/wire';
import { KEYS, type Store } from './storage';

interface Kept {
  e: WireEvent[]; // waiting, oldest first
  x: number; // dropped to keep the bound, not yet reported
  n: number; // failed replays in a row: the backoff exponent
  t: number; // no replay before this time (ms)
}

export interface Queue {
  /** Keeps events that failed to leave; `failures`: they were a replay, the nth failure in a row. */
  keep(add: WireEvent[], failures?: number): void;
  /** Replays what is due: `post(events, failures)` with a count event made by `dropped` when some were dropped. */
  replay(dropped: (count: number) => WireEvent, post: (events: WireEvent[], failures: number) => unknown): void;
  /** A replay answered: its events leave (not those kept while it was under way), the count and the backoff start over. */
  done(sent: WireEvent[]): void;
  /** Forgets everything (an opt-out). */
  clear(): void;
}

export function queue(store: Store): Queue {
  const load = (): Kept => store<Kept>(KEYS.queue) || { e: [], x: 0, n: 0, t: 0 };
  return {
    keep(add, failures) {
      const k = load();
      k.e = k.e.concat(add);
      // One replay is one batch, with room for the count event.
      const over = k.e.length - (LIMITS.maxEvents - 1);
      if (over > 0) {
        k.e = k.e.slice(over);
        k.x += over;
      }
      if (failures) {
        k.n = failures;
        k.t = Date.now() + (2500 << Math.min(failures, 10));
      }
      store(KEYS.queue, k);
    },
    replay(dropped, post) {
      const k = load();
      if (k.e.length && Date.now() >= k.t) post(k.x ? k.e.concat(dropped(k.x)) : k.e, k.n + 1);
    },
    done(sent) {
      const ids = sent.map((e) => e.i);
      const e = load().e.filter((x) => ids.indexOf(x.i) < 0);
      store(KEYS.queue, e.length ? { e, x: 0, n: 0, t: 0 } : 0);
    },
    clear() {
      store(KEYS.queue, 0);
    },
  };
}
