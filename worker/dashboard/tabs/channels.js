// Channels: the funnel per channel (visitors → consults → appointments →
// booked arrivals, with walk-ins and deals beside it), the stages per channel,
// the trend against the previous range (trend.js), and the table with booked
// arrivals and walk-ins apart, the four rates (each explained in one line),
// revenue, uplift, spend, cost per arrival and ROI; first / last touch and
// channel / campaign / promoter; a CSV of the table. By channel, three
// multi-touch models too, and every model side by side (models.js).
import { channelCsv, channelReport, scenesReport } from '../client.js';
import { chart, palette } from '../charts.js';
import { empty, h, render, table } from '../dom.js';
import { getLang, money, pct, ratio, t } from '../i18n.js';
import { channelCell, channelLabel } from '../labels.js';
import { compareQueries, comparePanel, compareView, countFmt, MODELS, MULTI } from './models.js';
import { scenesPanel } from './scenes.js';
import { trendPanel, trendQueries } from './trend.js';

const STAGES = ['visitors', 'consults', 'appointments', 'arrivals', 'deals'];
// The funnel narrows stage by stage: its arrival stage is the booked arrivals (a
// walk-in never booked, so it is not a step after an appointment); walk-ins and
// deals (which walk-ins make too) stand beside it.
const FUNNEL = ['visitors', 'consults', 'appointments', 'bookedArrivals'];
const RATES = ['consultRate', 'appointmentRate', 'arrivalRate', 'closeRate'];
const view = { attribution: 'last', by: 'channel', selected: null };

// A row click or a trend control draws the tab again from the reports it has
// read; anything else (a tab switch, new dates, a retry) reads them afresh.
const memo = new Map();
let reuse = false;
const read = (q) => {
  const key = JSON.stringify(q);
  if (!memo.has(key)) memo.set(key, channelReport(q).catch((error) => ({ error })));
  return memo.get(key);
};

// Counts under a multi-touch model are fractional credit: shown with two decimals.
const count = (v) => countFmt(view.attribution)(v);

// The mini program's scenes, read beside the reports (a site group is not a mini program: its first site's).
const readScenes = (q) => {
  const key = JSON.stringify(['scenes', q]);
  if (!memo.has(key)) memo.set(key, scenesReport({ ...q, site: q.site.split(',')[0] }).catch((error) => ({ error })));
  return memo.get(key);
};

const keyOf = (r) => r?.[view.by] ?? '—';

function controls(redraw) {
  // The multi-touch models credit channels only (the report refuses them by campaign or promoter).
  const pick = (name, v) => () => {
    view[name] = v;
    if (view.by !== 'channel' && MULTI.has(view.attribution)) view.attribution = 'last';
    view.selected = null;
    redraw();
  };
  const seg = (name, values) =>
    h(
      'div.segmented',
      { role: 'group', 'aria-label': t(name === 'attribution' ? 'touch' : 'by') },
      values.map((v) =>
        h('button', { type: 'button', 'data-value': v, 'aria-pressed': String(view[name] === v), onclick: pick(name, v) },
          t(name === 'attribution' ? `touch.${v}` : `by.${v}`)),
      ),
    );
  const models = view.by === 'channel' ? ['last', 'first', ...MODELS.filter((m) => MULTI.has(m))] : ['last', 'first'];
  return h('div.toolbar', null, seg('attribution', models), seg('by', ['channel', 'campaign', 'promoter']));
}

/** The rate glossary the report sends, one line per rate in the page's language. */
function glossary(rates) {
  if (!rates) return null;
  const lang = getLang();
  return h('section.panel.glossary', null, h('h2', null, t('rates.title')),
    h('ul', null, RATES.filter((k) => rates[k]).map((k) => h('li', { 'data-rate': k }, rates[k][lang] ?? rates[k].en))));
}

/** The funnel panel: four narrowing stages, and what the store saw beside them. */
function funnel(selected, label) {
  const panel = chart(`${t('funnel')} · ${label}`, {
    tooltip: { trigger: 'item', valueFormatter: (v) => count(v) },
    color: palette,
    series: [{
      type: 'funnel', sort: 'none', left: '8%', width: '84%', top: 10, bottom: 10, minSize: '8%', gap: 2,
      label: { formatter: (p) => `${p.name} ${count(p.value)}` },
      data: FUNNEL.map((s) => ({ name: t(s), value: selected[s] ?? 0 })),
    }],
  }, { name: 'funnel', height: 260 });
  const item = (key, value) => h('div', { 'data-stage': key }, h('dt', null, t(key)), h('dd', null, value));
  panel.append(h('dl.funnel-side', null,
    item('bookedArrivals', count(selected.bookedArrivals)),
    item('walkIns', count(selected.walkIns)),
    item('allArrivals', count(selected.arrivals)),
    item('deals', count(selected.deals)),
    item('closeRate', pct(selected.closeRate))));
  return panel;
}

