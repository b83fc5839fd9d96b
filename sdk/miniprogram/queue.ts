// The offline queue, with the web SDK's bounds (sdk/retry.ts): events that
// failed to leave wait in storage, at most LIMITS.maxEvents - 1 of them (oldest
// dropped first, and counted: the count rides in the next replay as a DROPPED_EVENT
// `track` event), and are replayed with backoff 5 s, 10 s, 20 s, … up to about
// 43 minutes. A replay leaves the queue only once the worker has answered it;
// event ids make a replay safe (the worker keeps an id once).
//
// A fresh batch is written down (o2o_f) before it leaves and crossed off when
// answered: WeChat suspends a hidden mini program within seconds and may end it
// there, before wx.request calls back, and the batch sent on App.onHide (an
// appointment, the last dwell) would be lost with it. The next run queues what
// such a run left in flight (a run: one JS context of the mini program, so a
// second tracker of the same run never replays the first one's batches).
import { DROPPED_EVENT, LIMITS, type WireEvent } from '../../protocol/wire';
import { newId } from './event';
import { KEYS, type Store } from './storage';

// This run of the mini program: batches in flight are written down under it.
const RUN = newId();

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
  /** A replay answered: its events leave (not those kept while it was under way), the backoff starts over, and the count once it was sent. */
  done(sent: WireEvent[]): void;
  /** A fresh batch leaves: written down until `landed` says how it went. */
  leave(e: WireEvent[]): void;
  /** A fresh batch answered (`ok`), or failed: then kept for a replay. */
  landed(e: WireEvent[], ok: boolean): void;
  /** Queues what a run that was ended left in flight (called once, at the start). */
  recover(): void;
  /** Forgets everything (an opt-out). */
  clear(): void;
}

const isEvent = (x: unknown): x is WireEvent => !!x && typeof x == 'object' && typeof (x as WireEvent).i == 'string';
const events = (x: unknown): WireEvent[] => (Array.isArray(x) ? x.filter(isEvent) : []);
const count = (x: unknown): number => (typeof x == 'number' && x >= 0 ? x : 0);
const without = (from: WireEvent[], gone: WireEvent[]): WireEvent[] => {
  const ids = gone.map((e) => e.i);
  return from.filter((x) => ids.indexOf(x.i) < 0);
};

export function queue(store: Store): Queue {
  // Storage is shared with the rest of the mini program: whatever a key holds, only its well-formed part is read.
  const load = (): Kept => {
    const k = store<Partial<Kept>>(KEYS.queue);
    return k && typeof k == 'object' ? { e: events(k.e), x: count(k.x), n: count(k.n), t: count(k.t) } : { e: [], x: 0, n: 0, t: 0 };
  };
  const flying = (): { r?: unknown; e: WireEvent[] } => {
    const f = store<{ r?: unknown; e?: unknown }>(KEYS.flight);
    return f && typeof f == 'object' ? { r: f.r, e: events(f.e) } : { e: [] };
  };
  const off = () => !!store(KEYS.optout);
  const q: Queue = {
    keep(add, failures) {
      if (off()) return; // a batch under way when the visitor opted out stays off the phone
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
      const k = load();
      const e = without(k.e, sent);
      const counted = sent.some((x) => x.n === DROPPED_EVENT);
      store(KEYS.queue, e.length || (k.x && !counted) ? { e, x: counted ? 0 : k.x, n: 0, t: 0 } : 0);
    },
    leave(e) {
      // Bounded as the queue: what a killed run can leave is at most one batch's worth more.
      store(KEYS.flight, { r: RUN, e: flying().e.concat(e).slice(-LIMITS.maxEvents) });
    },
    landed(e, ok) {
      const left = without(flying().e, e);
      store(KEYS.flight, left.length ? { r: RUN, e: left } : 0);
      if (!ok) q.keep(e);
    },
    recover() {
      const f = flying();
      if (f.r === RUN || !f.e.length) return;
      store(KEYS.flight, 0);
      q.keep(f.e);
    },
    clear() {
      store(KEYS.queue, 0);
      store(KEYS.flight, 0);
    },
  };
  return q;
}
