// The day range every report and list shares, past its schema (both days are
// valid YYYY-MM-DD by then): in order, and bounded.
import { badRequest } from '../errors';

/** At most ten years in one report: bounds the work a single request can ask for. */
export const MAX_RANGE_DAYS = 3660;

/** A validated `from`/`to` pair: in order and not too long. */
export function dayRangeOf(q: { from: string; to: string }): { from: string; to: string } {
  const { from, to } = q;
  if (from > to) throw badRequest('invalid_parameter', '"from" must not be after "to"');
  if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_RANGE_DAYS) {
    throw badRequest('range_too_long', `a report covers at most ${MAX_RANGE_DAYS} days`);
  }
  return { from, to };
}
