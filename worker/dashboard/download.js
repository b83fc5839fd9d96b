// A report as a file: the CSV (format=csv) fetched with the token in the
// Authorization header, as api.js sends every call, then saved through a
// temporary <a download> on a blob: URL. A plain link cannot carry the header,
// and the token never goes into a URL (logs, history), so this is the only way.
import { ApiError, token } from './api.js';

/**
 * GET an /api/v1 path as bytes; resolves to a Blob, or throws ApiError with the
 * worker's error envelope (a 4xx/5xx answer is JSON, not the file).
 * @param {string} path
 * @param {Record<string, string | number | undefined | null>} query
 * @returns {Promise<Blob>}
 */
export async function getFile(path, query) {
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, String(v));
  let res;
  try {
    res = await fetch(url, { headers: { authorization: `Bearer ${token.get() || ''}`, accept: 'text/csv' } });
  } catch (e) {
    throw new ApiError(0, 'network', e?.message || 'network error');
  }
  if (res.ok) return res.blob();
  const err = (await res.json().catch(() => null))?.error;
  throw new ApiError(res.status, err?.code || `http_${res.status}`, err?.message || `${res.status} ${res.statusText}`);
}

/** Saves a Blob under `name`: a blob: URL of our own bytes (not data, so not through h()'s URL rule), clicked once, then freed. */
export function saveFile(blob, name) {
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  // The download has started from the click; the URL is freed once it has been read.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
