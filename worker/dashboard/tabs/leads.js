// Leads: the screening list. Online service staff mark each lead qualified or
// not and add a note (PATCH /api/v1/leads/:code); what a token may change is
// the worker's decision, and its refusal is shown on the row.
import { api, pick, rowsOf } from '../api.js';
import { empty, h, render, table } from '../dom.js';
import { dateTime, money, t } from '../i18n.js';

const STATUSES = ['new', 'qualified', 'unqualified'];
const view = { status: '' };

function editor(lead, ctx) {
  const code = lead.code;
  const status = h('select', { name: 'status', 'aria-label': `${t('status')} ${code}` },
    STATUSES.map((s) => h('option', { value: s, selected: s === (lead.status || 'new') }, t(`status.${s}`))));
  const note = h('input', { name: 'note', value: lead.note ?? '', maxlength: 500, 'aria-label': `${t('note')} ${code}` });
  const msg = h('span.row-msg', { role: 'status' });
  const save = h('button.btn.small', {
    type: 'button',
    onclick: async () => {
      save.disabled = true;
      msg.textContent = '…';
      try {
        await api(`/leads/${encodeURIComponent(code)}`, { method: 'PATCH', query: { site: ctx.site }, json: { status: status.value, note: note.value } });
        msg.textContent = t('saved');
        msg.className = 'row-msg ok';
      } catch (err) {
        msg.textContent = err.message;
        msg.className = 'row-msg bad';
      } finally {
        save.disabled = false;
      }
    },
  }, t('save'));
  return { status, note, save: h('span.row-actions', null, save, msg) };
}

export async function leadsTab(main, ctx) {
  const body = await api('/leads', { query: { site: ctx.site, from: ctx.from, to: ctx.to, status: view.status || undefined } });
  const leads = rowsOf(body, 'leads');
  const names = new Map((ctx.info.stores || []).map((s) => [s.storeId, s.name]));
  const filter = h('label.toolbar', null, t('status'),
    h('select', { name: 'status-filter', onchange: (e) => { view.status = e.target.value; ctx.redraw(); } },
      h('option', { value: '' }, t('allStatus')),
      STATUSES.map((s) => h('option', { value: s, selected: s === view.status }, t(`status.${s}`)))));
  if (!leads.length) return render(main, filter, empty(t('empty.leads'), t('empty.leads.next')));
  const rows = leads.map((l) => ({ ...l, edit: editor(l, ctx) }));
  render(main, filter, h('section.panel', null, table([
    { label: t('code'), get: (r) => h('code', null, r.code) },
    { label: t('created'), get: (r) => pick(r, 'createdAt', 'created_at'), fmt: dateTime },
    { label: t('store'), get: (r) => { const id = pick(r, 'store', 'storeId', 'store_id'); return names.get(id) || id; } },
    { label: t('channel'), get: (r) => pick(r, 'lastChannel', 'last_channel', 'channel') },
    { label: t('budget'), get: (r) => pick(r, 'budget'), num: true, fmt: (v) => money(v, ctx.currency) },
    { label: t('style'), get: (r) => pick(r, 'style') },
    { label: t('sku'), get: (r) => { const list = skuList(pick(r, 'skus')); return list.length ? list.join(', ') : undefined; } },
    { label: t('status'), get: (r) => r.edit.status },
    { label: t('note'), get: (r) => r.edit.note },
    { label: '', get: (r) => r.edit.save },
  ], rows)));
}

/** A lead's SKUs, as the API sends them (an array, or a JSON string from older answers); never throws. */
function skuList(s) {
  if (Array.isArray(s)) return s;
  if (typeof s !== 'string' || !s) return [];
  try {
    const v = JSON.parse(s);
    return Array.isArray(v) ? v : [s];
  } catch {
    return [s];
  }
}
