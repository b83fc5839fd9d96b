// The service report's pure arithmetic: nearest-rank percentiles, CSV cells and
// the bucketing of unanswered conversations, with hand-computed answers.
import { describe, expect, it } from 'vitest';
import type { ConversationFact } from '../../worker/conversations/report-sql';
import { cell } from '../../worker/reports/csv';
import { serviceCsv } from '../../worker/conversations/csv';
import { normaliseTopic } from '../../worker/conversations/event';
import { nearestRank } from '../../worker/conversations/percentile';
import { daysBetween, summarise } from '../../worker/conversations/report';

describe('nearestRank', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
  it.each([
    [[], 50, null],
    [[7], 50, 7],
    [[7], 90, 7],
    [[1, 2], 50, 1], // rank ⌈1⌉ = 1: the lower middle value, never an average
    [[1, 2, 3], 50, 2],
    [ten, 50, 5], // rank 5
    [ten, 90, 9], // rank 9
    [ten, 91, 10], // rank ⌈9.1⌉ = 10
    [ten, 100, 10],
    [[...ten, 11], 90, 10], // rank ⌈9.9⌉ = 10
    [Array.from({ length: 30 }, (_, i) => i + 1), 90, 27], // 0.9 × 30 is 27.000000000000004 in floats: still rank 27
  ])('of %j at p%d is %j', (xs, p, want) => {
    expect(nearestRank(xs as number[], p as number)).toBe(want);
  });
});

describe('CSV cells', () => {
  it.each([
    ['plain', 'plain'],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['two\nlines', '"two\nlines"'],
    ['=HYPERLINK("x")', '"\'=HYPERLINK(""x"")"'],
    ['@agent', "'@agent"],
    ['定制尺寸', '定制尺寸'],
    [null, ''],
    [-5, '-5'], // numbers are numbers, not formulas
  ])('%j → %s', (v, want) => {
    expect(cell(v)).toBe(want);
  });
});

describe('topics', () => {
  it('normalises case, blanks and full-width forms', () => {
    expect(normaliseTopic('  Custom\u3000 Size ')).toBe('custom size');
    expect(normaliseTopic('ＰＲＩＣＥ')).toBe('price');
  });
});

describe('summarise', () => {
  const fact = (id: string, response: number | null, over: Partial<ConversationFact> = {}): ConversationFact => ({
    id, visitorId: null, agent: 'a', channel: null, day: '2025-01-01', startedAt: 1_000_000,
    firstReplyAt: response === null ? null : 1_000_000 + response * 1000, endedAt: null, replies: 0, converted: false, ...over,
  });

  it('leaves unanswered conversations out of the percentiles and in the misses', () => {
    const s = summarise([fact('x', null), fact('y', null), fact('z', 100)], new Map(), { by: 'agent', from: '2025-01-01', to: '2025-01-01', targetS: 30, top: 5 });
    // Were unanswered counted as 0 s, the median would be 0 and two of three "within target".
    expect(s.totals).toMatchObject({ answered: 1, unanswered: 2, firstResponseMedianMs: 100_000, answeredWithinTarget: 0, withinTargetRate: 0 });
    expect(s.firstResponseBuckets.reduce((n, b) => n + b.conversations, 0)).toBe(1);
    expect(s.firstResponseBuckets.at(-1)).toEqual({ upToS: null, conversations: 0 });
  });

  it('clamps a reply logged before the start (two clocks) to 0 s', () => {
    const s = summarise([fact('x', -3)], new Map(), { by: 'agent', from: '2025-01-01', to: '2025-01-01', targetS: 30, top: 5 });
    expect(s.totals.firstResponseMedianMs).toBe(0);
  });

  it('labels missing agents and channels, and lists days across a month end', () => {
    const s = summarise([fact('x', 1, { agent: null })], new Map(), { by: 'agent', from: '2025-01-01', to: '2025-01-01', targetS: 30, top: 5 });
    expect(s.rows[0].agent).toBe('(unassigned)');
    expect(serviceCsv('agent', s.rows).split('\r\n')[1]).toMatch(/^\(unassigned\),1,/);
    expect(daysBetween('2024-02-28', '2024-03-01')).toEqual(['2024-02-28', '2024-02-29', '2024-03-01']);
  });
});
