// Import (导入): a day's deals or arrivals from the brand's CRM or POS export.
// Choose a file → a dry run → the preview (each row: would create, already
// imported, or its error as text, with totals) → Confirm → the real import and
// its result. The file goes up as its bytes (client.js importFile), so a GBK
// export stays GBK. The import API takes store (and admin) tokens only: a
// report token sees why, not a form that would answer 403.
import { importFile } from '../client.js';
import { errorState, h, loading, render, table } from '../dom.js';
import { num, t } from '../i18n.js';

const CAN_IMPORT = new Set(['store', 'admin']);
const view = { kind: 'deals' };

/** The summary of an answer: encoding, then the count of each outcome that occurred. */
function totals(res) {
  const order = res.dryRun ? ['would_create', 'duplicate', 'error'] : ['created', 'duplicate', 'error'];
  return h('p.import-totals', null,
    h('span.tag', null, `${t('import.encoding')}: ${res.encoding.toUpperCase()}`),
    order.map((s) => h(`span.tag.${s}`, { 'data-count': s }, `${t(`import.status.${s}`)} ${num(res.counts[s] ?? 0)}`)));
}

function rowsTable(res) {
  return table([
    { label: t('import.row'), key: 'row', num: true },
    ...(view.kind === 'deals' ? [{ label: t('import.key'), key: 'key' }] : []),
    { label: t('import.outcome'), get: (r) => h(`span.tag.${r.status}`, { 'data-status': r.status }, t(`import.status.${r.status}`)) },
    { label: t('import.detail'), get: (r) => (r.error ? h('span.import-error', null, r.error.message) : r.id ? h('code', { 'data-id': r.id }, r.id) : undefined) },
  ], res.rows);
}

/** The answer as the preview (with Confirm when something would be created) or as the result. */
function outcome(res, confirm) {
  const fresh = res.dryRun ? res.counts.would_create : res.counts.created;
  const next = fresh === 0
    ? h('p.import-nothing', { role: 'status' }, t('import.nothing'))
    : res.dryRun
      ? h('button.btn', { type: 'button', name: 'confirm', onclick: (e) => { e.currentTarget.disabled = true; confirm(); } }, `${t('import.confirm')} (${num(fresh)})`)
      : h('p.import-done', { role: 'status' }, t('import.done'));
  return h('div.import-outcome', null, h('h3', null, t(res.dryRun ? 'import.preview' : 'import.result')), totals(res), next, rowsTable(res));
}

export async function importTab(main, ctx) {
  const title = h('h2', null, t('import.title'));
  if (!CAN_IMPORT.has(ctx.kind)) return render(main, h('section.panel.import', null, title, h('p.import-need', { role: 'note' }, t('import.needStore'))));
  const out = h('div.import-out', { 'aria-live': 'polite' });
  const hint = h('p.muted');
  const input = h('input', { type: 'file', name: 'import-file', accept: '.csv,.json,text/csv,application/json' });
  // Each run takes its kind and file when it starts, and only the latest run may draw: a preview that
  // comes back after the kind or the file changed is dropped, and its Confirm imports what it previewed.
  let latest = 0;
  const run = async (dryRun, kind = view.kind, file = input.files?.[0]) => {
    const mine = ++latest;
    if (!file) return render(out);
    out.dataset.state = 'loading';
    render(out, loading());
    try {
      const res = await importFile(kind, { site: ctx.site, file, dryRun });
      if (mine !== latest) return;
      render(out, outcome(res, () => run(false, kind, file)));
      out.dataset.state = dryRun ? 'preview' : 'done';
    } catch (err) {
      if (mine !== latest) return;
      render(out, errorState(err, () => run(dryRun, kind, file)));
      out.dataset.state = 'error';
    }
  };
  const kinds = h('div.segmented', { role: 'group', 'aria-label': t('import.kind') },
    ['deals', 'arrivals'].map((k) => h('button', {
      type: 'button', 'data-value': k, 'aria-pressed': String(view.kind === k),
      onclick: (e) => {
        view.kind = k;
        for (const b of kinds.children) b.setAttribute('aria-pressed', String(b === e.currentTarget));
        hint.textContent = t(`import.headers.${k}`);
        run(true);
      },
    }, t(`import.${k}`))));
  input.addEventListener('change', () => run(true));
  hint.textContent = t(`import.headers.${view.kind}`);
  render(main, h('section.panel.import', null,
    title,
    h('p', null, t('import.intro')),
    h('div.toolbar', null, kinds, h('label.file', null, h('span', null, t('import.file')), input)),
    hint,
    out));
}
