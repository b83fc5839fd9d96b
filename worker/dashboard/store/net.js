// The store workspace's requests: the store token as a bearer header (kept in
// sessionStorage under a key of its own), and a submit that stays on screen
// when it fails for a reason a retry can fix (no network, a 5xx), with a Retry
// button that sends the very same request again (same body, same Idempotency-Key).
import { ApiError } from '../api.js';
import { h, render } from '../dom.js';
import { t } from './i18n.js';

const KEY = 'o2o.store.token';

/** The store token, for this tab only (sessionStorage outlives a reload, not the tab). */
export const storeToken = {
  get() {
    return sessionStorage.getItem(KEY);
  },
  set(value) {
    sessionStorage.setItem(KEY, value);
  },
  clear() {
    sessionStorage.removeItem(KEY);
  },
};

/** One call to /api/v1: `{ method, query, json, headers }`; resolves to the JSON body, rejects with an ApiError (status 0: no answer). */
export async function request(path, { method = 'GET', query = {}, json, headers = {} } = {}) {
  const params = new URLSearchParams(Object.entries(query).filter(([, v]) => v != null && v !== '').map(([k, v]) => [k, String(v)]));
  const url = `/api/v1${path}${params.size ? `?${params}` : ''}`;
  const all = { ...headers, accept: 'application/json', authorization: `Bearer ${storeToken.get() ?? ''}` };
  if (json !== undefined) all['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, { method, headers: all, body: json === undefined ? undefined : JSON.stringify(json) });
  } catch (e) {
    throw new ApiError(0, 'network', e?.message || 'network error');
  }
  const body = await res.json().catch(() => null);
  if (res.ok) return body;
  throw new ApiError(res.status, body?.error?.code ?? `http_${res.status}`, body?.error?.message ?? `${res.status} ${res.statusText}`);
}

/** Whether a failed request may be sent again as is: nothing came back, or the server failed. */
export const retryable = (err) => err instanceof ApiError && (err.status === 0 || err.status >= 500);

/**
 * Sends `req` ({ path, init }), showing its state in `box`. On success calls
 * `done(body)`; a retryable failure shows its message and a Retry button that
 * re-sends the same frozen request; a 4xx shows the envelope's message. A
 * second call while one is in flight is ignored (a double tap sends once).
 */
export function submitter(box, done) {
  let busy = false;
  const send = async (req) => {
    if (busy) return;
    busy = true;
    box.dataset.state = 'sending';
    render(box, h('p.muted', { role: 'status' }, t('sending')));
    try {
      const body = await request(req.path, req.init);
      box.dataset.state = 'ok';
      render(box);
      done(body);
    } catch (err) {
      const again = retryable(err);
      box.dataset.state = again ? 'retry' : 'error';
      const msg = err.status === 0 ? t('error.network') : err.status >= 500 ? t('error.server') : err.message;
      render(box, h('div.fail', { role: 'alert' }, h('p', null, msg), err.code ? h('p.muted', null, err.code) : null,
        again ? h('button.btn.retry', { type: 'button', onclick: () => send(req) }, t('retry')) : null));
    } finally {
      busy = false;
    }
  };
  return send;
}

/** A key made once per form: a retry or a double tap of the same form records once. */
export const newKey = () =>
  crypto.randomUUID?.() ?? [...crypto.getRandomValues(new Uint8Array(16))].map((b) => b.toString(16).padStart(2, '0')).join('');
