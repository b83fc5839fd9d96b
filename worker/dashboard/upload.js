// A file sent to the worker as it is on disk: the body is the File (a Blob), so
// the browser never decodes it and a GBK export reaches the worker as GBK bytes
// (the worker detects the encoding). The token rides in the header, as in api.js.
import { ApiError, token } from './api.js';

/**
 * POST a Blob's bytes to an /api/v1 path; resolves to the parsed JSON answer.
 * @param {string} path
 * @param {{ query?: Record<string, string | undefined>, body: Blob, type: string }} init
 * @returns {Promise<any>}
 */
export async function postFile(path, { query, body, type }) {
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [k, v] of Object.entries(query || {})) if (v) url.searchParams.set(k, v);
  const headers = { authorization: `Bearer ${token.get() || ''}`, accept: 'application/json', 'content-type': type };
  const res = await fetch(url, { method: 'POST', headers, body }).catch((e) => {
    throw new ApiError(0, 'network', e?.message || 'network error');
  });
  const answer = await res.json().catch(() => null);
  if (res.ok) return answer;
  throw new ApiError(res.status, answer?.error?.code || `http_${res.status}`, answer?.error?.message || `${res.status} ${res.statusText}`);
}
