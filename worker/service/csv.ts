// The service report as CSV, in the same dialect as every report (reports/csv.ts:
// BOM, RFC 4180 quoting, CRLF, formula-looking text defused).
import { BOM, cell } from '../reports/csv';
import type { ServiceBy, ServiceRow, TopicStat } from './report';

export const CSV_COLUMNS = [
  'conversations', 'visitors', 'answered', 'unanswered', 'firstResponseMedianMs', 'firstResponseP90Ms',
  'answeredWithinTarget', 'withinTargetRate', 'ended', 'durationMedianMs', 'replies', 'appointments',
  'appointmentRate', 'topTopics',
] as const;

const topicsCell = (ts: TopicStat[]) => ts.map((t) => `${t.topic} (${t.conversations})`).join('; ');

export function serviceCsv(by: ServiceBy, rows: ServiceRow[]): string {
  const lines = [[by, ...CSV_COLUMNS].join(',')];
  for (const r of rows) {
    lines.push([r[by], ...CSV_COLUMNS.map((c) => (c === 'topTopics' ? topicsCell(r.topTopics) : r[c]))].map(cell).join(','));
  }
  return BOM + lines.join('\r\n') + '\r\n';
}
