// Event construction: a fresh id (what makes retries safe: the worker keeps an
// id once), the client clock, the visitor's identity; and props bounded to what
// the worker accepts (LIMITS), so an event is never refused for its props.
import { newId } from './id';
import { KEYS, store } from './storage';
import { LIMITS, SESSION_IDLE_MS, type Props, type WireEvent } from '../protocol/wire';

/** The event `e` (its type and fields) now, with a fresh id and the visitor's identity (read, and the session's activity noted, by this call). */
export function newEvent(e: Partial<WireEvent> & Pick<WireEvent, 't'>): WireEvent {
  const ts = Date.now();
  let [v, ss, last] = store<[string, string, number] | null>(KEYS.ids) || [];
  [v, ss] = store(KEYS.ids, [v || newId(), ss && ts - last! < SESSION_IDLE_MS ? ss : newId(), ts]);
  return { i: newId(), ts, v, ss, ...e };
}

/** `s` as a string of at most `max` characters. */
export const cut = (s: unknown, max: number): string => String(s).slice(0, max);

/**
 * The first LIMITS.maxProps props, keys cut to LIMITS.propKeyLength; booleans, finite numbers,
 * null and undefined kept (JSON leaves undefined out, the worker ignores null), anything else
 * as a string cut to LIMITS.propValueLength.
 */
export const bound = (props: unknown): Props =>
  Object.fromEntries(
    Object.entries(props || {})
      .slice(0, LIMITS.maxProps)
      .map(([k, v]) => [cut(k, LIMITS.propKeyLength), v == null || v === !!v || Number.isFinite(v) ? v : cut(v, LIMITS.propValueLength)]),
  );
