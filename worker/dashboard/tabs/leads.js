// Leads: the screening list. Online service staff mark each lead qualified or
// not and add a note (PATCH /api/v1/leads/:code); what a token may change is
// the worker's decision, and its refusal is shown on the row. A CSV of the list.
import { leadCsv, leadList, screenLead } from '../client.js';
import { empty, h, render, table } from '../dom.js';
import { dateTime, getLang, money, t } from '../i18n.js';
import { channelCell } from '../labels.js';

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
        await screenLead(ctx.site, code, { status: status.value, note: note.value });
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
  const q = { site: ctx.site, from: ctx.from, to: ctx.to, status: view.status || undefined };
  const { leads } = await leadList(q);
  const names = new Map((ctx.info.stores || []).map((s) => [s.storeId, s.name]));
  const filter = h('label.toolbar', null, t('status'),
    h('select', { name: 'status-filter', onchange: (e) => { view.status = e.target.value; ctx.redraw(); } },
      h('option', { value: '' }, t('allStatus')),
      STATUSES.map((s) => h('option', { value: s, selected: s === view.status }, t(`status.${s}`)))));
  if (!leads.length) return render(main, filter, empty(t('empty.leads'), t('empty.leads.next')));
  const rows = leads.map((l) => ({ ...l, edit: editor(l, ctx) }));
  render(main, filter, h('section.panel', null, table([
    { label: t('code'), get: (r) => h('code', null, r.code) },
    { label: t('created'), key: 'createdAt', fmt: dateTime },
    { label: t('store'), get: (r) => names.get(r.store) || r.store },
    { label: t('channel'), get: (r) => (r.lastChannel ? channelCell(r.lastChannel, { site: ctx.info }) : undefined) },
    { label: t('budget'), key: 'budget', num: true, fmt: (v) => money(v, ctx.currency) },
    { label: t('style'), key: 'style' },
    { label: t('sku'), get: (r) => (r.skus.length ? r.skus.join(', ') : undefined) },
    { label: t('status'), get: (r) => r.edit.status },
    { label: t('note'), get: (r) => r.edit.note },
    { label: '', get: (r) => r.edit.save },
  ], rows, { csv: { report: 'leads', from: ctx.from, to: ctx.to, file: () => leadCsv({ ...q, lang: getLang() }) } })));
}
