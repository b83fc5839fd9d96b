// Fits a chart's text to the box it is drawn in (charts.js calls fitChart once
// the box has its width). Four things went wrong on a phone and in English:
// - ECharts measures text on a canvas with the option's font. "inherit" means
//   nothing to a canvas, so it measured a default font while the SVG drew the
//   page's (wider, CJK-capable) one: legend items overlapped and were cut. The
//   page's real font stack is passed instead.
// - A funnel's labels ran off a phone's chart: the funnel narrows for them.
// - A legend wider than its chart scrolled, its last item cut at the pager: it wraps instead.
// - A category axis drops labels that would overlap (a phone's bar chart named
//   one store of three). Every label is shown instead: rotated and cut with "…"
//   to a width where they would not fit side by side; the axis tooltip still
//   names the whole category.
const FONT_PX = 12; // ECharts' default label size
let ruler;

function textWidth(s, font) {
  ruler ??= document.createElement('canvas').getContext('2d');
  ruler.font = `${FONT_PX}px ${font}`;
  return ruler.measureText(String(s)).width;
}

/** The category x-axis's label options for `n` labels of widest `widest` px in a plot `plot` px wide. */
function labelsFor(axisLabel = {}, n, widest, plot) {
  if (axisLabel.interval !== undefined || !n) return axisLabel;
  const per = plot / n;
  if (widest + 8 <= per && !axisLabel.rotate) return { ...axisLabel, interval: 0 };
  // Rotated labels need about a line's height each along the axis: 40° from 20 px a label, upright from 14 px.
  const rotate = per >= 20 ? (axisLabel.rotate || 40) : per >= 14 ? 90 : null;
  if (rotate === null) return axisLabel; // too many to show each: ECharts picks every k-th, the tooltip names all
  return { ...axisLabel, interval: 0, rotate, width: Math.min(widest + 2, plot < 500 ? 96 : 140), overflow: 'truncate', ellipsis: '…' };
}

/**
 * A funnel's labels sit to its right: on a narrow box the funnel gives up the
 * width its longest label needs (else the label runs off the chart and is cut).
 */
function fitFunnel(series, width, font) {
  if (series?.type !== 'funnel' || (series.label?.position ?? 'outside') !== 'outside') return series;
  const f = series.label?.formatter;
  const texts = (series.data ?? []).map((d) => (typeof f === 'function' ? f({ name: d.name, value: d.value, data: d }) : d.name));
  const room = width * 0.95 - Math.max(0, ...texts.map((x) => textWidth(x, font))) - 40; // 40: the label's line and gaps
  const left = width * 0.05;
  return room - left < width * 0.8 ? { ...series, left, width: Math.max(room - left, width * 0.3) } : series;
}

/**
 * A legend at the top that needs more than one line wraps (ECharts lays it out
 * so), and the plot moves down by the lines it added; a scrolling legend would
 * cut its last visible item at the pager.
 */
function wrapLegend(option, width, font) {
  const { legend, grid, series } = option;
  if (!legend || Array.isArray(legend) || (legend.top ?? 0) !== 0 || typeof grid?.top !== 'number') return {};
  const names = legend.data ?? [series].flat().map((s) => s?.name).filter(Boolean);
  let lines = 1;
  let x = 10; // the legend's padding
  for (const n of names) {
    const w = 25 + 5 + textWidth(n, font) + 10; // icon, its gap, the name, the gap to the next
    if (x + w > width - 10 && x > 10) { lines++; x = 10; }
    x += w;
  }
  return { legend: { ...legend, type: 'plain' }, grid: { ...grid, top: grid.top + (lines - 1) * 22 } };
}

/** The option with the page's font, a scrolling legend, and every category label shown. */
export function fitChart(option, box) {
  const font = getComputedStyle(box).fontFamily;
  const plot = Math.max(box.clientWidth - 80, 100);
  const fitAxis = (x) =>
    x && x.type === 'category' && Array.isArray(x.data)
      ? { ...x, axisLabel: labelsFor(x.axisLabel, x.data.length, Math.max(0, ...x.data.map((d) => textWidth(d?.value ?? d, font))), plot) }
      : x;
  const bars = [option.series].flat().some((s) => s?.type === 'bar'); // a line's days need not each be named
  return {
    ...option,
    textStyle: { ...option.textStyle, fontFamily: font },
    ...wrapLegend(option, box.clientWidth, font),
    ...(option.series ? { series: [option.series].flat().map((x) => fitFunnel(x, box.clientWidth, font)) } : {}),
    ...(bars && option.xAxis ? { xAxis: Array.isArray(option.xAxis) ? option.xAxis.map(fitAxis) : fitAxis(option.xAxis) } : {}),
  };
}
