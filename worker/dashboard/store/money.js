// Money for the store workspace: yuan as typed → fen as an integer, parsed from
// the string (never through a float: "0.29" × 100 is 28.999…), fen → "¥13,500",
// and a total split over a deal's items in whole fen.

// Digits with optional thousands separators (, ，or spaces) and at most two decimals; a leading ¥/￥ is allowed.
const YUAN = /^(\d{1,11})(?:\.(\d{1,2}))?$/;

/** "13,500" → 1350000; "¥0.29" → 29; anything that is not a plain amount (or is 0 and `min` is 1) → null. */
export function parseYuan(text, min = 1) {
  const s = String(text ?? '').trim().replace(/^[¥￥]\s*/, '').replace(/[,，\s]/g, '');
  const m = YUAN.exec(s);
  if (!m) return null;
  const fen = Number(m[1]) * 100 + Number((m[2] ?? '').padEnd(2, '0'));
  return fen >= min && Number.isSafeInteger(fen) ? fen : null;
}

/** 1350000 → "¥13,500"; 1350050 → "¥13,500.50". */
export function formatFen(fen) {
  if (fen === null || fen === undefined) return '—';
  const yuan = Math.trunc(fen / 100);
  const rest = Math.abs(fen % 100);
  return `¥${yuan.toLocaleString('en-US')}${rest ? `.${String(rest).padStart(2, '0')}` : ''}`;
}

/** Splits `total` fen over `weights` (quantities) in whole fen; the remainder goes to the first items. */
export function splitFen(total, weights) {
  const sum = weights.reduce((a, b) => a + b, 0);
  const parts = weights.map((w) => Math.floor((total * w) / sum));
  let left = total - parts.reduce((a, b) => a + b, 0);
  for (let i = 0; left > 0; i = (i + 1) % parts.length, left--) parts[i]++;
  return parts;
}
