// The chat panel: its elements in a shadow root, and the few ways the chat
// changes them. Every text a visitor, an agent or the worker wrote is set as
// textContent, never as markup.
import type { RoomOut, StoreCard } from '../../protocol/desk';
import { CSS } from './style';
import type { Words } from './text';

export interface PanelActions {
  send(text: string): void;
  typing(): void;
  callback(phone: string, name: string): Promise<string | undefined>;
  restart(): void;
}

type Msg = Extract<RoomOut, { t: 'msg' }>;

/** `tag.class` with text (as text). */
function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text != null) e.textContent = text;
  return e;
}
const put = <P extends ParentNode>(parent: P, ...kids: Element[]): P => (parent.append(...kids), parent);

export function panel(w: Words, act: PanelActions) {
  const host = el('div');
  host.setAttribute('data-o2o-chat', '');
  const root = host.attachShadow({ mode: 'open' });
  // A constructed stylesheet where the browser has them (a storefront's CSP on inline styles does not apply to it).
  const sheet = typeof CSSStyleSheet == 'function' && 'replaceSync' in CSSStyleSheet.prototype && 'adoptedStyleSheets' in root;
  if (sheet) {
    const s = new CSSStyleSheet();
    s.replaceSync(CSS);
    root.adoptedStyleSheets = [s];
  } else root.append(el('style', '', CSS));

  const box = el('section', 'panel');
  box.setAttribute('role', 'dialog');
  box.setAttribute('aria-label', w.title);
  const status = el('span', 'status', w.waiting);
  const x = el('button', 'close', '×');
  x.setAttribute('aria-label', w.close);
  x.onclick = () => (box.hidden = true);
  const log = el('div', 'log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  const typing = el('div', 'note', w.typing);
  typing.hidden = true;

  // No agent online: a phone number for a callback.
  const phone = el('input');
  Object.assign(phone, { type: 'tel', name: 'phone', required: true, placeholder: w.phone, autocomplete: 'tel', maxLength: 20 });
  const name = el('input');
  Object.assign(name, { name: 'name', placeholder: w.name, autocomplete: 'name', maxLength: 40 });
  const callForm = put(el('form', 'callback'), el('p', '', w.noAgent), phone, name, el('button', '', w.callMe));
  callForm.hidden = true;
  callForm.onsubmit = async (e) => {
    e.preventDefault();
    const code = await act.callback(phone.value.trim(), name.value.trim());
    if (code) callForm.replaceChildren(el('p', '', w.callbackDone), el('code', 'code', code));
  };

  const input = el('textarea');
  Object.assign(input, { name: 'text', rows: 1, maxLength: 2000, placeholder: w.placeholder });
  input.setAttribute('aria-label', w.placeholder);
  const compose = put(el('form', 'compose'), input, el('button', '', w.send));
  const submit = () => {
    const text = input.value.trim();
    if (text) act.send(text), (input.value = '');
  };
  compose.onsubmit = (e) => (e.preventDefault(), submit());
  input.oninput = () => act.typing();
  // Enter sends, Shift+Enter is a new line (not while an IME is composing Chinese).
  input.onkeydown = (e) => e.key == 'Enter' && !e.shiftKey && !e.isComposing && (e.preventDefault(), submit());
  const again = el('button', 'again', w.again);
  again.hidden = true;
  again.onclick = () => act.restart();

  put(root, put(box, put(el('header'), el('b', '', w.title), status, x), log, typing, callForm, again, compose));
  document.body.append(host);

  const bottom = () => (log.scrollTop = log.scrollHeight);
  const mine = new Map<string, HTMLElement>(); // the visitor's messages by client id
  const seen = new Set<number>(); // seqs shown: a replay after a reconnect adds nothing twice
  let typingOff: ReturnType<typeof setTimeout> | undefined;

  return {
    host,
    show() {
      box.hidden = false;
      input.focus();
    },
    has: (id: string) => mine.has(id),
    /** A message as the visitor typed it, before its ack. */
    sending(id: string, text: string) {
      const m = put(el('div', 'msg me pending'), el('span', '', text));
      mine.set(id, m);
      log.append(m);
      bottom();
    },
    acked(id: string) {
      mine.get(id)?.classList.remove('pending');
    },
    message(f: Msg) {
      if (seen.has(f.seq)) return;
      seen.add(f.seq);
      const own = f.from == 'visitor' && mine.get(f.id);
      if (own) return own.classList.remove('pending'); // our own, replayed by a hello
      const m = put(el('div', 'msg ' + (f.from == 'visitor' ? 'me' : f.from)), el('span', '', f.text));
      if (f.from == 'agent') m.prepend(el('small', '', f.agent || w.agent)), (typing.hidden = true);
      if (f.from == 'visitor') mine.set(f.id, m);
      log.append(m);
      bottom();
    },
    booked(seq: number, lead: string, store: StoreCard) {
      if (seen.has(seq)) return;
      seen.add(seq);
      const code = el('code', '', lead);
      const card = put(el('div', 'card'), el('b', '', w.booked), put(el('p', '', w.code + '：'), code), el('p', '', w.store + '：' + store.name));
      if (store.address) card.append(el('p', '', w.address + '：' + store.address));
      card.append(el('p', '', w.showCode));
      log.append(card);
      bottom();
    },
    typing() {
      typing.hidden = false;
      clearTimeout(typingOff);
      typingOff = setTimeout(() => (typing.hidden = true), 4000);
    },
    /** The line under the title: the conversation's state, or the connection's. */
    status(text: string, ended?: boolean) {
      status.textContent = text;
      again.hidden = !ended;
      compose.hidden = !!ended;
    },
    callback(show: boolean) {
      callForm.hidden = !show;
    },
    system(text: string) {
      log.append(el('div', 'msg system', text));
      bottom();
    },
  };
}

export type Panel = ReturnType<typeof panel>;
