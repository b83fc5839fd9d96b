// The service report as CSV: UTF-8 with a BOM so Excel opens Chinese text right,
// RFC 4180 quoting, CRLF line ends. Free text (agent names, topics) that starts
// like a formula is prefixed with an apostrophe so a spreadsheet shows it rather
// than runs it.
import type { ServiceBy, ServiceRow, TopicStat } from './report';

const BOM = '\uFEFF';

export const CSV_COLUMNS = [
  'conversations', 'visitors', 'answered', 'unanswered', 'firstResponseMedianMs', 'firstResponseP90Ms',
  'answeredWithinTarget', 'withinTargetRate', 'ended', 'durationMedianMs', 'replies', 'appointments',
  'appointmentRate', 'topTopics',
] as const;

export function cell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const topicsCell = (ts: TopicStat[]) => ts.map((t) => `${t.topic} (${t.conversations})`).join('; ');

export function serviceCsv(by: ServiceBy, rows: ServiceRow[]): string {
  const lines = [[by, ...CSV_COLUMNS].join(',')];
  for (const r of rows) {
    lines.push([r[by], ...CSV_COLUMNS.map((c) => (c === 'topTopics' ? topicsCell(r.topTopics) : r[c]))].map(cell).join(','));
  }
  return BOM + lines.join('\r\n') + '\r\n';
}
