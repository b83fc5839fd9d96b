// The dashboard's only way to the worker: fetch with the report token as a
// bearer header (never in the URL, so it stays out of logs and history), and
// the worker's one error envelope turned into a thrown ApiError.
const KEY = 'o2o.dashboard.token';

export class ApiError extends Error {
  constructor(status, code, message) {
    super(message);
    this.status = status;
    this.code = code;
  }
}

// sessionStorage: the token lives as long as the tab, not on the disk for ever.
export const token = {
  get: () => sessionStorage.getItem(KEY),
  set: (v) => sessionStorage.setItem(KEY, v),
  clear: () => sessionStorage.removeItem(KEY),
};

/**
 * GET or send JSON to an /api/v1 path; resolves to the parsed JSON body.
 * @param {string} path
 * @param {{ method?: string, query?: Record<string, string | number | undefined | null>, json?: unknown }} [init]
 * @returns {Promise<any>}
 */
export async function api(path, { method = 'GET', query, json } = {}) {
  const url = new URL(`/api/v1${path}`, location.origin);
  for (const [k, v] of Object.entries(query || {})) if (v !== undefined && v !== null && v !== '') url.searchParams.set(k, v);
  const headers = { authorization: `Bearer ${token.get() || ''}`, accept: 'application/json' };
  if (json !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(url, { method, headers, body: json === undefined ? undefined : JSON.stringify(json) });
  } catch (e) {
    throw new ApiError(0, 'network', e?.message || 'network error');
  }
  const body = await res.json().catch(() => null);
  if (!res.ok) {
    const err = body?.error;
    throw new ApiError(res.status, err?.code || `http_${res.status}`, err?.message || `${res.status} ${res.statusText}`);
  }
  return body;
}
