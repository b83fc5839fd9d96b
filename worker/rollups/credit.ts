// Multi-touch credit (linear, position, time decay): how a conversion's credit
// is shared by the visitor's touches, and what one visitor's touch path and
// days contribute to credit_days. Pure: the fold (worker/ingest/fold.ts) diffs
// a visitor's contributions before and after a batch, the recomputation
// (credit-recompute.ts) sums them from scratch, and the offline rows (leads,
// arrivals, deals) keep a conversion's shares as JSON (creditJson).
//
// A touch is a counted landing that names a channel (attribution/model.ts
// countedTouch). A conversion at `at` credits the touches at or before it within
// the attribution window counted back from it; none: all credit to direct. The
// path keeps a visitor's newest MAX_PATH touches: when one more comes, the oldest
// leaves and every conversion of the visitor is shared again without it (the
// fold diffs all of the visitor's days), so the stored credit is always that of
// the path as kept, which is what credit-recompute.ts computes too.
import { DIRECT } from '../attribution/model';

/** The models beside first and last touch, and their one-letter codes in credit_days.model and the JSON. */
export const MODEL_CODES = { linear: 'l', position: 'p', time_decay: 'd' } as const;
export type MultiTouch = keyof typeof MODEL_CODES;
export type ModelCode = (typeof MODEL_CODES)[MultiTouch];
const CODES = Object.values(MODEL_CODES);

/** The touches a visitor's path keeps: the newest, so one visitor id's row stays bounded. */
export const MAX_PATH = 32;
export const DEFAULT_HALF_LIFE_DAYS = 7;
const DAY_MS = 86_400_000;

/** One touch of the path: when, and the channel it named. */
export type PathTouch = [ts: number, channel: string];
/** Per local day of a visitor: views, and when each stage's conversion happened (0: none that day). */
export type CreditDay = [day: string, views: number, first_ts: number, consult_ts: number, appointment_ts: number];
/** Channel → share of one conversion; the shares sum to 1. */
export type Shares = Record<string, number>;

/** The touches a conversion at `at` credits, oldest first. */
function touchesAt(path: PathTouch[], at: number, windowDays: number): PathTouch[] {
  const inside = path.filter(([ts]) => ts <= at && at - ts <= windowDays * DAY_MS);
  return inside.slice(-MAX_PATH);
}

/** Each model's shares of one conversion at `at`. */
export function sharesAt(path: PathTouch[], at: number, windowDays: number, halfLifeDays: number): Record<ModelCode, Shares> {
  return sharesOf(touchesAt(path, at, windowDays).map(([ts, ch]) => [ch, at - ts]), halfLifeDays);
}

/**
 * Shares from the credited touches as (channel, age in ms), oldest first.
 * linear: equal; position: 40 % first, 40 % last, 20 % over the middle (one
 * touch 100 %, two 50/50); time decay: 2^(−age/half-life), normalised.
 */
export function sharesOf(touches: [channel: string, ageMs: number][], halfLifeDays: number): Record<ModelCode, Shares> {
  const n = touches.length;
  if (!n) return { l: { [DIRECT]: 1 }, p: { [DIRECT]: 1 }, d: { [DIRECT]: 1 } };
  // Channel codes are anyone's text ('constructor' is one): maps without a prototype.
  const [l, p, d] = [0, 0, 0].map((): Shares => Object.create(null) as Shares);
  const add = (s: Shares, ch: string, x: number) => (s[ch] = (s[ch] ?? 0) + x);
  const w = touches.map(([, age]) => 2 ** (-age / (halfLifeDays * DAY_MS)));
  const sum = w.reduce((a, b) => a + b, 0);
  touches.forEach(([ch], i) => {
    add(l, ch, 1 / n);
    add(p, ch, n === 1 ? 1 : n === 2 ? 0.5 : i === 0 || i === n - 1 ? 0.4 : 0.2 / (n - 2));
    add(d, ch, w[i] / sum);
  });
  return { l, p, d };
}

