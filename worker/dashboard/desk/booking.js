// The 预约 form beside a conversation: books a store visit for the visitor
// (POST /api/v1/leads with the conversation), shows the code; the worker posts
// it into the chat. Budget typed in yuan, sent in fen as the API takes it.
import { h } from '../dom.js';
import { book } from './api.js';
import { dt } from './words.js';

/** The form for conversation `c` of `visitor`, with the session's `stores` of the site; `sku` prefills the SKUs. */
export function bookingForm({ site, c, visitor, stores, sku }) {
  const field = (label, input) => h('label', null, label, input);
  const store = h('select', { name: 'store', required: true }, stores.map((s) => h('option', { value: s.storeId }, s.name)));
  const budget = h('input', { name: 'budget', type: 'number', min: 0, step: 'any', inputmode: 'decimal' });
  const style = h('input', { name: 'style', maxlength: 256 });
  const skus = h('input', { name: 'skus', value: sku || '', maxlength: 300 });
  const time = h('input', { name: 'time', maxlength: 64, placeholder: dt('timePlaceholder') });
  const note = h('textarea', { name: 'note', rows: 2, maxlength: 2000 });
  const msg = h('p.row-msg', { role: 'status' });
  const submit = h('button.btn', { type: 'submit' }, dt('submit'));
  return h(
    'form.desk-book',
    {
      onsubmit: async (e) => {
        e.preventDefault();
        submit.disabled = true;
        msg.className = 'row-msg';
        msg.textContent = '…';
        const yuan = budget.value === '' ? null : Number(budget.value);
        const list = skus.value.split(/[,，\s]+/).filter(Boolean);
        try {
          const r = await book({
            site, visitor, conversation: c, store: store.value,
            ...(yuan !== null && Number.isFinite(yuan) ? { budget: Math.round(yuan * 100) } : {}),
            ...(style.value.trim() ? { style: style.value.trim() } : {}),
            ...(list.length ? { skus: list } : {}),
            ...(time.value.trim() ? { time: time.value.trim() } : {}),
            ...(note.value.trim() ? { note: note.value.trim() } : {}),
          });
          msg.className = 'row-msg ok';
          msg.replaceChildren(dt('bookedCode'), h('code.lead-code', null, r.lead.code), r.duplicate ? dt('duplicate') : '');
        } catch (err) {
          msg.className = 'row-msg bad';
          msg.textContent = err.message;
        } finally {
          submit.disabled = false;
        }
      },
    },
    h('h3', null, dt('book')),
    field(dt('store'), store), field(dt('budget'), budget), field(dt('style'), style), field(dt('skusField'), skus), field(dt('time'), time), field(dt('note'), note),
    submit, msg,
  );
}
