// One conversation as the agent sees it: the messages (as text), the visitor's
// typing, a reply box with the site's quick replies, topic tags and 结束会话.
// Its own WebSocket to the conversation's room (a ticket each connect), with
// hello {since} on every connect and the agent's unacknowledged replies sent
// again with their ids, as the visitor's widget does.
import { h, render } from '../dom.js';
import { dateTime } from '../i18n.js';
import { deskSocket } from './socket.js';
import { dt } from './words.js';

let n = 0;
const clientId = () => `a${Date.now().toString(36)}${(n++).toString(36)}${Math.random().toString(36).slice(2, 8)}`;

/** The view of conversation `c`; `settings`: the site's { quickReplies, topicTags }. */
export function conversationView({ site, c, me, settings, view }) {
  const log = h('div.desk-log', { role: 'log', 'aria-live': 'polite' });
  const typing = h('p.muted.desk-typing', { hidden: true }, dt('typing'));
  const note = h('p.row-msg', { role: 'status' });
  const seen = new Set();
  const mine = new Map(); // client id → element, for the ack
  let pending = []; // [{ id, text }] until acked
  let since = 0;
  let typingOff = 0;
  const topics = new Set();

  const line = (cls, who, text, at) => h(`div.desk-msg.${cls}`, null, h('small.muted', null, `${who} · ${dateTime(at)}`), h('p', null, text));
  const add = (el) => { log.append(el); log.scrollTop = log.scrollHeight; };
  const frame = (f) => {
    if (typeof f.seq === 'number') since = Math.max(since, f.seq);
    if (f.t === 'msg') {
      if (seen.has(f.seq)) return;
      seen.add(f.seq);
      if (f.from === 'agent' && mine.has(f.id)) return mine.get(f.id).classList.remove('pending');
      if (f.from === 'visitor') typing.hidden = true;
      add(line(f.from, f.from === 'agent' ? f.agent || me : dt(f.from), f.text, f.at));
    } else if (f.t === 'ack') {
      pending = pending.filter((p) => p.id !== f.id);
      mine.get(f.id)?.classList.remove('pending');
    } else if (f.t === 'booked') {
      if (seen.has(f.seq)) return;
      seen.add(f.seq);
      add(h('div.desk-msg.system', null, h('small.muted', null, `${dt('system')} · ${dateTime(f.at)}`), h('p', null, `${dt('booked')}: `, h('code.lead-code', null, f.lead), ` · ${f.store?.name ?? ''}`)));
    } else if (f.t === 'typing') {
      typing.hidden = false;
      clearTimeout(typingOff);
      typingOff = setTimeout(() => (typing.hidden = true), 4000);
    } else if (f.t === 'state') {
      for (const t of f.topics || []) topics.add(t);
      drawTags();
      if (f.status === 'ended') note.textContent = dt('endedNote');
    } else if (f.t === 'error') note.textContent = f.code === 'not_claimed' ? dt('notClaimed') : f.message;
  };
  const sock = deskSocket({
    site, view, path: `/desk/conversations/${encodeURIComponent(c)}/ws`, frame,
    open: (send) => { send({ t: 'hello', since }); for (const p of pending) send({ t: 'msg', ...p }); },
    live: (up) => { if (!up) note.textContent = dt('offline'); else if (note.textContent === dt('offline')) note.textContent = ''; },
  });

  const box = h('textarea', { name: 'reply', rows: 3, maxlength: 2000, 'aria-label': dt('reply'), oninput: () => sock.send({ t: 'typing' }) });
  const reply = (text) => {
    text = text.trim();
    if (!text) return;
    const p = { id: clientId(), text };
    pending.push(p);
    const el = line('agent.pending', me, text, Date.now());
    mine.set(p.id, el);
    add(el);
    sock.send({ t: 'msg', ...p });
  };
  const form = h('form.desk-reply', { onsubmit: (e) => { e.preventDefault(); reply(box.value); box.value = ''; } },
    box, h('button.btn', { type: 'submit' }, dt('send')));
  const quick = (settings.quickReplies || []).map((q) => h('button.chip', { type: 'button', onclick: () => { box.value = q; box.focus(); } }, q));
  const tagBox = h('div.chips');
  function drawTags() {
    render(tagBox, (settings.topicTags || []).map((t) => h('button.chip', {
      type: 'button', 'aria-pressed': String(topics.has(t)),
      onclick: () => { topics.has(t) ? topics.delete(t) : topics.add(t); sock.send({ t: 'topics', tags: [...topics] }); drawTags(); },
    }, t)));
  }
  drawTags();
  const end = h('button.link', { type: 'button', onclick: () => sock.send({ t: 'end' }) }, dt('end'));
  const el = h('section.panel.desk-conv', { 'data-c': c },
    log, typing, form,
    quick.length ? h('div', null, h('h4', null, dt('quick')), h('div.chips', null, quick)) : null,
    h('div', null, h('h4', null, dt('topics')), tagBox),
    h('div.toolbar', null, end, note));
  return { el, close: sock.close };
}