/** An offline row's credit as stored (leads, arrivals, deals .credit): each model's shares and the touches' ages, for a new half-life. */
export interface CreditJson {
  l: Shares;
  p: Shares;
  d: Shares;
  t: [channel: string, ageMs: number][];
}

export function creditJson(path: PathTouch[], at: number, windowDays: number, halfLifeDays: number): string {
  const t = touchesAt(path, at, windowDays).map(([ts, ch]): [string, number] => [ch, at - ts]);
  return JSON.stringify({ ...sharesOf(t, halfLifeDays), t } satisfies CreditJson);
}

/** A stored credit with its time-decay shares for another half-life. */
export function withHalfLife(json: string, halfLifeDays: number): string {
  const c = JSON.parse(json) as CreditJson;
  return JSON.stringify({ ...c, d: sharesOf(c.t, halfLifeDays).d });
}

/** credit_days' key and sums: [model, channel, day, prev, visitors, views, consults, appointments]. */
export type CreditRow = [model: ModelCode, k: string, day: string, prev: string, visitors: number, views: number, consults: number, appointments: number];
type Sums = [number, number, number, number];

/**
 * What one visitor contributes to credit_days: per stage, the visitor counts on
 * each day with that stage, `prev` = their previous day with it ('' = none), as
 * touch_days counts (worker/rollups/touch-days.ts); the count is shared by the
 * channels as the conversion's shares say. The visit's conversion is the day's
 * first event, a consult's the day's first consult, an appointment's the first
 * appointment; a day's views take the visit's shares.
 */
export function contributions(path: PathTouch[], days: CreditDay[], windowDays: number, halfLifeDays: number, into = new Map<string, Sums>(),
  sign = 1): Map<string, Sums> {
  const sorted = [...days].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  const prev = ['', '', '']; // visit, consult, appointment
  for (const [day, views, firstTs, consultTs, apptTs] of sorted) {
    const stages: [number, number][] = [[0, firstTs], [1, consultTs], [2, apptTs]];
    for (const [stage, at] of stages) {
      if (!at) continue;
      const shares = sharesAt(path, at, windowDays, halfLifeDays);
      for (const m of CODES) {
        for (const [k, x] of Object.entries(shares[m])) {
          const key = `${m}\u0000${k}\u0000${day}\u0000${prev[stage]}`;
          const s = into.get(key) ?? into.set(key, [0, 0, 0, 0]).get(key)!;
          if (stage === 0) {
            s[0] += sign * x;
            s[1] += sign * x * views;
          } else s[stage + 1] += sign * x;
        }
      }
      prev[stage] = day;
    }
  }
  return into;
}

// Shares are floats: a difference this small is the same value computed twice.
const EPS = 1e-9;

/** The rows of a contributions map that are not zero. */
export function creditRows(sums: Map<string, Sums>): CreditRow[] {
  const out: CreditRow[] = [];
  for (const [key, s] of sums) {
    if (s.every((x) => Math.abs(x) < EPS)) continue;
    const [m, k, day, prev] = key.split('\u0000');
    out.push([m as ModelCode, k, day, prev, ...(s.map((x) => (Math.abs(x) < EPS ? 0 : x)) as Sums)]);
  }
  return out;
}

/** Inserts a day's conversions into a visitor's credit days: views added, each stage's earliest time kept. */
export function addCreditDay(days: CreditDay[], day: string, ts: number, f: { views: number; consults: number; appointments: number }): void {
  let r = days.find((d) => d[0] === day);
  if (!r) days.push((r = [day, 0, 0, 0, 0]));
  const earliest = (cur: number) => (cur ? Math.min(cur, ts) : ts);
  r[1] += f.views;
  r[2] = earliest(r[2]);
  if (f.consults) r[3] = earliest(r[3]);
  if (f.appointments) r[4] = earliest(r[4]);
}

/** Adds a touch to a path in time order, keeping the newest MAX_PATH. */
export function addTouch(path: PathTouch[], ts: number, channel: string): PathTouch[] {
  const out = [...path, [ts, channel] as PathTouch].sort((a, b) => a[0] - b[0]);
  return out.slice(-MAX_PATH);
}
