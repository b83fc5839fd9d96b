// Checking a customer in (到店) by lead code, typed in any case (the worker
// normalises) or scanned; the answer shows what serves the customer: budget,
// style, SKUs of interest, or that they were already checked in today.
import { h, render } from '../dom.js';
import { formatFen } from './money.js';
import { t } from './i18n.js';
import { submitter } from './net.js';
import { canScan, scanButton } from './scan.js';

/** The check-in card. `ctx` names the site and store; `onDeal(lead)` opens the deal form for the checked-in customer. */
export function checkinCard(ctx, onDeal) {
  const input = h('input.code-input', { name: 'lead', autocomplete: 'off', autocapitalize: 'characters', spellcheck: false, maxLength: 32, required: true, 'aria-label': t('checkin.code'), placeholder: 'AB3K7Q' });
  const status = h('div.status');
  const result = h('div.result', { 'aria-live': 'polite' });
  const send = submitter(status, (body) => {
    const lead = body.lead;
    render(result, h('div.card.' + (body.duplicate ? 'dup' : 'ok'), { role: 'status' },
      h('strong', null, `${body.duplicate ? t('checkin.dup') : t('checkin.ok')} · ${body.arrival.lead ?? ''}`),
      lead ? [
        h('div.kv', null, h('span.k', null, t('budget')), h('span.v', null, formatFen(lead.budget))),
        h('div.kv', null, h('span.k', null, t('style')), h('span.v', null, lead.style ?? '—')),
        h('div.kv', null, h('span.k', null, t('skus')), h('span.v', null, lead.skus?.length ? lead.skus.join(', ') : '—')),
        h('button.btn.secondary', { type: 'button', onclick: () => onDeal(lead) }, t('checkin.deal')),
      ] : null));
  });
  const checkIn = (code) => {
    input.value = code;
    render(result);
    send({ path: '/arrivals', init: { method: 'POST', json: { site: ctx.site, store: ctx.store, lead: code.trim() } } });
  };
  const form = h('form.checkin', { onsubmit: (e) => { e.preventDefault(); if (input.value.trim()) checkIn(input.value); } },
    h('label', null, t('checkin.code'), input),
    h('div.row', null, h('button.btn', { type: 'submit' }, t('checkin.submit')), canScan() ? scanButton(checkIn) : null));
  return { el: h('section.card', { id: 'checkin' }, h('h2', null, t('checkin.title')), form, status, result), checkIn };
}
