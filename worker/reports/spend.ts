// Spend uploads: rows of { channel, date, amount } where date is a day
// (YYYY-MM-DD) or a month (YYYY-MM) and amount is integer minor units. A month
// is spread evenly over its days: ⌊amount / days⌋ each, and the remainder one
// unit per day from the 1st, so the days always sum to the month's figure.
import type { SpendDay } from '../db/spend';
import { badRequest } from '../errors';
import { isDay } from '../time';
import { parseCsv } from './csv';

export const MAX_SPEND_ROWS = 2000;
const MONTH = /^(\d{4})-(\d{2})$/;
const CHANNEL = /^[a-z0-9][a-z0-9_.-]{0,63}$/;

export interface SpendInput {
  channel: unknown;
  date: unknown;
  amount: unknown;
}

export function spreadMonth(month: string, amount: number): { day: string; amount: number }[] {
  const [, y, m] = MONTH.exec(month)!;
  const days = new Date(Date.UTC(Number(y), Number(m), 0)).getUTCDate();
  const base = Math.floor(amount / days);
  const rest = amount - base * days;
  return Array.from({ length: days }, (_, i) => ({ day: `${month}-${String(i + 1).padStart(2, '0')}`, amount: base + (i < rest ? 1 : 0) }));
}

/** Checks every row (400 naming the first bad one) and expands months into days. */
export function spendDays(rows: SpendInput[]): SpendDay[] {
  if (rows.length === 0) throw badRequest('invalid_body', 'no spend rows given');
  if (rows.length > MAX_SPEND_ROWS) throw badRequest('too_many_rows', `at most ${MAX_SPEND_ROWS} spend rows per upload`);
  const out = new Map<string, SpendDay>();
  rows.forEach((r, i) => {
    const where = `spend row ${i + 1}`;
    // Channel codes are matched case-insensitively, like the landing classifier does.
    const channel = typeof r.channel === 'string' ? r.channel.trim().toLowerCase() : '';
    if (!CHANNEL.test(channel)) throw badRequest('invalid_field', `${where}: "channel" must be a channel code (letters, digits, _ . -)`);
    const amount = typeof r.amount === 'string' && r.amount.trim() !== '' ? Number(r.amount) : r.amount;
    if (typeof amount !== 'number' || !Number.isSafeInteger(amount) || amount < 0) {
      throw badRequest('invalid_field', `${where}: "amount" must be a non-negative integer in minor units (fen)`);
    }
    const date = typeof r.date === 'string' ? r.date.trim() : '';
    if (isDay(date)) out.set(`${channel}|${date}`, { channel, day: date, amount });
    else if (MONTH.test(date) && Number(date.slice(5)) >= 1 && Number(date.slice(5)) <= 12) {
      for (const d of spreadMonth(date, amount)) out.set(`${channel}|${d.day}`, { channel, ...d });
    } else throw badRequest('invalid_field', `${where}: "date" must be YYYY-MM-DD or YYYY-MM`);
  });
  return [...out.values()];
}

/** CSV upload: a header row naming channel, date and amount (any order), then one row each. */
export function spendCsvRows(text: string): SpendInput[] {
  const [header, ...rows] = parseCsv(text);
  const cols = (header ?? []).map((h) => h.trim().toLowerCase());
  const at = (name: string) => {
    const i = cols.indexOf(name);
    if (i < 0) throw badRequest('invalid_csv', `the CSV header must name columns channel, date and amount`);
    return i;
  };
  const [c, d, a] = [at('channel'), at('date'), at('amount')];
  return rows.map((r) => ({ channel: r[c], date: r[d], amount: r[a] }));
}
