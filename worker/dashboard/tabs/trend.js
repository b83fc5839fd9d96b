// The Channels tab's trend: one stage per period for the chosen rows (the
// selected row, or the top five), the same-length range just before drawn
// dashed beside it, and every stage's total against that previous range
// (较上期 +12%). Marketing's question, "did last week's Douyin live push work?",
// is the selected channel by day with last week's line under it.
import { chart, palette, tip } from '../charts.js';
import { h } from '../dom.js';
import { getLang, money, num, t } from '../i18n.js';
import { autoPeriod, daysBefore, daysIn, PERIODS, periodFits, periodLabel, previousRange, spanLabel } from '../periods.js';

/** The stages the trend can draw: the honest funnel's (booked arrivals; walk-ins beside them). */
export const TREND_STAGES = ['visitors', 'consults', 'appointments', 'bookedArrivals', 'walkIns', 'deals'];
const COMPARED = [...TREND_STAGES, 'revenue'];
const TOP = 5;

/** What the reader chose; kept across redraws of the tab. `period` null: chosen from the range's length. */
export const trendView = { period: null, scope: 'selected', stage: 'visitors' };

/** The period drawn for [from, to]: the reader's, if the worker can cut the range so; else the automatic one. */
export const periodFor = (from, to) => (trendView.period && periodFits(from, to, trendView.period) ? trendView.period : autoPeriod(from, to));

/** The queries the trend reads besides the tab's own report: this range by period, and the previous range whole and by period. */
export function trendQueries(q) {
  const period = periodFor(q.from, q.to);
  const prev = { ...q, ...previousRange(q.from, q.to) };
  return { period, series: { ...q, period }, prevTotals: prev, prevSeries: { ...prev, period } };
}

const signed = (v) => new Intl.NumberFormat(getLang(), { style: 'percent', maximumFractionDigits: 1, signDisplay: 'exceptZero' }).format(v);
const sum = (rows, stage) => rows.reduce((s, r) => s + (r?.[stage] ?? 0), 0);

/** One stage's total now and in the previous range, with the change. */
function compareItem(stage, now, before, currency) {
  const fmt = stage === 'revenue' ? (v) => money(v, currency) : (v) => num(v);
  const delta = before > 0 ? (now - before) / before : null;
  const trend = delta === null ? '' : delta > 0 ? '.up' : delta < 0 ? '.down' : '';
  return h('div.compare-item', { 'data-stage': stage, 'data-now': now, 'data-before': before },
    h('div.compare-label', null, t(stage)),
    h('div.compare-now', null, fmt(now)),
    h(`div.compare-delta${trend}`, null, `${t('vsPrevious')} ${delta === null ? (now > 0 ? t('compare.new') : '—') : signed(delta)}`),
    h('div.compare-before', null, `${t('previous')} ${fmt(before)}`));
}

/**
 * The trend panel. `data`: { period, series, prevSeries, prevTotals } as read
 * (each the report, or { error }); `rows`: this range's rows; `selected`: the
 * selected row's key; `keyOf`/`labelOf` name a row; `redraw` draws the tab again
 * from what it has read.
 */
export function trendPanel({ ctx, data, rows, selected, keyOf, labelOf, redraw }) {
  const { from, to } = ctx;
  const set = (k, v) => () => { trendView[k] = v; redraw(); };
  const seg = (name, values, label, attr) => h('div.segmented', { role: 'group', 'aria-label': t(name) },
    values.map((v) => h('button', {
      type: 'button', [attr]: v, 'aria-pressed': String((name === 'period' ? data.period : trendView[name]) === v),
      disabled: name === 'period' && !periodFits(from, to, v), onclick: set(name, v),
    }, label(v))));
  const stagePicker = h('select', { name: 'trend-stage', 'aria-label': t('metric'), onchange: (e) => set('stage', e.target.value)() },
    TREND_STAGES.map((s) => h('option', { value: s, selected: s === trendView.stage }, t(s))));
  const tools = h('div.toolbar.trend-tools', null,
    seg('period', PERIODS, (p) => t(`period.${p}`), 'data-period'),
    seg('scope', ['selected', 'top'], (s) => (s === 'top' ? t('scope.top').replace('{n}', String(TOP)) : labelOf(selected)), 'data-scope'),
    h('label', null, t('metric'), stagePicker));

  const keys = trendView.scope === 'top' ? rows.slice(0, TOP).map(keyOf) : [keyOf(selected)];
  const prev = previousRange(from, to);
  const head = h('p.muted.trend-ranges', null, `${t('thisRange')} ${spanLabel({ from, to })} · ${t('previous')} ${spanLabel(prev)}`);
  const pick = (list) => list.filter((r) => keys.includes(keyOf(r)));

  // Each stage's total for the chosen rows, against the previous range's (the reports of both ranges whole, not summed periods).
  const compare = data.prevTotals.error
    ? h('p.csv-msg.bad', null, data.prevTotals.error.message)
    : h('div.compare', { 'data-keys': keys.join(',') },
      COMPARED.map((s) => compareItem(s, sum(pick(rows), s), sum(pick(data.prevTotals.rows), s), ctx.currency)));

  let plot;
  if (data.series.error) plot = h('p.csv-msg.bad', null, data.series.error.message);
  else {
    const spans = data.series.periods ?? [];
    // A period's previous one is the previous range's period holding its first day moved back by the range's
    // length (not the one at the same index: a range of weeks or months can be cut into one period more or less).
    const prevPeriods = data.prevSeries.error ? [] : data.prevSeries.periods ?? [];
    const back = daysIn(from, to);
    const before = spans.map((s) => prevPeriods.find((b) => b.from <= daysBefore(s.from, back) && daysBefore(s.from, back) <= b.to));
    const at = (report, span, key) => report.rows.find((r) => r.period === span.period && keyOf(r) === key);
    const stage = trendView.stage;
    const series = keys.flatMap((key, i) => {
      const color = palette[i % palette.length];
      const name = labelOf(rows.find((r) => keyOf(r) === key));
      const line = { type: 'line', name, color, symbolSize: 6, data: spans.map((s) => at(data.series, s, key)?.[stage] ?? 0) };
      if (data.prevSeries.error) return [line];
      return [line, {
        type: 'line', name: `${t('previous')} · ${name}`, color, symbol: 'none', lineStyle: { type: 'dashed', opacity: 0.6 },
        data: spans.map((_, j) => (before[j] ? at(data.prevSeries, before[j], key)?.[stage] ?? 0 : null)),
      }];
    });
    const tooltip = (params) => {
      const list = Array.isArray(params) ? params : [params];
      const j = list[0]?.dataIndex ?? 0;
      const title = `${spans[j] ? spanLabel(spans[j]) : ''}${before[j] ? ` · ${t('previous')} ${spanLabel(before[j])}` : ''}`;
      return tip(title, list.map((p) => `${p.seriesName}: ${p.value === null || p.value === undefined ? '—' : num(p.value)}`));
    };
    plot = chart(`${t('trend')} · ${t(stage)}`, {
      tooltip: { trigger: 'axis', formatter: tooltip },
      legend: { top: 0, type: 'scroll', itemGap: 18 },
      grid: { left: 10, right: 16, top: 40, bottom: 10, containLabel: true },
      xAxis: { type: 'category', boundaryGap: false, data: spans.map((s) => periodLabel(s.period)) },
      yAxis: { type: 'value', minInterval: 1 },
      series,
    }, { name: 'trend', height: 300, inPanel: true });
  }
  return h('section.panel.trend', { 'data-period': data.period }, h('h2', null, t('trend')), tools, head, compare, plot);
}
