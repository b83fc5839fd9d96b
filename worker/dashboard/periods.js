// Date-range arithmetic for the trend: how many days a range spans, the
// same-length range just before it (the comparison), how many periods the
// worker would cut it into, and the period to draw it in when nobody chose one.
// Days are YYYY-MM-DD local days of the site; the arithmetic runs in UTC so no
// time zone shifts a day.
import { day, getLang, t } from './i18n.js';

const DAY_MS = 86_400_000;
const ms = (d) => Date.parse(`${d}T00:00:00Z`);
const iso = (n) => new Date(n).toISOString().slice(0, 10);

export const PERIODS = ['day', 'week', 'month'];
/** The worker's limit per period (worker/reports/periods.ts MAX_PERIODS): past it the series answers 400. */
const MAX_PERIODS = { day: 92, week: 106, month: 36 };

/** Days in [from, to], both counted. */
export const daysIn = (from, to) => Math.round((ms(to) - ms(from)) / DAY_MS) + 1;

/** The range of the same length ending the day before `from`: what "较上期" compares with. */
export function previousRange(from, to) {
  const n = daysIn(from, to);
  return { from: iso(ms(from) - n * DAY_MS), to: iso(ms(from) - DAY_MS) };
}

/** The day `n` days before `d`. */
export const daysBefore = (d, n) => iso(ms(d) - n * DAY_MS);

/** How many periods the worker cuts [from, to] into (ISO weeks start on Monday). */
export function periodCount(from, to, period) {
  const a = new Date(ms(from));
  const b = new Date(ms(to));
  if (period === 'day') return daysIn(from, to);
  if (period === 'month') return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth() + 1;
  const monday = (d) => d.getTime() - ((d.getUTCDay() + 6) % 7) * DAY_MS;
  return Math.round((monday(b) - monday(a)) / (7 * DAY_MS)) + 1;
}

/** Whether the worker would draw [from, to] in `period` (not past its limit). */
export const periodFits = (from, to, period) => periodCount(from, to, period) <= MAX_PERIODS[period];

/** The period a range reads best in: days up to a month, weeks up to half a year, then months. */
export function autoPeriod(from, to) {
  const n = daysIn(from, to);
  const pick = n <= 31 ? 'day' : n <= 190 ? 'week' : 'month';
  return periodFits(from, to, pick) ? pick : 'month';
}

/** A period's label on an axis: 12月1日 / 第49周 / 2026年12月 (Dec 1 / W49 / Dec 2026). */
export function periodLabel(p) {
  const week = /^\d{4}-W(\d{2})$/.exec(p || '');
  if (week) return t('weekNo').replace('{n}', String(Number(week[1])));
  const month = /^(\d{4})-(\d{2})$/.exec(p || '');
  if (month) return new Intl.DateTimeFormat(getLang(), { year: 'numeric', month: 'short', timeZone: 'UTC' }).format(Date.UTC(+month[1], +month[2] - 1, 1));
  return day(p);
}

/** A span's days for a tooltip: 12月1日 – 12月7日, or the one day. */
export const spanLabel = (s) => (s.from === s.to ? day(s.from) : `${day(s.from)} – ${day(s.to)}`);
