// Event construction: a fresh id (what makes retries safe: the worker keeps an
// id once), the client clock, the visitor's identity. Props leave as the page
// gave them: the worker trims them to LIMITS (worker/validate/event.ts), so an
// event is never refused for its props and the script tag's bytes go elsewhere.
import { newId } from './id';
import { KEYS, store } from './storage';
import { SESSION_IDLE_MS, type WireEvent } from '../protocol/wire';

/** The event `e` (its type and fields) now, with a fresh id and the visitor's identity (read, and the session's activity noted, by this call). */
export function newEvent(e: Partial<WireEvent> & Pick<WireEvent, 't'>): WireEvent {
  const ts = Date.now();
  let [v, ss, last] = store<[string, string, number] | null>(KEYS.ids) || [];
  [v, ss] = store(KEYS.ids, [v || newId(), ss && ts - last! < SESSION_IDLE_MS ? ss : newId(), ts]);
  return { i: newId(), ts, v, ss, ...e };
}

/** `s` as a string of at most `max` characters. */
export const cut = (s: unknown, max: number): string => String(s).slice(0, max);

