// Channels: the funnel per channel (visitors → consults → appointments →
// arrivals → deals) and the table with the four rates, revenue, uplift, spend,
// cost per arrival and ROI; first / last touch and channel / campaign / promoter.
import { channelReport } from '../client.js';
import { chart, palette } from '../charts.js';
import { empty, h, render, table } from '../dom.js';
import { money, num, pct, ratio, t } from '../i18n.js';

const STAGES = ['visitors', 'consults', 'appointments', 'arrivals', 'deals'];
const view = { attribution: 'last', by: 'channel', selected: null };

const keyOf = (r) => r[view.by] ?? '—';

function controls(redraw) {
  const seg = (name, values) =>
    h(
      'div.segmented',
      { role: 'group', 'aria-label': t(name === 'attribution' ? 'touch' : 'by') },
      values.map((v) =>
        h('button', { type: 'button', 'data-value': v, 'aria-pressed': String(view[name] === v), onclick: () => { view[name] = v; view.selected = null; redraw(); } },
          t(name === 'attribution' ? `touch.${v}` : `by.${v}`)),
      ),
    );
  return h('div.toolbar', null, seg('attribution', ['last', 'first']), seg('by', ['channel', 'campaign', 'promoter']));
}

export async function channelsTab(main, ctx) {
  const body = await channelReport({ site: ctx.site, from: ctx.from, to: ctx.to, attribution: view.attribution, by: view.by });
  const rows = body.rows.slice().sort((a, b) => (b.visitors ?? 0) - (a.visitors ?? 0));
  if (!rows.length) {
    const tag = `<script defer src="${location.origin}/o2o.js" data-site="${ctx.site}"></script>`;
    return render(main, controls(ctx.redraw), empty(t('empty.channels'), t('empty.channels.next'), h('pre.snippet', null, h('code', null, tag))));
  }
  const selected = rows.find((r) => keyOf(r) === view.selected) || rows[0];
  const money$ = (v) => money(v, ctx.currency);
  const columns = [
    { label: t(`by.${view.by}`), get: keyOf },
    ...STAGES.map((s) => ({ label: t(s), key: s, num: true, fmt: (v) => num(v) })),
    ...['consultRate', 'appointmentRate', 'arrivalRate', 'closeRate'].map((k) => ({ label: t(k), key: k, num: true, fmt: pct })),
    { label: t('revenue'), key: 'revenue', num: true, fmt: money$ },
    { label: t('avgDeal'), key: 'avgDeal', num: true, fmt: money$ },
    { label: t('uplift'), key: 'uplift', num: true, fmt: pct },
    { label: t('spend'), key: 'spend', num: true, fmt: money$ },
    { label: t('costPerArrival'), key: 'costPerArrival', num: true, fmt: money$ },
    { label: t('roi'), key: 'roi', num: true, fmt: ratio },
  ];
  const top = rows.slice(0, 8);
  render(
    main,
    controls(ctx.redraw),
    h(
      'div.grid-2',
      null,
      chart(`${t('funnel')} · ${keyOf(selected)}`, {
        tooltip: { trigger: 'item', valueFormatter: (v) => num(v) },
        color: palette,
        series: [{
          type: 'funnel', sort: 'none', left: '10%', width: '80%', minSize: '8%', gap: 2,
          label: { formatter: (p) => `${p.name} ${num(p.value)}` },
          data: STAGES.map((s) => ({ name: t(s), value: selected[s] ?? 0 })),
        }],
      }, { name: 'funnel' }),
      chart(t('tab.channels'), {
        tooltip: { trigger: 'axis', valueFormatter: (v) => num(v) },
        legend: { top: 0, type: 'scroll' },
        grid: { left: 40, right: 10, top: 40, bottom: 50, containLabel: true },
        color: palette,
        xAxis: { type: 'category', data: top.map(keyOf), axisLabel: { rotate: top.length > 4 ? 30 : 0 } },
        yAxis: { type: 'value', minInterval: 1 },
        series: STAGES.map((s) => ({ type: 'bar', name: t(s), data: top.map((r) => r[s] ?? 0) })),
      }, { name: 'stages' }),
    ),
    h('section.panel', null, table(columns, rows, { onRow: (r) => { view.selected = keyOf(r); ctx.redraw(); } })),
  );
}
