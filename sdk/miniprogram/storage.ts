// The mini program's storage: the web SDK's keys (sdk/storage.ts KEYS), kept
// with wx.setStorageSync (values as they are; wx storage holds objects), with a
// memory copy when storage throws (a full 10 MB quota) so the tracker goes on:
// read instead of storage's older value until a write succeeds again.
import type { Wx } from './wx';

/** Same names as the web SDK's, so a brand audits one list. */
export const KEYS = {
  ids: 'o2o_id', // [visitor id, session id, last activity ms]
  queue: 'o2o_q', // the retry queue (queue.ts)
  flight: 'o2o_f', // a fresh batch under way, until answered (queue.ts; the mini program's own)
  optout: 'o2o_off', // 1 once the visitor opted out
} as const;

export type Store = <T>(key: string, value?: T) => T | undefined;

/** `store(key)` reads (undefined when nothing is kept), `store(key, value)` writes and returns the value. */
export function wxStore(wx: Wx): Store {
  const mem: Record<string, unknown> = {};
  // Keys whose last write storage refused: the memory copy is newer than what storage still reads.
  const newer: Record<string, 1> = {};
  return <T>(key: string, value?: T): T | undefined => {
    try {
      if (value === undefined) {
        if (newer[key]) return mem[key] as T | undefined;
        const v = wx.getStorageSync(key);
        return (v === '' || v === null ? mem[key] : v) as T | undefined;
      }
      delete newer[key];
      wx.setStorageSync(key, value);
    } catch {
      if (value === undefined) return mem[key] as T | undefined;
      newer[key] = 1;
    }
    mem[key] = value; // also the fallback for a later read that throws
    return value;
  };
}
