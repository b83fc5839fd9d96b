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

/**
 * One function for both ways (the script tag's byte budget): `store(key)` reads the
 * stored value (or the memory copy when storage is unusable); `store(key, value)`
 * stores it and returns it, so `store(k) || store(k, fresh)` reads well.
 */
export const store = <T>(key: string, value?: T): T => {
  // Property access, not getItem/setItem: fewer bytes, and the o2o_ keys never meet Storage's own
  // members. A missing key makes JSON.parse throw, and reads as the memory copy (undefined).
  try {
    value === undefined ? (value = JSON.parse(localStorage[key])) : (localStorage[key] = JSON.stringify(value));
  } catch {
    value === undefined ? (value = mem[key] as T) : (mem[key] = value); // quota or privacy mode: the value lives for this page only
  }
  return value as T;
};
