// The service report as CSV, through the one writer every report uses
// (reports/csv.ts: BOM, RFC 4180 quoting, CRLF, the formula rule), with the
// reports' headers: the JSON keys, or Chinese names with `lang=zh-CN`.
import { reportCsv, type Lang } from '../reports/csv-headers';
import type { ServiceBy, ServiceRow, TopicStat } from './report';

export const CSV_COLUMNS = [
  'conversations', 'visitors', 'answered', 'unanswered', 'firstResponseMedianMs', 'firstResponseP90Ms',
  'answeredWithinTarget', 'withinTargetRate', 'ended', 'durationMedianMs', 'replies', 'appointments',
  'appointmentRate', 'topTopics',
] as const;

const topicsCell = (ts: TopicStat[]) => ts.map((t) => `${t.topic} (${t.conversations})`).join('; ');

export function serviceCsv(by: ServiceBy, rows: ServiceRow[], lang: Lang = 'en'): string {
  return reportCsv([by, ...CSV_COLUMNS], rows.map((r) => ({ ...r, topTopics: topicsCell(r.topTopics) })), lang);
}
