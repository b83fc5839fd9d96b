// ECharts, built from echarts/core with only what the dashboard draws (funnel,
// bar, heat map; grid, tooltip, legend, visual map; the SVG renderer). SVG
// because it stays crisp and light on phones and its output is plain DOM that
// the end-to-end test can check. Bundled and served by the worker: no CDN.
import { BarChart, FunnelChart, HeatmapChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { h } from './dom.js';

echarts.use([BarChart, FunnelChart, HeatmapChart, GridComponent, LegendComponent, TooltipComponent, VisualMapComponent, SVGRenderer]);

const live = new Set();
// One resize listener for all charts: the layout changes on rotate and on window resize.
addEventListener('resize', () => live.forEach((c) => c.resize()), { passive: true });

/** A chart panel with a title; `option` is an ECharts option. Returns the panel element. */
export function chart(title, option, { height = 320, name } = {}) {
  const box = h('div.chart', { style: `height:${height}px`, 'data-chart': name || '' });
  const panel = h('section.panel', null, h('h2', null, title), box);
  // Init once the box is in the document and has a width.
  requestAnimationFrame(() => {
    if (!box.isConnected) return;
    const c = echarts.init(box, null, { renderer: 'svg' });
    c.setOption({ animation: false, textStyle: { fontFamily: 'inherit' }, ...option });
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
