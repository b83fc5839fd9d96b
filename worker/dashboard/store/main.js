// The store workspace (/store): phone-first, for store staff with a store
// token. Sign-in (GET /api/v1/session, as the dashboard), the store picker, and
// four cards: check-in, the store's upcoming appointments, the deal form and
// the deals recorded in this session (voidable).
import { ApiError } from '../api.js';
import { h, render } from '../dom.js';
import { drawAppointments } from './appointments.js';
import { checkinCard } from './checkin.js';
import { dealSection } from './deal.js';
import { getLang, setLang, t } from './i18n.js';
import { request, storeToken } from './net.js';

const root = document.getElementById('app');
const STORE_KEY = 'o2o.store.pick';
const state = { session: null, pick: null }; // pick: { site, store, name, tz }

/** Every (site, store) the token may act for, from the session's sites. */
const picks = (session) =>
  session.sites.flatMap((s) => s.stores.map((st) => ({ site: s.siteKey, store: st.storeId, name: st.name, tz: s.timezone || 'Asia/Shanghai' })));

function langButton() {
  return h('button.link', { type: 'button', onclick: () => { setLang(getLang() === 'en' ? 'zh-CN' : 'en'); if (state.session) shell(); else signIn(); } }, t('lang'));
}

function signIn(message) {
  document.title = t('title');
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, placeholder: 'o2o_s_…', 'aria-describedby': 'token-hint' });
  render(root, h('form.signin', { onsubmit: (e) => { e.preventDefault(); storeToken.set(input.value.trim()); start(); } },
    h('h1', null, t('title')),
    h('label', null, t('token'), input),
    h('p.muted', { id: 'token-hint' }, t('tokenHint')),
    message ? h('p.form-error', { role: 'alert' }, message) : null,
    h('button.btn.big', { type: 'submit' }, t('signin')),
    langButton()));
  input.focus();
}

function signOut(message) {
  storeToken.clear();
  state.session = null;
  signIn(typeof message === 'string' ? message : undefined);
}

async function shell() {
  document.title = t('title');
  const all = picks(state.session);
  const p = state.pick;
  const picker = all.length > 1
    ? h('select', { name: 'store', 'aria-label': t('store'), onchange: (e) => { state.pick = all[Number(e.target.value)]; sessionStorage.setItem(STORE_KEY, `${state.pick.site}/${state.pick.store}`); shell(); } },
      all.map((x, i) => h('option', { value: i, selected: x === p }, x.name)))
    : h('span.store-name', null, p.name);
  const header = h('header.top', null, h('strong.brand', null, t('title')), picker, h('div.actions', null, langButton(), h('button.link', { type: 'button', onclick: signOut }, t('signout'))));
  const ctx = { site: p.site, store: p.store, tz: p.tz, skus: [] };
  const apptsBox = h('div', { id: 'appts-list' });
  const apptsCard = h('section.card', { id: 'appts' }, h('h2', null, t('appts.title')), apptsBox);
  const main = h('main', { id: 'view' });
  render(root, header, main);
  const skus = await request('/skus', { query: { site: p.site } }).catch((err) => err);
  if (skus instanceof ApiError && skus.status === 401) return signOut(t('error.signin'));
  ctx.skus = skus instanceof Error ? [] : skus.skus;
  const deal = dealSection(ctx);
  const openDeal = (lead) => { deal.open(lead); deal.card.scrollIntoView({ block: 'start' }); };
  const checkin = checkinCard(ctx, openDeal);
  render(main, checkin.el, apptsCard, deal.card, deal.mineCard);
  main.dataset.state = 'ready';
  drawAppointments(apptsBox, ctx, { checkin: (code) => { checkin.checkIn(code); checkin.el.scrollIntoView({ block: 'start' }); }, deal: openDeal })
    .catch((err) => render(apptsBox, h('div.fail', { role: 'alert' }, h('p', null, err.message), h('button.btn.retry', { type: 'button', onclick: shell }, t('retry')))));
}

async function start() {
  setLang(getLang());
  if (!storeToken.get()) return signIn();
  render(root, h('p.muted', { role: 'status' }, t('loading')));
  try {
    state.session = await request('/session');
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return signOut(t('error.signin'));
    return render(root, h('div.fail', { role: 'alert' }, h('p', null, err.message), h('button.btn.retry', { type: 'button', onclick: start }, t('retry'))));
  }
  const all = picks(state.session);
  if (!all.length) return signOut(t('error.signin'));
  const saved = sessionStorage.getItem(STORE_KEY);
  state.pick = all.find((x) => `${x.site}/${x.store}` === saved) ?? all[0];
  shell();
}

start();
