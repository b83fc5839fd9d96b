// The dashboard's shell: sign-in, the site and date-range pickers, the tabs and
// the language switch. Each tab lives in tabs/ and draws itself into <main>.
import { api, ApiError, token } from './api.js';
import { disposeDetached } from './charts.js';
import { errorState, h, loading, render } from './dom.js';
import { getLang, setLang, t, today } from './i18n.js';
import { channelsTab } from './tabs/channels.js';
import { deskTab } from './tabs/desk.js';
import { importTab } from './tabs/import.js';
import { leadsTab } from './tabs/leads.js';
import { regionsTab } from './tabs/regions.js';
import { serviceTab } from './tabs/service.js';
import { storesTab } from './tabs/stores.js';

// [name, draw, the token kinds that see it (default: report tokens; admin sees every tab)].
const TABS = [
  ['channels', channelsTab],
  ['regions', regionsTab],
  ['stores', storesTab],
  ['leads', leadsTab, ['report', 'store']],
  ['service', serviceTab],
  // Store tokens import; a report token sees the tab and why it cannot (tabs/import.js).
  ['import', importTab, ['report', 'store']],
  // 客服工作台: service tokens see only this tab (tabs/desk.js).
  ['desk', deskTab, ['service']],
];
const tabs = () => TABS.filter(([, , kinds = ['report']]) => state.session?.kind === 'admin' || kinds.includes(state.session?.kind));

const root = document.getElementById('app');
const state = { session: null, site: null, from: '', to: '', tab: 'channels' };

function currentTab() {
  const name = location.hash.slice(1);
  const open = tabs();
  return open.some(([n]) => n === name) ? name : open[0]?.[0] ?? 'channels';
}

function signInView(message) {
  const input = h('input', { type: 'password', name: 'token', autocomplete: 'off', required: true, placeholder: 'o2o_r_…', 'aria-describedby': 'token-hint' });
  const form = h(
    'form.signin',
    {
      onsubmit: async (e) => {
        e.preventDefault();
        token.set(input.value.trim());
        await start();
      },
    },
    h('h1', null, t('title')),
    h('label', null, t('token'), input),
    h('p.muted', { id: 'token-hint' }, t('tokenHint')),
    message ? h('p.form-error', { role: 'alert' }, message) : null,
    h('button.btn', { type: 'submit' }, t('signin')),
    langButton(),
  );
  render(root, form);
  input.focus();
}

function langButton() {
  return h('button.link', { type: 'button', onclick: () => { setLang(getLang() === 'en' ? 'zh-CN' : 'en'); if (state.session) shell(); else signInView(); } }, t('lang'));
}

function siteInfo() {
  return state.session.sites.find((s) => s.siteKey === state.site) || { siteKey: state.site, currency: 'CNY', timezone: 'Asia/Shanghai', stores: [] };
}

function setRange(site) {
  const tz = site?.timezone || 'Asia/Shanghai';
  state.to = today(tz);
  state.from = today(tz, -29);
}

function shell() {
  document.title = t('title');
  const sites = state.session.sites;
  const siteSelect = h(
    'select',
    { name: 'site', 'aria-label': t('site'), onchange: (e) => { state.site = e.target.value; sessionStorage.setItem('o2o.dashboard.site', state.site); showTab(); } },
    // The key only where the name does not already say it (a site named after its key reads once).
    sites.map((s) => h('option', { value: s.siteKey, selected: s.siteKey === state.site }, s.name.includes(s.siteKey) ? s.name : `${s.name} (${s.siteKey})`)),
  );
  const dateInput = (key) =>
    h('input', { type: 'date', name: key, value: state[key], 'aria-label': t(key), onchange: (e) => { if (e.target.value) { state[key] = e.target.value; showTab(); } } });
  const header = h(
    'header.top',
    null,
    h('strong.brand', null, t('title')),
    h('div.pickers', null, h('label', null, t('site'), siteSelect), h('label', null, t('from'), dateInput('from')), h('label', null, t('to'), dateInput('to'))),
    h('div.actions', null, langButton(), h('button.link', { type: 'button', onclick: signOut }, t('signout'))),
  );
  const nav = h(
    'nav.tabs',
    { role: 'tablist' },
    tabs().map(([name]) =>
      h('a.tab', { href: `#${name}`, role: 'tab', 'data-tab': name, 'aria-selected': String(name === state.tab) }, t(`tab.${name}`)),
    ),
  );
  const main = h('main', { id: 'view', role: 'tabpanel' });
  render(root, header, nav, main);
  showTab();
}

// A tab draws into a view of its own. A newer showTab (a second click, a
// redraw) replaces it, so an older draw still waiting on the API renders into a
// detached view and its result or error is dropped instead of overwriting the
// tab the user now looks at.
async function showTab() {
  state.tab = currentTab();
  for (const a of root.querySelectorAll('nav.tabs a')) a.setAttribute('aria-selected', String(a.dataset.tab === state.tab));
  const main = document.getElementById('view');
  if (!main) return;
  const draw = TABS.find(([n]) => n === state.tab)[1];
  const ctx = { site: state.site, kind: state.session.kind, info: siteInfo(), from: state.from, to: state.to, currency: siteInfo().currency || 'CNY', redraw: showTab };
  const view = h('div.view');
  render(main, view);
  render(view, loading());
  main.dataset.state = 'loading';
  disposeDetached();
  const current = () => view.isConnected && main.isConnected;
  try {
    await draw(view, ctx);
    if (current()) main.dataset.state = 'ready';
  } catch (err) {
    if (!current()) return;
    if (err instanceof ApiError && err.status === 401) return signOut(t('error.signin'));
    render(view, errorState(err, showTab));
    main.dataset.state = 'error';
  }
  disposeDetached();
}

function signOut(message) {
  token.clear();
  state.session = null;
  signInView(typeof message === 'string' ? message : undefined);
}

async function start() {
  setLang(getLang());
  if (!token.get()) return signInView();
  render(root, loading());
  try {
    state.session = await api('/session');
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403)) return signOut(t('error.signin'));
    return render(root, errorState(err, start));
  }
  const saved = sessionStorage.getItem('o2o.dashboard.site');
  const sites = state.session.sites;
  state.site = sites.some((s) => s.siteKey === saved) ? saved : sites[0]?.siteKey ?? '';
  setRange(siteInfo());
  shell();
}

addEventListener('hashchange', () => state.session && showTab());
start();
