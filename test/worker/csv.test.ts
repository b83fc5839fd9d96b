// The one CSV dialect every report writes (reports/csv.ts): each formula
// starter is defused wherever a spreadsheet would still read it as one, and
// nothing else is touched. Both writers (toCsv, the service report) share it.
import { describe, expect, it } from 'vitest';
import { cell, looksLikeFormula, parseCsv, toCsv } from '../../worker/reports/csv';
import { header, reportCsv } from '../../worker/reports/csv-headers';
import { serviceCsv } from '../../worker/conversations/csv';
import type { ServiceRow } from '../../worker/conversations/report';

describe('the formula rule: a string cell that a spreadsheet would run gets a leading apostrophe', () => {
  it.each([
    ['=1+1', "'=1+1"],
    ['+1+1', "'+1+1"],
    ['-1+1', "'-1+1"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1+1', "'\t=1+1"],
    ['\tplain', "'\tplain"], // a leading tab alone is OWASP's starter
    ['\r=1+1', `"'\r=1+1"`],
    ['\n=1+1', `"'\n=1+1"`],
    [' =1+1', "' =1+1"],
    ['   +1', "'   +1"],
    ['\u3000=1+1', "'\u3000=1+1"], // full-width space
    [' \t \u3000@x', "' \t \u3000@x"],
    ['＝1+1', "'＝1+1"],
    ['＋1', "'＋1"],
    ['－1', "'－1"],
    ['＠x', "'＠x"],
    ['\u3000＝1+1', "'\u3000＝1+1"],
    ['﹦1+1', "'﹦1+1"], // small form variant, NFKC =
    ['|cmd', "'|cmd"],
    [' |cmd', "' |cmd"],
    [';x', `"';x"`],
    [' ;=1+1', `"' ;=1+1"`],
    ['=HYPERLINK("http://x","y")', `"'=HYPERLINK(""http://x"",""y"")"`],
    [`${' '.repeat(200)}=1+1`, `'${' '.repeat(200)}=1+1`], // no whitespace run is long enough to hide it
  ])('%j → %s', (v, want) => {
    expect(cell(v)).toBe(want);
    expect(looksLikeFormula(v)).toBe(true);
  });

  it.each([
    ['plain', 'plain'],
    ['618大促', '618大促'],
    ['a=b', 'a=b'], // a starter later in the text is not a formula
    ["cmd|' /C calc'!A0", "cmd|' /C calc'!A0"], // DDE runs only after a starter
    ['douyin-ads', 'douyin-ads'],
    ['a,b', '"a,b"'],
    ['a;b', '"a;b"'], // quoted so a semicolon-locale sheet does not split it
    ['say "hi"', '"say ""hi"""'],
    ['', ''],
    ['   ', '   '],
  ])('leaves %j as text: %s', (v, want) => {
    expect(cell(v)).toBe(want);
    expect(looksLikeFormula(v)).toBe(false);
  });

  it.each([
    [-5, '-5'],
    [-123456, '-123456'], // money in fen, written by us as a number
    [-0.25, '-0.25'],
    [0, '0'],
    [true, 'true'],
    [null, ''],
    [undefined, ''],
  ])('never touches the number or scalar %j', (v, want) => {
    expect(cell(v)).toBe(want);
  });

  it('a negative number given as text from data is defused: it is data, not our number', () => {
    expect(cell('-5')).toBe("'-5");
  });

  it('round-trips through the parser with the apostrophe kept', () => {
    const text = toCsv(['channel', 'revenue'], [{ channel: ' =1+1', revenue: -500 }, { channel: '\n=cmd', revenue: 3 }, { channel: '；x', revenue: 0 }]);
    expect(parseCsv(text)).toEqual([['channel', 'revenue'], ["' =1+1", '-500'], ["'\n=cmd", '3'], ["'；x", '0']]); // full-width ； folds to ; too
  });
});

describe('every CSV writer uses the rule', () => {
  it('the service report defuses an agent and a topic, and keeps its numbers', () => {
    const row = {
      agent: '＝HYPERLINK("x")', conversations: 2, visitors: 1, answered: 1, unanswered: 1, firstResponseMedianMs: 1000,
      firstResponseP90Ms: 1000, answeredWithinTarget: 1, withinTargetRate: 0.5, ended: 0, durationMedianMs: null, replies: -1,
      appointments: 0, appointmentRate: 0, topTopics: [{ topic: '=cmd', conversations: 1, appointments: 0, appointmentRate: 0 }],
    } as unknown as ServiceRow;
    const [, line] = serviceCsv('agent', [row]).replace(/^\uFEFF/, '').split('\r\n');
    const cells = parseCsv(line)[0];
    expect(cells[0]).toBe('\'＝HYPERLINK("x")');
    expect(cells[11]).toBe('-1'); // replies: a number, not a formula
    expect(cells.at(-1)).toBe("'=cmd (1)");
  });

  it('the service report names its columns in Chinese with lang=zh-CN, and keeps the JSON keys by default', () => {
    const row = {
      agent: '小王', conversations: 2, visitors: 1, answered: 1, unanswered: 1, firstResponseMedianMs: 1000,
      firstResponseP90Ms: 1000, answeredWithinTarget: 1, withinTargetRate: 0.5, ended: 0, durationMedianMs: null, replies: 3,
      appointments: 1, appointmentRate: 0.5, topTopics: [],
    } as unknown as ServiceRow;
    const [zh, zhLine] = serviceCsv('agent', [row], 'zh-CN').replace(/^\uFEFF/, '').split('\r\n');
    expect(parseCsv(zh)[0].slice(0, 4)).toEqual(['客服', '会话数', '访客数', '已回复会话数']);
    expect(parseCsv(zh)[0]).not.toContainEqual(expect.stringMatching(/^[a-z]/i));
    expect(parseCsv(zhLine)[0].slice(0, 2)).toEqual(['小王', '2']);
    const [en] = serviceCsv('day', [row]).replace(/^\uFEFF/, '').split('\r\n');
    expect(parseCsv(en)[0].slice(0, 3)).toEqual(['day', 'conversations', 'visitors']);
  });
});

describe('report CSV headers and money', () => {
  it('names money columns with their unit and writes them in yuan; other numbers untouched', () => {
    expect(header('revenue', 'en')).toBe('revenue_yuan');
    expect(header('revenue', 'zh-CN')).toBe('成交额（元）');
    expect(header('visitors', 'zh-CN')).toBe('访客数');
    expect(header('unknownColumn', 'zh-CN')).toBe('unknownColumn');
    const text = reportCsv(['channel', 'revenue', 'avgDeal', 'roi'], [{ channel: '=x', revenue: 123_456, avgDeal: null, roi: -0.5 }], 'zh-CN');
    expect(text.startsWith('\uFEFF')).toBe(true);
    expect(parseCsv(text)).toEqual([['渠道', '成交额（元）', '客单价（元）', '投资回报率'], ["'=x", '1234.56', '', '-0.5']]);
  });
});
