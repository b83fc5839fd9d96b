// Visitor and session ids: random, first-party, kept together in localStorage.
// No fingerprinting: nothing about the device goes into an id.
import { newId } from './id';
import { SESSION_IDLE_MS } from './protocol';
import { KEYS, store } from './storage';

/** [visitor id, session id, now]. The visitor id is made once per browser; the session id rotates after SESSION_IDLE_MS without an event (each call counts as activity). */
export function identity(now: number): [visitor: string, session: string, lastActivity: number] {
  const [v, s, last] = store<[string, string, number] | null>(KEYS.ids) || [];
  return store(KEYS.ids, [v || newId(), s && now - last! < SESSION_IDLE_MS ? s : newId(), now]);
}
