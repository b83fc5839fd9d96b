// Today's and upcoming appointments of the store: leads booked in the last 30
// days whose preferred date (the form's `date`, kept in the lead's props) is
// today or later, and recent ones without a date; soonest first.
import { h, render } from '../dom.js';
import { formatFen } from './money.js';
import { t, today } from './i18n.js';
import { request } from './net.js';

/** The preferred time a lead's form gave (`date`, and `time` where a form asks), or null. */
export function preferredTime(lead) {
  const p = lead.props ?? {};
  const date = typeof p.date === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(p.date) ? p.date : null;
  const time = typeof p.time === 'string' ? p.time.slice(0, 5) : '';
  return date ? { date, label: `${date}${time ? ` ${time}` : ''}` } : null;
}

function upcoming(leads, day, weekAgo) {
  return leads
    .map((l) => ({ l, when: preferredTime(l) }))
    .filter(({ l, when }) => (when ? when.date >= day : l.day >= weekAgo))
    .sort((a, b) => (a.when?.label ?? `~${a.l.createdAt}`).localeCompare(b.when?.label ?? `~${b.l.createdAt}`));
}

const field = (label, value) => h('div.kv', null, h('span.k', null, label), h('span.v', null, value));

/** Draws the list into `box`; `act.checkin(code)` and `act.deal(lead)` are the cards' buttons. */
export async function drawAppointments(box, ctx, act) {
  render(box, h('p.muted', { role: 'status' }, t('loading')));
  const day = today(ctx.tz);
  const body = await request('/leads', { query: { site: ctx.site, store: ctx.store, from: today(ctx.tz, -30), to: day } });
  const rows = upcoming(body.leads, day, today(ctx.tz, -6));
  if (!rows.length) return render(box, h('p.empty', null, t('appts.empty')));
  render(
    box,
    h('ul.appts', null, rows.map(({ l, when }) =>
      h('li.card.appt', { 'data-code': l.code },
        h('div.appt-head', null, h('strong.code', null, l.code), h('span.when', null, when ? (when.date === day ? `${t('appts.today')} ${when.label.slice(11)}`.trim() : when.label) : t('appts.nodate'))),
        field(t('budget'), formatFen(l.budget)),
        field(t('style'), l.style ?? '—'),
        field(t('skus'), l.skus.length ? l.skus.join(', ') : '—'),
        field(t('status'), t(`status.${l.status}`)),
        h('div.row', null,
          h('button.btn', { type: 'button', onclick: () => act.checkin(l.code) }, t('checkin.submit')),
          h('button.btn.secondary', { type: 'button', onclick: () => act.deal(l) }, t('deal.title'))),
      ))),
  );
}
