// chat.js: the visitor's consult chat, loaded by the script tag (or the npm
// build's chat()) on the first click of a [data-o2o-consult="chat"] element or
// o2o('chat'); see ../chat-loader.ts for the hand-off. Opens the visitor's
// conversation (POST /chat/open, the id and secret kept per site), then talks
// over GET /chat/ws; with no agent online it offers a callback (POST
// /chat/callback) and shows the lead code. Nothing here throws into the page.
import type { ChatCallbackAnswer, ChatOpenAnswer, RoomOut } from '../../protocol/desk';
import type { ChatScript } from '../chat-loader';
import { guard } from '../guard';
import { newId } from '../id';
import { load, save, type Saved } from './saved';
import { panel, type Panel } from './panel';
import { chatSocket, type ChatSocket, type Pending } from './socket';
import { words } from './text';

const me = document.currentScript as ChatScript;
const base = new URL('.', me.src); // the worker: chat.js sits beside /collect and /chat/*
const w = words();
const site = me.c.site;
let ui: Panel | undefined;
let sock: ChatSocket | undefined;
let saved: Saved;
let early: Pending[] = []; // typed before the conversation was open: sent once it is

/** POSTs JSON to /chat/<path>; resolves the answer's body, or throws with its status. */
async function post<T>(path: string, body: object): Promise<T> {
  const r = await fetch(new URL('chat/' + path, base), { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  if (!r.ok) throw r.status;
  return r.json();
}

const keep = (s: Partial<Saved>) => (saved = save(site, { ...saved, ...s }));

function onFrame(f: RoomOut) {
  if (f.t == 'msg') ui!.message(f);
  else if (f.t == 'ack') ui!.acked(f.id);
  else if (f.t == 'booked') ui!.booked(f.seq, f.lead, f.store);
  else if (f.t == 'typing') f.from == 'agent' && ui!.typing();
  else if (f.t == 'state') state(f.status, f.agent);
}

function state(status: string, agent?: string) {
  if (status == 'ended') sock?.close();
  if (status == 'open') ui!.callback(false); // an agent is here: no callback needed
  ui!.status(status == 'open' ? w.open.replace('{agent}', agent || w.agent) : status == 'ended' ? w.ended : w.waiting, status == 'ended');
}

/** Opens the visitor's conversation (the kept one, or a new one) and connects to it. */
async function start(fresh?: boolean) {
  const e = me.e('consult', {}); // the visitor's id, the SKU and path of this page, as the tracker has them
  saved = load(site);
  if (fresh) saved = { p: [] };
  let r: ChatOpenAnswer;
  const ask = () => post<ChatOpenAnswer>('open', { s: site, v: e.v, c: saved.c, k: saved.k, u: e.u, sku: e.k });
  try {
    r = await ask().catch((status) => {
      if (status != 403 || !saved.c) throw status;
      saved = { p: [] }; // not this visitor's any more (another visitor id in this browser): a new conversation
      return ask();
    });
  } catch {
    return ui!.status(w.failed, true);
  }
  keep({ c: r.c, k: r.k, p: (r.c == saved.c ? saved.p : []).concat(early) });
  early = [];
  state(r.status, undefined);
  ui!.callback(!r.agentsOnline && r.status != 'ended');
  if (r.status == 'ended') return;
  for (const p of saved.p) if (!ui!.has(p.id)) ui!.sending(p.id, p.text);
  const q = new URLSearchParams({ s: site, c: r.c, k: r.k, v: e.v });
  const ws = new URL('chat/ws?' + q, base);
  ws.protocol = ws.protocol == 'https:' ? 'wss:' : 'ws:';
  let wasLive = true;
  sock = chatSocket('' + ws, saved.p, {
    frame: guard(onFrame),
    live: (up) => {
      if (!up && wasLive) ui!.status(w.offline);
      wasLive = up;
    },
    pending: (p) => keep({ p }),
  });
}

const actions = {
  send(text: string) {
    const p = { id: newId(), text };
    ui!.sending(p.id, text);
    sock ? sock.send(p) : early.push(p);
  },
  typing: () => sock?.typing(),
  async callback(phone: string, name: string) {
    try {
      return (await post<ChatCallbackAnswer>('callback', { s: site, c: saved.c, k: saved.k, v: me.e('consult', {}).v, phone, ...(name ? { name } : {}) })).lead;
    } catch {
      ui!.system(w.failed);
    }
  },
  restart() {
    sock?.close();
    sock = undefined;
    ui!.host.remove();
    ui = undefined;
    open(true);
  },
};

function open(fresh?: boolean) {
  if (!ui) (ui = panel(w, actions)), start(fresh);
  ui.show();
}

me.o = guard(open);
guard(open)();
