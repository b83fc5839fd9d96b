// Stores: arrivals (booked and walk-in apart), deals, close rate, revenue and
// uplift per store, from the channel report grouped by store (by=store); a CSV of the table.
import { channelCsv, channelReport } from '../client.js';
import { chart, palette } from '../charts.js';
import { empty, h, render, table } from '../dom.js';
import { getLang, money, num, pct, t } from '../i18n.js';

export async function storesTab(main, ctx) {
  const q = { site: ctx.site, from: ctx.from, to: ctx.to, by: 'store' };
  const body = await channelReport(q);
  const names = new Map((ctx.info.stores || []).map((s) => [s.storeId, s.name]));
  const idOf = (r) => r.store ?? '—';
  const nameOf = (r) => names.get(idOf(r)) || idOf(r);
  const rows = body.rows.filter((r) => (r.arrivals ?? 0) + (r.deals ?? 0) > 0 || idOf(r) !== '—');
  if (!rows.some((r) => (r.arrivals ?? 0) + (r.deals ?? 0) > 0)) return render(main, empty(t('empty.stores'), t('empty.stores.next')));
  rows.sort((a, b) => (b.revenue ?? 0) - (a.revenue ?? 0) || (b.arrivals ?? 0) - (a.arrivals ?? 0));
  render(
    main,
    chart(t('storeChart'), {
      tooltip: { trigger: 'axis' },
      legend: { top: 0 },
      color: palette.slice(1),
      grid: { left: 10, right: 10, top: 40, bottom: 10, containLabel: true },
      xAxis: { type: 'category', data: rows.map(nameOf) },
      yAxis: { type: 'value', minInterval: 1 },
      series: ['arrivals', 'deals'].map((k) => ({ type: 'bar', name: t(k), data: rows.map((r) => r[k] ?? 0) })),
    }, { name: 'stores' }),
    h('section.panel', null, table([
      { label: t('store'), get: nameOf },
      { label: t('bookedArrivals'), key: 'bookedArrivals', num: true, fmt: (v) => num(v) },
      { label: t('walkIns'), key: 'walkIns', num: true, fmt: (v) => num(v) },
      { label: t('allArrivals'), key: 'arrivals', num: true, fmt: (v) => num(v) },
      { label: t('deals'), key: 'deals', num: true, fmt: (v) => num(v) },
      { label: t('closeRate'), key: 'closeRate', num: true, fmt: pct },
      { label: t('revenue'), key: 'revenue', num: true, fmt: (v) => money(v, ctx.currency) },
      { label: t('avgDeal'), key: 'avgDeal', num: true, fmt: (v) => money(v, ctx.currency) },
      { label: t('uplift'), key: 'uplift', num: true, fmt: pct },
    ], rows, { csv: { report: 'stores', from: ctx.from, to: ctx.to, file: () => channelCsv({ ...q, lang: getLang() }) } })),
  );
}
