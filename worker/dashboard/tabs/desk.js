// 客服工作台 (issue 20): the agents' desk, for service tokens (and the admin).
// The queue and presence from the site's desk object over a WebSocket; 接待
// claims a conversation (the object decides: two agents never both get one, the
// loser sees "taken"); the conversation with its reply box, quick replies and
// topic tags; the visitor's context; and the 预约 form that books the visit.
import { ApiError } from '../api.js';
import { h, render } from '../dom.js';
import { deskSettings, ticket, visitorContext } from '../desk/api.js';
import { bookingForm } from '../desk/booking.js';
import { drawContext } from '../desk/context.js';
import { conversationView } from '../desk/conversation.js';
import { drawQueue } from '../desk/queue.js';
import { deskSocket } from '../desk/socket.js';
import { dt } from '../desk/words.js';

let current = null; // the drawn desk: its sockets close when it is drawn again

export async function deskTab(main, ctx) {
  current?.close();
  const [settings, first] = await Promise.all([deskSettings(ctx.site), ticket(ctx.site)]);
  const me = first.agent;
  const queueEl = h('div.desk-queue-wrap');
  const presence = h('p.muted.desk-presence');
  const status = h('p.row-msg.bad', { role: 'alert' });
  const convEl = h('div.desk-main', null, h('p.muted', null, dt('pick')));
  let items = [];
  let selected = null;
  let conv = null;

  const draw = () => drawQueue(queueEl, items, me, { claim, open, selected });
  function claim(c) {
    status.textContent = '';
    desk.send({ t: 'claim', c });
  }
  async function open(c) {
    if (conv?.c === c) return;
    conv?.close();
    selected = c;
    draw();
    const item = items.find((q) => q.c === c);
    const view = conversationView({ site: ctx.site, c, me, settings, view: main });
    const side = h('aside.panel.desk-side');
    conv = { c, close: view.close };
    const stores = ctx.info.stores || [];
    render(convEl, h('div.desk-conv-grid', null, view.el, side));
    const context = h('div.desk-context');
    // The context as the worker has folded it now; 刷新 reads it again (a visitor's latest pages fold a few seconds later).
    const load = async () => {
      try {
        const x = await visitorContext(ctx.site, c);
        if (conv?.c !== c) return;
        if (!side.firstChild) render(side, bookingForm({ site: ctx.site, c, visitor: x.visitor || item?.visitor, stores, sku: x.sku }), refresh, context);
        drawContext(context, x);
      } catch (err) {
        if (conv?.c !== c) return;
        if (!side.firstChild && item) render(side, bookingForm({ site: ctx.site, c, visitor: item.visitor, stores }), refresh, context);
        render(context, h('p.row-msg.bad', null, err instanceof ApiError ? err.message : String(err)));
      }
    };
    const refresh = h('button.link', { type: 'button', 'data-action': 'refresh-context', onclick: load }, dt('refresh'));
    await load();
  }

  const desk = deskSocket({
    site: ctx.site, path: '/desk/ws', view: main, first,
    frame: (f) => {
      if (f.t === 'queue') {
        items = f.conversations;
        draw();
      } else if (f.t === 'presence') presence.textContent = `${dt('online')}: ${f.agents.join('、') || '—'}`;
      else if (f.t === 'claimed' && f.agent === me) open(f.c);
      else if (f.t === 'error') status.textContent = f.code === 'taken' ? `${dt('taken')}${f.message ? `: ${f.message}` : ''}` : f.message;
    },
    live: (up) => { if (!up) status.textContent = dt('offline'); else if (status.textContent === dt('offline')) status.textContent = ''; },
  });
  current = { close: () => { desk.close(); conv?.close(); } };
  render(main, h('div.desk', null, h('section.panel.desk-left', null, h('h2', null, dt('queue')), presence, status, queueEl), convEl));
}
