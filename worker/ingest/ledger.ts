// The visitor's ledger: what the fold must remember about one visitor to fold
// the next batch exactly, kept as JSON on the visitor's own row, so a page view
// writes one per-visitor row and nothing else per visitor.
//   s: hashes of the visitor's recent event ids: the replay guard. A browser's
//      replay and a redelivered queue batch carry ids already here: they count once.
//   d: per local day and credited touch pair, the online stages (the rows the
//      channel report's day chains are computed from: worker/rollups/touch-days.ts)
//   k: per local day, place and SKU, views, dwell and stages (the SKU reports'
//      chains: worker/rollups/sku-chains.ts)
//   t: the touch path, [time, channel] oldest first, the newest MAX_PATH (32)
//   c: per local day, views and when each stage first happened; with t, what
//      the multi-touch models' credit_days hold for the visitor (rollups/credit.ts)
//   h: the half-life (days) the visitor's credit_days rows were computed with
//   w: and the attribution window (days): a later fold subtracts them as they were added
// The fold diffs d and k before and after a batch and folds only the difference
// into the aggregates, in SQL.

import type { CreditDay, PathTouch } from '../rollups/credit';
import { DAY_KEY, SKU_KEY, type DayRow, type SkuRow } from '../rollups/rows';

export type { DayRow, SkuRow };

export interface Ledger {
  s: string[]; // oldest first
  d: DayRow[];
  k: SkuRow[];
  t: PathTouch[];
  c: CreditDay[];
  h?: number; // absent: no credit rows yet
  w?: number; // absent: no credit rows yet, or rows from before it was kept (the site's window then)
}

// A browser replays at most the 49 events its queue keeps, and /collect takes
// events up to 7 days old: the last 256 ids of a visitor cover any replay but
// one from a visitor who sent more than 256 events since the failed send.
export const GUARD_IDS = 256;
// The day chains need a visitor's earlier days only as far back as a report
// reaches (two years); older rows leave the ledger (their aggregates stay).
export const HORIZON_DAYS = 731;
// And a visitor id that sends thousands of SKUs or touches (a script, not a
// person) keeps its row bounded, in rows and in bytes (a touch row holds six
// strings of up to 256 characters, each of which may double when escaped):
// its oldest rows leave first. D1 refuses a value over 2 MB.
export const MAX_DAY_ROWS = 1000;
export const MAX_SKU_ROWS = 2000;
export const MAX_ROWS_BYTES = 96 * 1024; // for d, and again for k

export const emptyLedger = (): Ledger => ({ s: [], d: [], k: [], t: [], c: [] });

/** The stored JSON, or an empty ledger for a new visitor (or a row from before 0008 with none). */
export function parseLedger(json: string | null | undefined): Ledger {
  if (!json) return emptyLedger();
  try {
    const l = JSON.parse(json) as Partial<Ledger>;
    const arr = <T>(x: T[] | undefined): T[] => (Array.isArray(x) ? x : []);
    return { s: arr(l.s), d: arr(l.d), k: arr(l.k), t: arr(l.t), c: arr(l.c), ...(typeof l.h === 'number' ? { h: l.h } : {}),
      ...(typeof l.w === 'number' ? { w: l.w } : {}) };
  } catch {
    return emptyLedger();
  }
}

/**
 * A 53-bit hash of an event id (cyrb53), base 36: ten characters instead of up
 * to 64. Two ids of one visitor's last 256 collide with odds near 2^-37.
 */
export function idHash(id: string): string {
  let h1 = 0xdeadbeef;
  let h2 = 0x41c6ce57;
  for (let i = 0; i < id.length; i++) {
    const ch = id.charCodeAt(i);
    h1 = Math.imul(h1 ^ ch, 2654435761);
    h2 = Math.imul(h2 ^ ch, 1597334677);
  }
  h1 = Math.imul(h1 ^ (h1 >>> 16), 2246822507) ^ Math.imul(h2 ^ (h2 >>> 13), 3266489909);
  h2 = Math.imul(h2 ^ (h2 >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(36);
}

export const addDay = (l: Ledger, row: DayRow): void => add(l.d, row, DAY_KEY);
export const addSku = (l: Ledger, row: SkuRow): void => add(l.k, row, SKU_KEY);

/** Adds `row`'s sums to the row of the same key (its first `keyLength` columns), or adds the row. */
function add<R extends (string | number)[]>(rows: R[], row: R, keyLength: number): void {
  const same = rows.find((r) => r.slice(0, keyLength).every((v, i) => v === row[i]));
  if (!same) rows.push(row);
  else for (let i = keyLength; i < row.length; i++) (same[i] as number) += row[i] as number;
}

/**
 * Bounds a ledger for storage: the newest GUARD_IDS ids, the rows within
 * HORIZON_DAYS of its newest day, at most MAX_DAY_ROWS / MAX_SKU_ROWS of them.
 * Called after the diff, so what leaves the ledger stays in the aggregates.
 */
export function pruneLedger(l: Ledger): Ledger {
  const days = [...l.d.map((r) => r[0]), ...l.k.map((r) => r[0]), ...l.c.map((r) => r[0])].sort();
  const newest = days[days.length - 1];
  const cut = newest ? new Date(Date.parse(`${newest}T00:00:00Z`) - HORIZON_DAYS * 86_400_000).toISOString().slice(0, 10) : '';
  /** The newest rows by day, at most `max` of them and MAX_ROWS_BYTES of JSON. */
  const latest = <T extends [string, ...unknown[]]>(rows: T[], max: number): T[] => {
    const byDay = [...rows].sort((a, b) => (a[0] < b[0] ? 1 : a[0] > b[0] ? -1 : 0));
    const out: T[] = [];
    let bytes = 0;
    for (const r of byDay) {
      bytes += JSON.stringify(r).length + 1;
      if (out.length >= max || bytes > MAX_ROWS_BYTES) break;
      out.push(r);
    }
    return out.length === rows.length ? rows : out;
  };
  return {
    s: l.s.slice(-GUARD_IDS),
    d: latest(l.d.filter((r) => r[0] >= cut), MAX_DAY_ROWS),
    k: latest(l.k.filter((r) => r[0] >= cut), MAX_SKU_ROWS),
    t: l.t,
    c: latest(l.c.filter((r) => r[0] >= cut), MAX_DAY_ROWS),
    ...(l.h === undefined ? {} : { h: l.h }),
    ...(l.w === undefined ? {} : { w: l.w }),
  };
}

export const cloneLedger = (l: Ledger): Ledger => ({
  ...l, s: [...l.s], d: l.d.map((r) => [...r] as DayRow), k: l.k.map((r) => [...r] as SkuRow), t: l.t.map((r) => [...r] as PathTouch),
  c: l.c.map((r) => [...r] as CreditDay),
});
