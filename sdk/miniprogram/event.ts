// Events as the web SDK makes them (sdk/event.ts): a fresh id, the client clock,
// the visitor's and session's ids, kept in wx storage under the same key.
import { LIMITS, SESSION_IDLE_MS, type WireEvent } from '../../protocol/wire';
import { KEYS, type Store } from './storage';

/**
 * A random id of 21 characters of [0-9a-z] like the web SDK's (sdk/id.ts). A mini
 * program has no synchronous crypto (wx.getRandomValues is asynchronous), so
 * Math.random fills in: the id only has to be unique, which 21 characters keep.
 */
export function newId(): string {
  const bytes = typeof crypto == 'object' && crypto && crypto.getRandomValues ? crypto.getRandomValues(new Uint8Array(21)) : Array.from({ length: 21 }, () => (Math.random() * 256) | 0);
  let s = '';
  for (const b of bytes) s += (b % 36).toString(36);
  return s;
}

/** `s` as a string of at most `max` characters. */
export const cut = (s: unknown, max: number): string => String(s).slice(0, max);

/** Makes events for the visitor kept in `store`: `make(fields)` reads the ids and notes the session's activity. */
export const eventMaker = (store: Store) => (e: Partial<WireEvent> & Pick<WireEvent, 't'>): WireEvent => {
  const ts = Date.now();
  // The key may hold anything another part of the mini program wrote: only ids of the expected shape are read.
  const kept = store<unknown[]>(KEYS.ids);
  const [v, ss, last] = Array.isArray(kept) ? kept : [];
  const visitor = typeof v == 'string' && v && v.length <= LIMITS.idLength ? v : newId();
  const session = typeof ss == 'string' && ss && ss.length <= LIMITS.idLength && typeof last == 'number' && ts - last < SESSION_IDLE_MS ? ss : newId();
  store(KEYS.ids, [visitor, session, ts]);
  return { i: newId(), ts, v: visitor, ss: session, ...e };
};
