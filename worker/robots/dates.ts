// Calendar arithmetic on the site's local days (YYYY-MM-DD) for the morning
// report: yesterday, a week earlier, the weekday's name and the local time.
import { localDay } from '../time';

const DAY_MS = 86_400_000;
const clocks = new Map<string, Intl.DateTimeFormat>();

/** `day` moved by `n` calendar days (UTC arithmetic on the date alone: no time zone, no DST). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** The site's yesterday at `now`. */
export const yesterday = (now: number, timeZone: string): string => addDays(localDay(now, timeZone), -1);

/** Minutes since midnight (0–1439) on the site's clock at `now`. */
export function localMinutes(now: number, timeZone: string): number {
  let f = clocks.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' });
    clocks.set(timeZone, f);
  }
  const [h, m] = f.format(now).split(':').map(Number);
  return h * 60 + m;
}

/** "12月1日（周二）" */
export function dayLabel(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  return `${d.getUTCMonth() + 1}月${d.getUTCDate()}日（周${'日一二三四五六'[d.getUTCDay()]}）`;
}
