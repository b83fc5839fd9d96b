// The service report's arithmetic: conversations grouped by agent, channel or
// day, with response times (nearest-rank median and p90), duration, the share
// answered within the site's target, conversion to appointment and topics.
// Unanswered conversations count in `conversations` and `unanswered` and as
// misses of the target; they never enter the response-time percentiles as 0 s.
import type { ConversationFact } from './report-sql';
import { SERVICE_GROUPS, type ServiceBy, type ServiceMetrics, type ServiceRow, type ServiceSummary, type TopicStat } from '../../protocol/chat';
import { ascending, nearestRank } from './percentile';

export { SERVICE_GROUPS };
export type { ServiceBy, ServiceMetrics, ServiceRow, ServiceSummary, TopicStat };

/** Group labels for conversations that lack the dimension. */
export const UNASSIGNED = '(unassigned)';
export const UNKNOWN_CHANNEL = '(unknown)';

/** Upper bounds (seconds) of the first-response histogram; the last bucket is open. */
export const BUCKETS_S = [10, 30, 60, 120, 300, 600] as const;

export const rate = (n: number, d: number): number | null => (d === 0 ? null : Math.round((n / d) * 10_000) / 10_000);

const responseMs = (f: ConversationFact) => (f.firstReplyAt === null ? null : Math.max(0, f.firstReplyAt - f.startedAt));

function topicStats(facts: ConversationFact[], topics: Map<string, string[]>, limit: number): TopicStat[] {
  const by = new Map<string, { conversations: number; appointments: number }>();
  for (const f of facts) {
    for (const t of topics.get(f.id) ?? []) {
      const s = by.get(t) ?? { conversations: 0, appointments: 0 };
      s.conversations++;
      if (f.converted) s.appointments++;
      by.set(t, s);
    }
  }
  return [...by]
    .map(([topic, s]) => ({ topic, ...s, appointmentRate: rate(s.appointments, s.conversations) }))
    .sort((a, b) => b.conversations - a.conversations || (a.topic < b.topic ? -1 : 1))
    .slice(0, limit);
}

export function metrics(facts: ConversationFact[], topics: Map<string, string[]>, targetS: number, topN: number): ServiceMetrics {
  const responses = ascending(facts.map(responseMs).filter((x): x is number => x !== null));
  const durations = ascending(facts.filter((f) => f.endedAt !== null).map((f) => Math.max(0, f.endedAt! - f.startedAt)));
  const within = responses.filter((ms) => ms <= targetS * 1000).length;
  const appointments = facts.filter((f) => f.converted).length;
  return {
    conversations: facts.length,
    visitors: new Set(facts.map((f) => f.visitorId).filter((v) => v !== null)).size,
    answered: responses.length,
    unanswered: facts.length - responses.length,
    firstResponseMedianMs: nearestRank(responses, 50),
    firstResponseP90Ms: nearestRank(responses, 90),
    answeredWithinTarget: within,
    withinTargetRate: rate(within, facts.length),
    ended: durations.length,
    durationMedianMs: nearestRank(durations, 50),
    replies: facts.reduce((s, f) => s + f.replies, 0),
    appointments,
    appointmentRate: rate(appointments, facts.length),
    topTopics: topicStats(facts, topics, topN),
  };
}

const keyOf = (by: ServiceBy, f: ConversationFact): string =>
  by === 'agent' ? (f.agent ?? UNASSIGNED) : by === 'channel' ? (f.channel ?? UNKNOWN_CHANNEL) : f.day;

/** Every local day from `from` to `to`, inclusive. */
export function daysBetween(from: string, to: string): string[] {
  const out: string[] = [];
  for (let t = Date.parse(`${from}T00:00:00Z`), end = Date.parse(`${to}T00:00:00Z`); t <= end; t += 86_400_000) {
    out.push(new Date(t).toISOString().slice(0, 10));
  }
  return out;
}

export interface SummaryOptions {
  by: ServiceBy;
  from: string;
  to: string;
  targetS: number;
  top: number; // topics per row
}

export function summarise(facts: ConversationFact[], topics: Map<string, string[]>, o: SummaryOptions): ServiceSummary {
  const groups = new Map<string, ConversationFact[]>();
  // By day, every day of the range gets a row, so a chart shows quiet days as quiet.
  if (o.by === 'day') for (const d of daysBetween(o.from, o.to)) groups.set(d, []);
  for (const f of facts) {
    const k = keyOf(o.by, f);
    const g = groups.get(k);
    if (g) g.push(f);
    else groups.set(k, [f]);
  }
  const rows = [...groups].map(([k, g]): ServiceRow => ({ [o.by]: k, ...metrics(g, topics, o.targetS, o.top) }));
  if (o.by === 'day') rows.sort((a, b) => (a.day! < b.day! ? -1 : 1));
  else rows.sort((a, b) => b.conversations - a.conversations || (a[o.by]! < b[o.by]! ? -1 : 1));

  const buckets = BUCKETS_S.map((upToS) => ({ upToS: upToS as number | null, conversations: 0 }));
  buckets.push({ upToS: null, conversations: 0 });
  for (const f of facts) {
    const ms = responseMs(f);
    if (ms === null) continue;
    const i = BUCKETS_S.findIndex((s) => ms <= s * 1000);
    buckets[i === -1 ? BUCKETS_S.length : i].conversations++;
  }
  return {
    totals: metrics(facts, topics, o.targetS, o.top),
    rows,
    topics: topicStats(facts, topics, 100),
    firstResponseBuckets: buckets,
  };
}
