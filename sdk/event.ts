// Event construction: a fresh id (what makes retries safe: the worker keeps an
// id once), the client clock, the visitor's identity; and props bounded to what
// the worker accepts (LIMITS), so an event is never refused for its props.
import { SCRIPT_TAG } from './build';
import { newId } from './id';
import { KEYS, store } from './storage';
import { LIMITS, SESSION_IDLE_MS, type BrowserEventType, type Props, type WireEvent } from './protocol';

/** An event of type `t` now, with a fresh id and the visitor's identity (read, and the session's activity noted, by this call). */
export function newEvent(t: BrowserEventType, extra: Partial<WireEvent>): WireEvent {
  const ts = Date.now();
  const [v, s, last] = store<[string, string, number] | null>(KEYS.ids) || [];
  const ids = store<[string, string, number]>(KEYS.ids, [v || newId(), s && ts - last! < SESSION_IDLE_MS ? s : newId(), ts]);
  return { i: newId(), t, ts, v: ids[0], ss: ids[1], ...extra };
}

/** `s` as a string of at most `max` characters. */
export const cut = (s: unknown, max: number): string => String(s).slice(0, max);

/** The first LIMITS.maxProps props, keys cut to LIMITS.propKeyLength; booleans and finite numbers kept, anything else as a string cut to LIMITS.propValueLength. */
export function bound(props: unknown): Props {
  // The script tag leaves bounding to the worker, which refuses only the offending event (byte budget).
  if (SCRIPT_TAG) return props as Props;
  const out: Props = {};
  let n = 0;
  for (const key in props as Props) {
    const v = (props as Props)[key];
    if (n++ < LIMITS.maxProps) out[cut(key, LIMITS.propKeyLength)] = v === !!v || Number.isFinite(v) ? v : cut(v, LIMITS.propValueLength);
  }
  return out;
}
