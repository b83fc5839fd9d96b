// The e2e tests' way to the API of the `wrangler dev` they started: `call`
// answers { status, body }, `ok` asserts a 2xx and answers the body, and
// `eventually` polls until an answer stops failing (folds land asynchronously).
import assert from 'node:assert/strict';
import { sleep } from './wrangler.mjs';

/** A client of the server at `base()` (read at each call: the URL is known only once the server runs). */
export function api(base) {
  async function call(path, { token, method = 'GET', json, headers = {} } = {}) {
    const res = await fetch(base() + path, {
      method,
      headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...(json ? { 'content-type': 'application/json' } : {}), ...headers },
      body: json ? JSON.stringify(json) : undefined,
      // A request wrangler dev's local proxy leaves hanging (seen once in a CI run, for minutes)
      // is aborted, so a polling caller asks again instead of waiting on it.
      signal: AbortSignal.timeout(10_000),
    });
    const text = await res.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      body = text;
    }
    return { status: res.status, body };
  }
  async function ok(path, opts) {
    const r = await call(path, opts);
    assert.ok(r.status >= 200 && r.status < 300, `${opts?.method ?? 'GET'} ${path} → ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }
  return { call, ok };
}

/** Polls `fn` until it stops throwing, then returns its value; rethrows its last error after `ms`. */
export async function eventually(fn, ms = 30_000, every = 500) {
  const end = Date.now() + ms;
  for (;;) {
    try {
      return await fn();
    } catch (err) {
      if (Date.now() > end) throw err;
      await sleep(every);
    }
  }
}
