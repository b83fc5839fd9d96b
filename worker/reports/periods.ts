// Time series: a report's range cut into local days, ISO weeks (Monday first)
// or calendar months. Each period is read as a range of its own, so its numbers
// are exactly what a report of that period alone answers; the first and last
// periods are clipped to the report's range. Days are the site's local days
// already (every table's `day` column), so no timezone arithmetic happens here.
import type { Period, PeriodSpan } from '../../protocol/reports';
import { badRequest } from '../errors';

export type { Period, PeriodSpan };

/** The most periods one report reads: about a quarter by day, two years by week, three by month. */
export const MAX_PERIODS: Record<Period, number> = { day: 92, week: 106, month: 36 };

// The first day of the period holding a `day` column, as SQL: the only text
// spliced in is the column name and this closed map. SQLite's 'weekday 0' moves
// to the next Sunday (or stays on one), so 6 days back is that week's Monday.
const START: Record<Period, (col: string) => string> = {
  day: (col) => col,
  week: (col) => `date(${col}, 'weekday 0', '-6 days')`,
  month: (col) => `substr(${col}, 1, 8) || '01'`,
};

/**
 * SQL of the first day, clipped to the range's `from` (bound as ?2), of the
 * period holding the `col` day; without a period, `from` itself: the whole
 * range is one period. Queries group by it and count a visitor whose previous
 * day is before it (rollups/touch-days.ts), so each period is its own range.
 */
export const periodStartSql = (col: string, period: Period | null): string => (period ? `max(${START[period](col)}, ?2)` : '?2');

const DAY_MS = 86_400_000;
const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);
const ms = (day: string) => Date.parse(`${day}T00:00:00Z`);

/** ISO 8601 week label of the week starting on Monday `monday`: the year is its Thursday's. */
function isoWeek(monday: number): string {
  const thursday = new Date(monday + 3 * DAY_MS);
  const y = thursday.getUTCFullYear();
  const week = Math.floor((thursday.getTime() - Date.UTC(y, 0, 1)) / DAY_MS / 7) + 1;
  return `${y}-W${String(week).padStart(2, '0')}`;
}

/** Start (ms) and label of the period holding `t`, and the start of the next one. */
function periodAt(t: number, period: Period): { start: number; next: number; label: string } {
  const d = new Date(t);
  if (period === 'day') return { start: t, next: t + DAY_MS, label: iso(t) };
  if (period === 'week') {
    const start = t - ((d.getUTCDay() + 6) % 7) * DAY_MS;
    return { start, next: start + 7 * DAY_MS, label: isoWeek(start) };
  }
  const start = Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1);
  return { start, next: Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1), label: iso(start).slice(0, 7) };
}

/** Every period of [from, to] in order, empty ones too (a chart's gaps); 400 range_too_long past MAX_PERIODS. */
export function periodsOf(from: string, to: string, period: Period): PeriodSpan[] {
  const out: PeriodSpan[] = [];
  for (let t = ms(from); t <= ms(to);) {
    const p = periodAt(t, period);
    if (out.length === MAX_PERIODS[period]) {
      throw badRequest('range_too_long', `a series by ${period} covers at most ${MAX_PERIODS[period]} periods; narrow the range or use a longer period`);
    }
    out.push({ period: p.label, from: iso(Math.max(p.start, ms(from))), to: iso(Math.min(p.next - DAY_MS, ms(to))) });
    t = p.next;
  }
  return out;
}
