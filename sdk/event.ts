// Event construction: a fresh id (what makes retries safe: the worker keeps an
// id once), the client clock, the visitor's identity; and props bounded to what
// the worker accepts (LIMITS), so an event is never refused for its props.
import { newId } from './id';
import { identity } from './identity';
import { LIMITS, type BrowserEventType, type Props, type WireEvent } from './protocol';

export function newEvent(t: BrowserEventType, extra: Partial<WireEvent>): WireEvent {
  const ts = Date.now();
  const [v, ss] = identity(ts);
  return { i: newId(), t, ts, v, ss, ...extra };
}

/** `s` as a string of at most `max` characters. */
export const cut = (s: unknown, max: number): string => String(s).slice(0, max);

/** The first LIMITS.maxProps props, keys cut to LIMITS.propKeyLength; booleans and finite numbers kept, anything else as a string cut to LIMITS.propValueLength. */
export function bound(props: unknown): Props {
  const out: Props = {};
  let n = 0;
  for (const key in props as Props) {
    const v = (props as Props)[key];
    if (n++ < LIMITS.maxProps) out[cut(key, LIMITS.propKeyLength)] = v === !!v || Number.isFinite(v) ? v : cut(v, LIMITS.propValueLength);
  }
  return out;
}
