// How the morning report writes its numbers and typed text, in Chinese conventions: counts
// with thousands separators, money in whole yuan from minor units (fen), rates
// as percentages with one decimal, and a change as ↑/↓ percentage points.
const counts = new Intl.NumberFormat('zh-CN');
const moneyFormats = new Map<string, { f: Intl.NumberFormat; minorDigits: number }>();

export const count = (n: number | null): string => (n === null ? '—' : counts.format(n));

/** Minor units of `currency` as whole major units: 1350000 fen → "¥13,500". */
export function money(minor: number, currency = 'CNY'): string {
  let m = moneyFormats.get(currency);
  if (!m) {
    const minorDigits = new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
    m = { f: new Intl.NumberFormat('zh-CN', { style: 'currency', currency, minimumFractionDigits: 0, maximumFractionDigits: 0 }), minorDigits };
    moneyFormats.set(currency, m);
  }
  return m.f.format(minor / 10 ** m.minorDigits);
}

/** A ratio as a percentage with one decimal: 0.0972 → "9.7%"; null (nothing to divide by) → "—". */
export const pct = (r: number | null): string => (r === null ? '—' : `${(Math.round(r * 1000) / 10).toFixed(1)}%`);

/**
 * The change from a week earlier in percentage points: "↑1.2pp", "↓3.1pp",
 * "持平" (under 0.05 pp); '' when either side has no rate.
 */
export function change(now: number | null, before: number | null | undefined): string {
  if (now === null || before === null || before === undefined) return '';
  const pp = Math.round(now * 1000) / 10 - Math.round(before * 1000) / 10;
  if (Math.abs(pp) < 0.05) return '持平';
  return `${pp > 0 ? '↑' : '↓'}${Math.abs(pp).toFixed(1)}pp`;
}

/** UTF-8 bytes: the robots' limits are in bytes, and a Chinese character is 3. */
export const bytes = (s: string): number => new TextEncoder().encode(s).byteLength;

// Markdown's characters as their full-width look-alikes (what Chinese text uses anyway).
const MARKUP: Record<string, string> = { '\\': '＼', '`': '｀', '*': '＊', _: '＿', '[': '［', ']': '］', '<': '＜', '>': '＞', '&': '＆', '~': '～', '|': '｜' };

/**
 * Text someone typed (a channel's display name) as text in the robots' markdown:
 * no emphasis, link, code, quote, table or HTML can start in it. Names hold no
 * line breaks (protocol/admin.ts), so no heading or list can either.
 */
export const plain = (s: string): string => s.replace(/[\\`*_[\]<>&~|]/g, (ch) => MARKUP[ch]);
