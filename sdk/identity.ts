// Visitor and session ids: random, first-party, in localStorage. No fingerprinting.
import { nanoid } from 'nanoid';
import { SESSION_IDLE_MS } from './protocol';

const VISITOR_KEY = 'o2o_v';
const SESSION_KEY = 'o2o_s';

/** Storage that may be missing or throw (Safari private mode, sandboxed iframes). */
function store(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    return null;
  }
}

let memoryVisitor: string | undefined;

export function visitorId(): string {
  const s = store();
  let v = s?.getItem(VISITOR_KEY) ?? memoryVisitor;
  if (!v) {
    v = nanoid();
    try {
      s?.setItem(VISITOR_KEY, v);
    } catch {
      // Quota or privacy mode: the id lives for this page only.
    }
  }
  return (memoryVisitor = v);
}

let memorySession: string | undefined;

/** The session id, rotated after SESSION_IDLE_MS without activity; each call counts as activity. */
export function sessionId(now = Date.now()): string {
  const s = store();
  const raw = s?.getItem(SESSION_KEY) ?? memorySession;
  const [id, last] = raw ? raw.split('.') : [];
  const sid = id && now - Number(last) < SESSION_IDLE_MS ? id : nanoid();
  memorySession = `${sid}.${now}`;
  try {
    s?.setItem(SESSION_KEY, memorySession);
  } catch {
    // as above
  }
  return sid;
}
