// First-party storage: JSON values in localStorage under the o2o_ keys, with a
// memory fallback because storage can be missing or throw (Safari private mode,
// sandboxed iframes, a full quota). Nothing here touches a global at import time.

/** Where each value lives; one place so a brand can audit what the SDK keeps. */
export const KEYS = {
  ids: 'o2o_id', // [visitor id, session id, last activity ms]
  queue: 'o2o_q', // the retry queue (see retry.ts)
  optout: 'o2o_off', // 1 once the visitor opted out
} as const;

const mem: Record<string, unknown> = {};

/** The stored value, or the memory copy when storage is unusable. */
export function get<T>(key: string): T | undefined {
  try {
    return JSON.parse(localStorage.getItem(key)!);
  } catch {
    return mem[key] as T;
  }
}

/** Stores `value` and returns it, so `get(k) || set(k, fresh)` reads well. */
export function set<T>(key: string, value: T): T {
  try {
    localStorage.setItem(key, JSON.stringify(value));
  } catch {
    mem[key] = value; // quota or privacy mode: the value lives for this page only
  }
  return value;
}
