// Event construction: a fresh id (what makes retries safe: the worker keeps an
// id once), the client clock, the visitor's identity. Fields and props leave as
// the page gave them: the worker cuts SKUs, labels, names and props to LIMITS
// (worker/validate/event.ts), so an event is never refused for their length and
// the script tag's bytes go elsewhere.
import { newId } from './id';
import { KEYS, store } from './storage';
import { SESSION_IDLE_MS, type WireEvent } from '../protocol/wire';

/**
 * The event `e` (its type and fields) now, with a fresh id and the visitor's identity (read, and the session's
 * activity noted, by this call), as JSON will write it: what JSON cannot write (a BigInt or a cycle in props)
 * throws here, into the caller's guard at the call, never later in a flush that would lose the whole batch.
 */
export function newEvent(e: Partial<WireEvent> & Pick<WireEvent, 't'>): WireEvent {
  const ts = Date.now();
  let [v, ss, last] = store<[string, string, number] | null>(KEYS.ids) || [];
  [v, ss] = store(KEYS.ids, [v || newId(), ss && ts - last! < SESSION_IDLE_MS ? ss : newId(), ts]);
  return JSON.parse(JSON.stringify({ i: newId(), ts, v, ss, ...e }));
}

