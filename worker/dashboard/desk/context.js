// The visitor's context beside the conversation: where they came from (channel
// and campaign, first and last touch), where they are (region, city), what they
// dwelt on (SKUs, recent pages), earlier visits and leads. All as text.
import { h, render } from '../dom.js';
import { dateTime, day, duration, num } from '../i18n.js';
import { dt } from './words.js';

const row = (label, value) => h('div.kv', null, h('dt', null, label), h('dd', null, value || dt('none')));
const both = (a, b) => [a, b].filter(Boolean).join(' · ');

/** Draws a VisitorContext (protocol/desk.ts) into `el`. */
export function drawContext(el, x) {
  render(
    el,
    h('h3', null, dt('context')),
    h('dl.desk-kv', null,
      row(dt('channel'), both(x.lastChannel, x.lastCampaign)),
      row(dt('firstTouch'), both(x.firstChannel, x.firstCampaign)),
      row(dt('place'), both(x.region, x.city)),
      row(dt('device'), x.device),
      row(dt('page'), both(x.page, x.sku)),
      row(dt('firstSeen'), x.firstSeen && dateTime(x.firstSeen)),
      row(dt('lastSeen'), x.lastSeen && dateTime(x.lastSeen))),
    list(dt('skus'), x.skus, (s) => `${s.sku} · ${dt('views')} ${num(s.views)} · ${dt('dwell')} ${duration(s.dwellMs)}`),
    list(dt('pages'), x.pages, (p) => `${p.path}${p.sku ? ` (${p.sku})` : ''} · ${duration(p.dwellMs)}`),
    list(dt('visits'), x.visitDays, (d) => `${day(d.day)} · ${d.channel} · ${dt('views')} ${num(d.views)}`),
    list(dt('leads'), x.leads, (l) => `${l.code} · ${l.store ?? ''} · ${l.status} · ${dateTime(l.createdAt)}`),
  );
}

function list(title, items, line) {
  return h('section.desk-list', null, h('h4', null, title), items?.length ? h('ul', null, items.map((i) => h('li', null, line(i)))) : h('p.muted', null, dt('none')));
}
