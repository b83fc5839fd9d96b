// The SKU-interest score: a weighted sum of signals, each normalised by its
// largest value in the same region (so every part is in [0, 1] and a region's
// top SKU on a signal gets that signal's full weight). With the default weights,
// which sum to 1, the score is in [0, 1].
import { SIGNALS, type Signal, type Weights } from '../../protocol/reports';
import { badRequest } from '../errors';

export { SIGNALS, type Signal, type Weights };

/** Defaults: intent outweighs attention; an appointment naming the SKU is the strongest sign. */
export const DEFAULT_WEIGHTS: Weights = { views: 0.1, visitors: 0.2, dwellMs: 0.2, consults: 0.2, appointments: 0.3 };

export type Signals = Record<Signal, number>;

/** `parts[s]` = weight × signal / region max; score = Σ parts. */
export interface Scored {
  place: string;
  sku: string;
  score: number;
  parts: Signals;
  rank: number;
}

const ZERO = (): Signals => ({ views: 0, visitors: 0, dwellMs: 0, consults: 0, appointments: 0 });

/** Each signal's largest value per place. */
function maxima<T extends { place: string } & Signals>(rows: Iterable<T>): Map<string, Signals> {
  const max = new Map<string, Signals>();
  for (const r of rows) {
    const m = max.get(r.place) ?? max.set(r.place, ZERO()).get(r.place)!;
    for (const s of SIGNALS) if (r[s] > m[s]) m[s] = r[s];
  }
  return max;
}

/** Normalised signals per row: each divided by its max within the row's place (0 when the max is 0). */
export function normalise<T extends { place: string } & Signals>(rows: T[]): Signals[] {
  const max = maxima(rows);
  return rows.map((r) => {
    const m = max.get(r.place)!;
    const out = {} as Signals;
    for (const s of SIGNALS) out[s] = m[s] > 0 ? r[s] / m[s] : 0;
    return out;
  });
}

const bySku = (a: { sku: string }, b: { sku: string }) => (a.sku < b.sku ? -1 : a.sku > b.sku ? 1 : 0);

/**
 * Scores and ranks rows within their place: places in order, then score desc,
 * then SKU for a stable order. Rows are grouped by place first and each place
 * sorted on its own (a few hundred rows), not the whole list at once.
 */
export function scoreRows<T extends { place: string; sku: string } & Signals>(rows: T[], w: Weights): (T & Scored)[] {
  const groups = new Map<string, T[]>();
  for (const r of rows) {
    const g = groups.get(r.place);
    if (g) g.push(r);
    else groups.set(r.place, [r]);
  }
  const max = maxima(rows);
  const out: (T & Scored)[] = [];
  for (const place of [...groups.keys()].sort()) {
    const m = max.get(place)!;
    const scored = groups.get(place)!.map((r) => {
      const parts = {} as Signals;
      let score = 0;
      for (const s of SIGNALS) {
        const n = m[s] > 0 ? r[s] / m[s] : 0;
        parts[s] = round6(w[s] * n);
        score += w[s] * n;
      }
      return { ...r, score: round6(score), parts, rank: 0 };
    });
    scored.sort((a, b) => b.score - a.score || bySku(a, b));
    scored.forEach((r, i) => {
      r.rank = i + 1;
      out.push(r);
    });
  }
  return out;
}

const round6 = (x: number) => Math.round(x * 1e6) / 1e6;

/**
 * Parses `weights=views:0.1,visitors:0.3,…` (or the same as a JSON object).
 * Signals left out weigh 0; at least one weight must be positive.
 */
export function parseWeights(text: string): Weights {
  let obj: Record<string, unknown>;
  if (text.trim().startsWith('{')) {
    try {
      obj = JSON.parse(text) as Record<string, unknown>;
    } catch {
      throw badRequest('invalid_parameter', '"weights" is not valid JSON');
    }
  } else {
    obj = {};
    for (const part of text.split(',')) {
      const [k, v, extra] = part.split(':');
      if (extra !== undefined || v === undefined) throw badRequest('invalid_parameter', `"weights" must be signal:number pairs, got "${part}"`);
      obj[k.trim()] = Number(v);
    }
  }
  return checkWeights(obj);
}

export function checkWeights(obj: Record<string, unknown>): Weights {
  const w: Weights = { views: 0, visitors: 0, dwellMs: 0, consults: 0, appointments: 0 };
  for (const [k, v] of Object.entries(obj)) {
    if (!(SIGNALS as readonly string[]).includes(k)) throw badRequest('invalid_parameter', `unknown weight "${k}": use ${SIGNALS.join(', ')}`);
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badRequest('invalid_parameter', `weight "${k}" must be a non-negative number`);
    w[k as Signal] = v;
  }
  if (SIGNALS.every((s) => w[s] === 0)) throw badRequest('invalid_parameter', 'at least one weight must be positive');
  return w;
}
