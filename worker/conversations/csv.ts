// The service report as CSV, through the one writer every report uses
// (reports/csv.ts: BOM, RFC 4180 quoting, CRLF, the formula rule).
import { toCsv } from '../reports/csv';
import type { ServiceBy, ServiceRow, TopicStat } from './report';

export const CSV_COLUMNS = [
  'conversations', 'visitors', 'answered', 'unanswered', 'firstResponseMedianMs', 'firstResponseP90Ms',
  'answeredWithinTarget', 'withinTargetRate', 'ended', 'durationMedianMs', 'replies', 'appointments',
  'appointmentRate', 'topTopics',
] as const;

const topicsCell = (ts: TopicStat[]) => ts.map((t) => `${t.topic} (${t.conversations})`).join('; ');

export function serviceCsv(by: ServiceBy, rows: ServiceRow[]): string {
  return toCsv([by, ...CSV_COLUMNS], rows.map((r) => ({ ...r, topTopics: topicsCell(r.topTopics) })));
}
