// Event construction: a fresh id, the client clock and the visitor's identity.
import { nanoid } from 'nanoid';
import { sessionId, visitorId } from './identity';
import type { BrowserEventType, WireEvent } from './protocol';

export function newEvent(t: BrowserEventType, extra: Partial<WireEvent> = {}): WireEvent {
  return { i: nanoid(), t, ts: Date.now(), v: visitorId(), ss: sessionId(), ...extra };
}
