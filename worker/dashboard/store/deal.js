// Recording a deal (成交): the amount in yuan (parsed to fen from the string),
// SKUs picked from the site's known SKUs, each with a quantity and, optionally,
// its own amount. The form's Idempotency-Key is made once when the form opens,
// so a double tap or a Retry records one deal. Deals recorded in this session
// are listed below it, each voidable with a reason.
import { h, render } from '../dom.js';
import { formatFen, parseYuan, splitFen } from './money.js';
import { t } from './i18n.js';
import { newKey, submitter } from './net.js';

/**
 * The request body's money and items from the form's values, or { error } (an i18n key).
 * `picked` is [{ sku, qty, amount: typed yuan string }]; amounts all blank → the total split by quantity.
 */
export function dealMoney(amountText, picked) {
  const amount = parseYuan(amountText);
  if (amount === null) return { error: 'deal.badAmount' };
  if (!picked.length) return { amount };
  const typed = picked.filter((p) => p.amount.trim() !== '');
  if (typed.length && typed.length !== picked.length) return { error: 'deal.itemsMixed' };
  const amounts = typed.length ? picked.map((p) => parseYuan(p.amount, 0)) : splitFen(amount, picked.map((p) => p.qty));
  if (amounts.some((a) => a === null)) return { error: 'deal.badItem' };
  if (amounts.reduce((a, b) => a + b, 0) !== amount) return { error: 'deal.itemsSum' };
  return { amount, items: picked.map((p, i) => ({ sku: p.sku, qty: p.qty, amount: amounts[i] })) };
}

const dealLine = (d) => `${formatFen(d.amount)} · ${d.items.map((i) => (i.qty > 1 ? `${i.sku}×${i.qty}` : i.sku)).join(', ') || '—'}${d.lead ? ` · ${d.lead}` : ''}`;

/** The deal card and the session's deals. `ctx`: site, store, skus (the site's known SKUs). */
export function dealSection(ctx) {
  const mine = []; // deals recorded in this session, newest first
  const listBox = h('ul.mine');
  const card = h('section.card', { id: 'deal' });
  const mineCard = h('section.card', { id: 'mine' }, h('h2', null, t('mine.title')), listBox);

  const drawMine = () => {
    if (!mine.length) return render(listBox, h('li.empty', null, t('mine.empty')));
    render(listBox, mine.map((d) => voidRow(d)));
  };

  const voidRow = (d) => {
    const reason = h('input', { name: 'reason', maxLength: 500, 'aria-label': t('void.reason'), placeholder: t('void.reason') });
    const status = h('div.status');
    const send = submitter(status, (body) => {
      Object.assign(d, body.deal);
      drawMine();
    });
    return h('li.deal' + (d.voided ? '.voided' : ''), { 'data-id': d.id },
      h('div', null, h('strong', null, dealLine(d)), d.voided ? h('p.muted', null, `${t('void.done')} · ${d.voidReason ?? ''}`) : null),
      d.voided ? null : h('form.void', {
        onsubmit: (e) => {
          e.preventDefault();
          if (!reason.value.trim()) return render(status, h('p.form-error', { role: 'alert' }, t('void.needReason')));
          send({ path: `/deals/${encodeURIComponent(d.id)}/void`, init: { method: 'POST', json: { reason: reason.value.trim() } } });
        },
      }, reason, h('button.btn.danger', { type: 'submit' }, t('void.submit'))),
      status);
  };

  /** Opens a fresh form (a new Idempotency-Key), the lead code filled in when given. */
  const open = (lead) => {
    const key = newKey();
    const leadInput = h('input', { name: 'lead', autocomplete: 'off', autocapitalize: 'characters', maxLength: 32, required: true, value: lead?.code ?? '', placeholder: 'AB3K7Q' });
    const amountInput = h('input.amount', { name: 'amount', inputmode: 'decimal', autocomplete: 'off', required: true, placeholder: '13,500' });
    const picked = new Map(); // sku → { qty, amount } inputs
    const itemsBox = h('div.items');
    const drawItems = () => render(itemsBox, [...picked].map(([sku, p]) =>
      h('div.item', null, h('strong', null, sku), h('label', null, t('deal.qty'), p.qty), h('label', null, t('deal.itemAmount'), p.amount))));
    const chips = ctx.skus.length
      ? h('div.chips', { role: 'group', 'aria-label': t('deal.skus') }, ctx.skus.map((sku) => h('button.chip', {
        type: 'button', 'aria-pressed': 'false', 'data-sku': sku,
        onclick: (e) => {
          const on = !picked.has(sku);
          if (on) picked.set(sku, { qty: h('input', { type: 'number', min: 1, max: 10000, value: 1, inputmode: 'numeric', name: `qty-${sku}` }), amount: h('input', { inputmode: 'decimal', name: `amount-${sku}` }) });
          else picked.delete(sku);
          e.currentTarget.setAttribute('aria-pressed', String(on));
          drawItems();
        },
      }, sku)))
      : h('p.muted', null, t('deal.noSkus'));
    const status = h('div.status');
    const error = h('p.form-error', { role: 'alert' });
    const send = submitter(status, (body) => {
      if (!mine.some((d) => d.id === body.deal.id)) mine.unshift(body.deal);
      drawMine();
      render(card, h('h2', null, t('deal.title')),
        h('div.card.ok', { role: 'status', 'data-deal': body.deal.id }, h('strong', null, t('deal.ok')), h('p', null, dealLine(body.deal))),
        h('button.btn', { type: 'button', onclick: () => open() }, t('deal.new')));
    });
    const form = h('form.deal', {
      onsubmit: (e) => {
        e.preventDefault();
        const money = dealMoney(amountInput.value, [...picked].map(([sku, p]) => ({ sku, qty: Math.max(1, Math.trunc(Number(p.qty.value)) || 1), amount: p.amount.value })));
        error.textContent = money.error ? t(money.error) : '';
        if (money.error) return;
        const json = { site: ctx.site, store: ctx.store, amount: money.amount, ...(money.items ? { items: money.items } : {}) };
        json.lead = leadInput.value.trim(); // the API needs a lead (or a visitor id, which this form does not take)
        if (lead?.budget != null && lead.code === json.lead?.toUpperCase()) json.budget = lead.budget;
        send({ path: '/deals', init: { method: 'POST', json, headers: { 'idempotency-key': key } } });
      },
    },
    h('label', null, t('deal.lead'), leadInput),
    h('label', null, t('deal.amount'), amountInput),
    h('fieldset', null, h('legend', null, t('deal.skus')), chips, itemsBox),
    error,
    h('button.btn.big', { type: 'submit' }, t('deal.submit')));
    // The lead's SKUs of interest that the site knows start picked.
    for (const sku of lead?.skus ?? []) if (ctx.skus.includes(sku)) form.querySelector(`[data-sku="${CSS.escape(sku)}"]`)?.click();
    render(card, h('h2', null, t('deal.title')), form, status);
  };

  open();
  drawMine();
  return { card, mineCard, open };
}
