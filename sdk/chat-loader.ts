// The consult chat's loader: the chat widget (chat.js, built from sdk/chat/) is
// fetched only when a visitor opens the chat, so the script tag carries only
// this. The hand-off rides on the injected <script> element, which chat.js
// finds as document.currentScript: the tracker's options and its event maker
// (the visitor's id, the page's SKU and path, fresh at each call); chat.js sets
// `o` to open its panel again on a later call. chat.js and /chat/* are served
// by the worker at the endpoint, beside /collect.
import type { BrowserEventType, WireEvent } from '../protocol/wire';

/** The injected element, as chat.js reads it. */
export interface ChatScript extends HTMLScriptElement {
  /** The tracker's options: `site` (and the endpoint, which chat.js reads off its own src). */
  c: { site: string };
  /** A fresh event of this page: `v` the visitor's id, `k` the SKU (o2o('sku') or the page's), `u` the path. */
  e: (t: BrowserEventType, extra: Partial<WireEvent>) => WireEvent;
  /** Set by chat.js once it runs: opens the panel again. */
  o?: () => void;
}

/** A loader for chat.js beside the /collect URL `url`: the first call injects the script (once); a later one opens its panel again. */
export function chatLoader(url: string, c: ChatScript['c'], e: ChatScript['e']): () => void {
  let el: ChatScript | undefined;
  // A second call before chat.js has run finds no `o` and throws, into the caller's guard: the panel opens once it runs.
  // "…/collect/../chat.js": the URL parser resolves it to the endpoint's /chat.js.
  return () => (el ? el.o!() : (document.head.append((el = document.createElement('script') as ChatScript)), (el.src = url + '/../chat.js'), (el.c = c), (el.e = e)));
}
