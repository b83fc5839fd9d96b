// ECharts, built from echarts/core with only what the dashboard draws (funnel,
// bar, heat map, line for the trend; grid, tooltip, legend, visual map; the SVG renderer). SVG
// because it stays crisp and light on phones and its output is plain DOM that
// the end-to-end test can check. Bundled and served by the worker: no CDN.
//
// Data stays text here too. Axis labels, legends and series labels are drawn
// by zrender as SVG text nodes; the tooltip is the one place ECharts takes HTML
// (a formatter's string goes to innerHTML). So every tooltip is built as DOM
// from text nodes (tip, itemTip, axisTip), and chart() escapes any string a
// formatter still returns: a tab cannot put markup from the data on the page.
import { BarChart, FunnelChart, HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { h } from './dom.js';
import { fitChart } from './fit.js';

echarts.use([BarChart, FunnelChart, HeatmapChart, LineChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

const live = new Set();
// One resize listener for all charts: the layout changes on rotate and on window resize.
// A tooltip left where the pointer was on the wider layout is hidden first: it
// would otherwise stay out past the narrower page's edge and widen it.
addEventListener('resize', () => live.forEach((c) => { c.dispatchAction({ type: 'hideTip' }); c.resize(); }), { passive: true });

const plain = (v) => (v === undefined || v === null || v === '' ? '—' : v);

/** A tooltip's content as DOM: a title line, then one line per entry (nodes or strings, shown as text). */
export function tip(title, lines = []) {
  return h('div.tip', null, title === undefined ? null : h('div.tip-title', null, String(plain(title))), lines.map((l) => h('div.tip-line', null, l)));
}

// The series' colour dot; the colour goes through the CSSOM, not a style attribute.
function marker(color) {
  const dot = h('span.tip-marker');
  if (typeof color === 'string') dot.style.backgroundColor = color;
  return dot;
}

/** An item tooltip (one shape): its name and value. */
export const itemTip = (valueFormatter = plain) => (p) =>
  tip(undefined, [[marker(p.color), `${plain(p.name)}: `, String(valueFormatter(p.value))]]);

/** An axis tooltip (one category, every series): the category, then each series' value. */
export const axisTip = (valueFormatter = plain) => (params) => {
  const list = Array.isArray(params) ? params : [params];
  return tip(list[0]?.axisValueLabel ?? list[0]?.name, list.map((p) => [marker(p.color), `${plain(p.seriesName)}: `, String(valueFormatter(p.value))]));
};

/**
 * The tooltip option as the dashboard allows it: HTML render mode (so the
 * content is our DOM), a DOM formatter by default, and any string a formatter
 * returns escaped, so it can only ever show as text.
 */
function safeTooltip(tooltip) {
  if (!tooltip) return tooltip;
  const { valueFormatter, formatter, ...rest } = tooltip;
  const build = typeof formatter === 'function' ? formatter : (rest.trigger === 'axis' ? axisTip : itemTip)(valueFormatter);
  return {
    confine: true, // inside the chart's box: on a phone a tooltip never runs off the screen
    ...rest,
    renderMode: 'html',
    formatter: (params, ticket) => {
      const out = build(params, ticket);
      return out instanceof Node || Array.isArray(out) ? out : echarts.format.encodeHTML(String(out ?? ''));
    },
  };
}

/**
 * A chart panel with a title; `option` is an ECharts option. Returns the panel
 * element; with `inPanel`, a block with a smaller title to sit inside a panel of its own.
 */
export function chart(title, option, { height = 320, name, inPanel = false } = {}) {
  const box = h('div.chart', { 'data-chart': name || '' });
  box.style.height = `${height}px`; // the CSSOM, not a style attribute: see the CSP in _headers
  const panel = inPanel ? h('div.chart-block', null, h('h3', null, title), box) : h('section.panel', null, h('h2', null, title), box);
  // Init once the box is in the document and has a width.
  requestAnimationFrame(() => {
    if (!box.isConnected) return;
    const c = echarts.init(box, null, { renderer: 'svg' });
    // fitChart (fit.js): the page's font for ECharts' text measuring, and every bar's label shown.
    c.setOption(fitChart({ animation: false, ...option, tooltip: safeTooltip(option.tooltip) }, box));
    live.add(c);
    box.dataset.rendered = '1';
  });
  return panel;
}

/** Disposes charts that left the document (on tab change). */
export function disposeDetached() {
  for (const c of live) {
    if (!c.getDom().isConnected) {
      c.dispose();
      live.delete(c);
    }
  }
}

export const palette = ['#3b6fd8', '#2fa27c', '#f0a43a', '#d8553b', '#8a5cd1', '#4fb3c9', '#b0a13c', '#c95f9c'];
