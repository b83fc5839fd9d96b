// Regions × SKUs: a heat map of interest scores (the score's parts on hover),
// the ranking within a region and the stocking list for store buyers; a CSV of each table.
import { skuInterest, skuInterestCsv, stocking as stockingReport, stockingCsv } from '../client.js';
import { chart, tip } from '../charts.js';
import { empty, h, render, table } from '../dom.js';
import { duration, getLang, money, num, ratio, t } from '../i18n.js';

const view = { region: '' };
const MAX_SKUS = 20; // columns on the heat map; the table holds the rest

/** The score's parts: weight × signal / the place's largest, per signal (the stocking list sends them). */
const partsOf = (r) => Object.entries(r.parts ?? {});

/** The heat-map cell's tooltip, as DOM: the region and SKU are visitor data and stay text. */
function tooltip(r) {
  const lines = [`${t('score')}: ${ratio(r.score)}`];
  for (const [k, v] of partsOf(r)) lines.push(`\u00a0${t(k) === k ? k : t(k)}: ${ratio(v)}`);
  lines.push(`${t('views')}: ${num(r.views)} · ${t('visitors')}: ${num(r.visitors)}`, `${t('dwell')}: ${duration(r.dwellMs)} · ${t('medianDwell')}: ${duration(r.medianDwellMs)}`);
  lines.push(`${t('consults')}: ${num(r.consults)} · ${t('appointments')}: ${num(r.appointments)}`);
  return tip(`${r.region ?? '—'} · ${r.sku}`, lines);
}

export async function regionsTab(main, ctx) {
  const q = { site: ctx.site, from: ctx.from, to: ctx.to, region: view.region || undefined };
  const [interest, stocking] = await Promise.all([
    skuInterest(q),
    stockingReport({ ...q, top: 10 }).catch((err) => ({ error: err })),
  ]);
  const rows = interest.rows;
  const regions = [...new Set(rows.map((r) => r.region ?? '—'))].sort();
  const picker = h(
    'label.toolbar', null, t('region'),
    h('select', { name: 'region', onchange: (e) => { view.region = e.target.value; ctx.redraw(); } },
      h('option', { value: '' }, t('allRegions')),
      [...new Set([...regions, view.region].filter(Boolean))].map((r) => h('option', { value: r, selected: r === view.region }, r))),
  );
  if (!rows.length) return render(main, picker, empty(t('empty.regions'), t('empty.regions.next')));

  // Columns: the SKUs with the highest best score in any region.
  const best = new Map();
  for (const r of rows) best.set(r.sku, Math.max(best.get(r.sku) ?? 0, r.score ?? 0));
  const skus = [...best].sort((a, b) => b[1] - a[1]).slice(0, MAX_SKUS).map(([s]) => s);
  const byCell = new Map(rows.map((r) => [`${r.region ?? '—'}|${r.sku}`, r]));
  const cells = [];
  regions.forEach((reg, y) => skus.forEach((sku, x) => { const r = byCell.get(`${reg}|${sku}`); if (r) cells.push({ value: [x, y, r.score ?? 0], row: r }); }));
  const maxScore = Math.max(...cells.map((c) => c.value[2]), 0.0001);

  const stockRows = stocking.error ? [] : (stocking.regions ?? []).flatMap((g) => g.skus.map((s) => ({ ...s, region: g.region })));
  // The interest rows carry no parts; the stocking list does for its top SKUs: show them on hover.
  const stockParts = new Map(stockRows.map((s) => [`${s.region ?? '—'}|${s.sku}`, s.parts]));
  for (const r of rows) if (!r.parts) r.parts = stockParts.get(`${r.region ?? '—'}|${r.sku}`);
  const rankCols = [
    { label: t('region'), key: 'region' },
    { label: t('rank'), key: 'rank', num: true, fmt: (v) => num(v) },
    { label: t('sku'), key: 'sku' },
    { label: t('score'), key: 'score', num: true, fmt: ratio },
    { label: t('views'), key: 'views', num: true, fmt: (v) => num(v) },
    { label: t('visitors'), key: 'visitors', num: true, fmt: (v) => num(v) },
    { label: t('dwell'), key: 'dwellMs', num: true, fmt: duration },
    { label: t('medianDwell'), key: 'medianDwellMs', num: true, fmt: duration },
    { label: t('consults'), key: 'consults', num: true, fmt: (v) => num(v) },
    { label: t('appointments'), key: 'appointments', num: true, fmt: (v) => num(v) },
    { label: t('units'), key: 'units', num: true, fmt: (v) => num(v) },
    { label: t('revenue'), key: 'revenue', num: true, fmt: (v) => money(v, ctx.currency) },
  ];
  const span = { from: ctx.from, to: ctx.to };
  const sorted = rows.slice().sort((a, b) => String(a.region).localeCompare(String(b.region)) || (a.rank ?? 0) - (b.rank ?? 0));
  render(
    main,
    picker,
    chart(t('heatmap'), {
      tooltip: { formatter: (p) => (p.data?.row ? tooltip(p.data.row) : '') },
      grid: { left: 10, right: 10, top: 10, bottom: 70, containLabel: true },
      xAxis: { type: 'category', data: skus, axisLabel: { rotate: 40 }, splitArea: { show: true } },
      yAxis: { type: 'category', data: regions, splitArea: { show: true } },
      visualMap: { min: 0, max: maxScore, calculable: true, orient: 'horizontal', left: 'center', bottom: 0, inRange: { color: ['#eef3fb', '#3b6fd8', '#1c2f6b'] } },
      series: [{ type: 'heatmap', data: cells, label: { show: skus.length <= 10, formatter: (p) => ratio(p.value[2]) } }],
    }, { height: Math.max(260, 60 + regions.length * 28), name: 'heatmap' }),
    h('section.panel', null, h('h2', null, t('ranking')),
      table(rankCols, sorted, { csv: { ...span, report: 'sku-interest', file: () => skuInterestCsv({ ...q, lang: getLang() }) } })),
    h('section.panel', null, h('h2', null, t('stocking')),
      stockRows.length
        ? table([
          { label: t('region'), key: 'region' },
          { label: t('rank'), key: 'rank', num: true, fmt: (v) => num(v) },
          { label: t('sku'), key: 'sku' },
          { label: t('score'), key: 'score', num: true, fmt: ratio },
          { label: t('parts'), get: (r) => partsOf(r).map(([k, v]) => `${t(k) === k ? k : t(k)} ${ratio(v)}`).join(' · ') || '—' },
        ], stockRows, { csv: { ...span, report: 'stocking', file: () => stockingCsv({ ...q, top: 10, lang: getLang() }) } })
        : h('p.muted', null, stocking.error ? `${t('missing.api')} (${stocking.error.message})` : '—')),
  );
}
