// The Channels tab's model comparison: one table, a row per channel and a
// column per attribution model, for the stage the reader picks. Marketing asks
// "which channel starts journeys, which one closes them?": first touch against
// last touch answers the two ends, linear, position and time decay the road
// between. Every column is the channel report under that model, read whole.
import { h, table } from '../dom.js';
import { money, num, pct, t } from '../i18n.js';

/** Every model the channels report takes, single-touch first. */
export const MODELS = ['first', 'last', 'linear', 'position', 'time_decay'];
export const MULTI = new Set(['linear', 'position', 'time_decay']);
const METRICS = ['consults', 'appointments', 'bookedArrivals', 'arrivals', 'deals', 'revenue'];

/** What the reader chose; kept across redraws. Closed until asked for: open, the tab reads five reports more on each draw. */
export const compareView = { metric: 'deals', open: false };

/** The queries the comparison reads: the tab's own query (by channel), once per model. */
export const compareQueries = (q) => MODELS.map((attribution) => ({ ...q, attribution }));

/** Fractional credit reads as a count with up to two decimals; whole-touch models stay integers. */
export const countFmt = (attribution) => (v) => num(v, MULTI.has(attribution) ? 2 : 0);

/**
 * The comparison panel. `reports`: the channel report per model, in MODELS
 * order (each the answer, or { error }); `labelOf(key, row)` names a channel; `site`: the session's site (its window and half-life).
 */
export function comparePanel({ reports, labelOf, currency, site, redraw }) {
  if (!compareView.open) {
    return h('section.panel.models', { 'data-state': 'closed' }, h('div.toolbar', null, h('h2', null, t('compare.title')),
      h('button.btn', { type: 'button', name: 'compare-open', onclick: () => { compareView.open = true; redraw(); } }, t('compare.open'))));
  }
  const failed = reports.find((r) => r?.error);
  const metric = compareView.metric;
  const picker = h('select', { name: 'compare-metric', 'aria-label': t('metric'), onchange: (e) => { compareView.metric = e.target.value; redraw(); } },
    METRICS.map((m) => h('option', { value: m, selected: m === metric }, t(m === 'arrivals' ? 'allArrivals' : m))));
  const head = h('div.toolbar', null, h('h2', null, t('compare.title')), picker);
  if (failed) return h('section.panel.models', { 'data-state': 'error' }, head, h('p.error', null, `${t('error.title')}: ${failed.error.message ?? failed.error}`));

  const byModel = reports.map((r) => new Map((r.rows ?? []).map((row) => [row.channel, row])));
  const keys = [...new Set(reports.flatMap((r) => (r.rows ?? []).map((row) => row.channel)))];
  const value = (i, key) => byModel[i].get(key)?.[metric] ?? 0;
  const totals = MODELS.map((_, i) => keys.reduce((s, k) => s + value(i, k), 0));
  // Sorted by the last-touch figure, the one the rest of the tab shows first.
  const lastAt = MODELS.indexOf('last');
  keys.sort((a, b) => value(lastAt, b) - value(lastAt, a) || a.localeCompare(b));
  const fmtOf = (m) => (metric === 'revenue' ? (v) => money(v, currency) : countFmt(m));
  const columns = [
    { label: t('channel'), get: (k) => labelOf(k, byModel.find((m) => m.has(k))?.get(k)) },
    ...MODELS.map((m, i) => ({
      label: t(`touch.${m}`), num: true, get: (k) => value(i, k),
      // The value and its share of the model's total: the share is what moves between models.
      fmt: (v) => h('span', { 'data-model': m, 'data-value': v }, fmtOf(m)(v), totals[i] > 0 ? h('small.share', null, ` ${pct(v / totals[i])}`) : null),
    })),
  ];
  const notes = h('ul.models-notes', null, ['linear', 'position', 'time_decay'].map((m) =>
    h('li', { 'data-model': m }, h('b', null, t(`touch.${m}`)), t(`touch.${m}.about`).replace('{w}', String(site?.attributionDays ?? 30)).replace('{h}', String(site?.halfLifeDays ?? 7)))));
  return h('section.panel.models', { 'data-state': 'ready', 'data-metric': metric }, head, table(columns, keys), notes);
}
