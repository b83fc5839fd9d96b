// Query-parameter parsing shared by the report routes.
import type { Context } from 'hono';
import { badRequest } from '../errors';
import { isDay } from '../time';

export function requiredParam(c: Context, name: string): string {
  const v = c.req.query(name);
  if (!v) throw badRequest('missing_parameter', `query parameter "${name}" is required`);
  return v;
}

/** At most ten years in one report: bounds the work a single request can ask for. */
export const MAX_RANGE_DAYS = 3660;

/** `from` and `to` as local days, inclusive, `from` ≤ `to`, at most MAX_RANGE_DAYS apart. */
export function dayRange(c: Context): { from: string; to: string } {
  const from = requiredParam(c, 'from');
  const to = requiredParam(c, 'to');
  for (const [k, v] of [['from', from], ['to', to]] as const) {
    if (!isDay(v)) throw badRequest('invalid_parameter', `"${k}" must be a date as YYYY-MM-DD, got "${v}"`);
  }
  return dayRangeOf({ from, to });
}

/** A validated `from`/`to` pair (both YYYY-MM-DD already): in order and not too long. */
export function dayRangeOf(q: { from: string; to: string }): { from: string; to: string } {
  const { from, to } = q;
  if (from > to) throw badRequest('invalid_parameter', '"from" must not be after "to"');
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_RANGE_DAYS) {
    throw badRequest('range_too_long', `a report covers at most ${MAX_RANGE_DAYS} days`);
  }
  return { from, to };
}
