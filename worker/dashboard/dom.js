// Tiny DOM helpers for the dashboard: element builder, tables and the three
// states every panel has besides data (loading, empty, error). No framework:
// the dashboard is a handful of tables and charts, and it must load fast on a phone.
import { saveFile } from './download.js';
import { t } from './i18n.js';

// Data reaches the page as text only: children become text nodes, attributes
// go through setAttribute, and the few ways an attribute could carry script or
// markup are refused here rather than trusted to every caller.
const MARKUP_PROPS = new Set(['innerHTML', 'outerHTML', 'srcdoc']);
const URL_ATTRS = new Set(['href', 'src', 'action', 'formaction', 'xlink:href']);
const SAFE_URL = /^(?:#|\/(?!\/)|\?|https?:\/\/)/i; // fragment, same-site path, query, or http(s)

/** h('div.card', { onclick }, child, 'text') → an element. Children may be nodes, strings or arrays. */
export function h(tag, attrs, ...children) {
  const [name, ...classes] = tag.split('.');
  const el = document.createElement(name || 'div');
  if (classes.length) el.className = classes.join(' ');
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) {
      if (typeof v !== 'function') throw new TypeError(`h(): ${k} must be a function, never a string of script`);
      el.addEventListener(k.slice(2), v);
    } else if (MARKUP_PROPS.has(k)) throw new TypeError(`h(): ${k} is not allowed; pass children (shown as text)`);
    else if (URL_ATTRS.has(k.toLowerCase()) && !SAFE_URL.test(String(v).trim())) continue; // javascript:, data: … never become a link
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else if (k in el && typeof v !== 'string') el[k] = v;
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

/**
 * A table from column specs { key, label, fmt?, num? } and rows. With `csv`
 * ({ report, from, to, file }), a button above it downloads the same report as a CSV file.
 */
export function table(columns, rows, { onRow, caption, csv } = {}) {
  const grid = h(
    'div.table-wrap',
    null,
    h(
      'table',
      null,
      caption ? h('caption', null, caption) : null,
      h('thead', null, h('tr', null, columns.map((c) => h(c.num ? 'th.num' : 'th', { scope: 'col' }, c.label)))),
      h(
        'tbody',
        null,
        rows.map((r) =>
          h(
            'tr',
            { onclick: onRow ? () => onRow(r) : undefined, class: onRow ? 'clickable' : undefined },
            columns.map((c) => {
              const v = c.get ? c.get(r) : r[c.key];
              const cell = c.fmt ? c.fmt(v, r) : v ?? '—';
              return h(c.num ? 'td.num' : 'td', { 'data-label': c.label }, cell);
            }),
          ),
        ),
      ),
    ),
  );
  return csv ? h('div.table-block', null, h('div.table-tools', null, csvButton(csv)), grid) : grid;
}

/**
 * "下载 CSV": fetches the file (`file()` resolves to a Blob) and saves it as
 * `<report>-<from>_<to>.csv`; while it loads the button is disabled, and a
 * failure shows as text beside it.
 */
export function csvButton({ report, from, to, file }) {
  const name = `${report}-${from}_${to}.csv`;
  // Not .row-msg: that is a table row's save message, which the leads tab and its tests look for.
  const msg = h('span.csv-msg', { role: 'status' });
  const button = h('button.btn.small.csv', {
    type: 'button',
    'data-csv': report,
    onclick: async () => {
      button.disabled = true;
      msg.textContent = '';
      msg.className = 'csv-msg';
      try {
        saveFile(await file(), name);
      } catch (err) {
        msg.textContent = `${t('csv.failed')} ${err?.message || err}`;
        msg.className = 'csv-msg bad';
      } finally {
        button.disabled = false;
      }
    },
  }, t('csv'));
  return h('span.csv-tool', null, button, msg);
}

export const loading = () => h('div.state.loading', { role: 'status', 'aria-live': 'polite' }, h('span.spinner'), t('loading'));

/** An empty state: a title and what to do next (paste the script tag, record a deal …). */
export const empty = (title, next, extra) =>
  h('div.state.empty', null, h('h3', null, title), h('p', null, next), extra || null);

export const errorState = (err, retry) =>
  h(
    'div.state.error',
    { role: 'alert' },
    h('h3', null, t('error.title')),
    h('p', null, err?.message || String(err)),
    err?.code ? h('p.muted', null, h('code', null, err.code)) : null,
    retry ? h('button.btn', { type: 'button', onclick: retry }, t('retry')) : null,
  );

/** Replaces the content of `el` with `children`. */
export function render(el, ...children) {
  el.replaceChildren();
  append(el, children);
}