export async function channelsTab(main, ctx) {
  if (!reuse) memo.clear();
  reuse = false;
  const again = () => { reuse = true; ctx.redraw(); };
  const q = { site: ctx.site, from: ctx.from, to: ctx.to, attribution: view.attribution, by: view.by };
  const tq = trendQueries(q);
  const cq = view.by === 'channel' && compareView.open ? compareQueries(q) : [];
  // Everything read before any element is made: a chart made before an await would
  // look for its box on the next frame, find it not yet in the page and never draw.
  const [scenes, body, series, prevTotals, prevSeries, ...compared] = await Promise.all([
    readScenes({ site: ctx.site, from: ctx.from, to: ctx.to }), read(q), read(tq.series), read(tq.prevTotals), read(tq.prevSeries), ...cq.map(read),
  ]);
  if (body.error) {
    memo.clear();
    throw body.error;
  }
  const rows = body.rows.slice().sort((a, b) => (b.visitors ?? 0) - (a.visitors ?? 0));
  if (!rows.length) {
    const tag = `<script defer src="${location.origin}/o2o.js" data-site="${ctx.site}"></script>`;
    return render(main, controls(ctx.redraw), empty(t('empty.channels'), t('empty.channels.next'), h('pre.snippet', null, h('code', null, tag))));
  }
  const named = view.by === 'channel';
  const labelOf = (r) => (named ? channelLabel(keyOf(r), { row: r, site: ctx.info }) : keyOf(r));
  const selected = rows.find((r) => keyOf(r) === view.selected) || rows[0];
  const money$ = (v) => money(v, ctx.currency);
  const columns = [
    { label: t(`by.${view.by}`), get: (r) => (named ? channelCell(keyOf(r), { row: r, site: ctx.info }) : keyOf(r)) },
    ...['visitors', 'consults', 'appointments', 'bookedArrivals', 'walkIns', 'arrivals', 'deals'].map((s) =>
      ({ label: t(s === 'arrivals' ? 'allArrivals' : s), key: s, num: true, fmt: countFmt(view.attribution) })),
    ...RATES.map((k) => ({ label: t(k), key: k, num: true, fmt: pct })),
    { label: t('revenue'), key: 'revenue', num: true, fmt: money$ },
    { label: t('avgDeal'), key: 'avgDeal', num: true, fmt: money$ },
    { label: t('uplift'), key: 'uplift', num: true, fmt: pct },
    { label: t('spend'), key: 'spend', num: true, fmt: money$ },
    { label: t('costPerArrival'), key: 'costPerArrival', num: true, fmt: money$ },
    { label: t('roi'), key: 'roi', num: true, fmt: ratio },
  ];
  const top = rows.slice(0, 8);
  const csv = { report: view.by === 'channel' ? 'channels' : `channels-by-${view.by}`, from: ctx.from, to: ctx.to, file: () => channelCsv({ ...q, lang: getLang() }) };
  render(
    main,
    controls(ctx.redraw),
    h(
      'div.grid-2',
      null,
      funnel(selected, labelOf(selected)),
      chart(t('tab.channels'), {
        tooltip: { trigger: 'axis', valueFormatter: (v) => count(v) },
        legend: { top: 0, type: 'scroll' },
        grid: { left: 40, right: 10, top: 40, bottom: 50, containLabel: true },
        color: palette,
        xAxis: { type: 'category', data: top.map(labelOf), axisLabel: { rotate: top.length > 4 ? 30 : 0 } },
        yAxis: { type: 'value', minInterval: 1 },
        // Booked arrivals and walk-ins stacked: one arrivals bar, split by whether the customer booked.
        series: STAGES.flatMap((s) => (s === 'arrivals'
          ? ['bookedArrivals', 'walkIns'].map((k) => ({ type: 'bar', name: t(k), stack: 'arrivals', data: top.map((r) => r[k] ?? 0) }))
          : [{ type: 'bar', name: t(s), data: top.map((r) => r[s] ?? 0) }])),
      }, { name: 'stages' }),
    ),
    trendPanel({ ctx, data: { period: tq.period, series, prevTotals, prevSeries }, rows, selected, keyOf, labelOf, redraw: again }),
    h('section.panel.channel-table', null, table(columns, rows, { onRow: (r) => { view.selected = keyOf(r); again(); }, csv })),
    named ? comparePanel({
      reports: compared, currency: ctx.currency, site: ctx.info, redraw: again,
      labelOf: (k, r) => channelCell(k, { row: r, site: ctx.info }),
    }) : null,
    scenesPanel(scenes, ctx),
    glossary(body.rates),
  );
}
