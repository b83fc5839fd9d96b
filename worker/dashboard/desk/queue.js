// The desk's queue: waiting conversations (oldest first: the one to take
// next), then open ones, as the site's desk object pushes them. A waiting one
// has 接待 (claim); the agent's own open ones have 打开 (open).
import { h, render } from '../dom.js';
import { dateTime } from '../i18n.js';
import { dt } from './words.js';

/** Draws `items` (QueueItem[]) into `el`. */
export function drawQueue(el, items, me, { claim, open, selected }) {
  if (!items.length) return render(el, h('p.muted', null, dt('empty')));
  render(
    el,
    h('ul.desk-queue', null, items.map((q) =>
      h(`li.desk-item${q.c === selected ? '.selected' : ''}`, { 'data-c': q.c, 'data-status': q.status },
        h('div.desk-item-head', null,
          h('span', { class: `badge ${q.status}` }, dt(q.status)),
          h('span.muted', null, dateTime(q.lastAt || q.startedAt))),
        h('p.desk-preview', null, q.preview || '…'),
        q.status === 'waiting'
          ? h('button.btn.small', { type: 'button', 'data-action': 'claim', onclick: () => claim(q.c) }, dt('claim'))
          : q.agent === me
            ? h('button.btn.small', { type: 'button', 'data-action': 'open', onclick: () => open(q.c) }, dt('openIt'))
            : h('span.muted', null, q.agent || '')))),
  );
}
