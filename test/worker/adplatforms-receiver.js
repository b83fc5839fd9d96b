// The four ad platforms as a test receiver, at their real hosts (crm-receiver.js
// hands it their requests: the worker's every outbound fetch lands there, so no
// test reaches the internet). Each platform's request is checked as its public
// docs describe it, independently of worker/adplatforms/: the path, the body's
// fields and types, the credential (tokens in adplatforms fixtures) and 360's
// App-Sign. A click id "<mode>-<name>" picks the answer: ok, flaky (the
// platform's refusal on the first request of each conversion type, then ok)
// or down (refused always); the name ends at its first character other than
// a letter, digit or "_". What each name got: GET http://adplatforms.test/log/<name>.
const TOKENS = { baidu: 'baidu-test-token', tencent: 'tencent-test-token', qihooKey: 'qihoo-app-key', qihooSecret: 'qihoo-test-secret' };
export const AD_HOSTS = new Set(['ocpc.baidu.com', 'analytics.oceanengine.com', 'api.e.qq.com', 'convert.dop.360.cn', 'adplatforms.test']);

const log = new Map(); // name → [{ platform, path, problem, clickId, type, body, headers, query, attempt }]
const seen = new Map(); // clickId|type → requests so far

const int = (x) => Number.isInteger(x);
const str = (x, max = 1024) => typeof x === 'string' && x.length > 0 && x.length <= max;

async function md5(s) {
  const d = new Uint8Array(await crypto.subtle.digest('MD5', new TextEncoder().encode(s)));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** [clickId, type, problem | null] for each platform's documented request. */
async function check(platform, url, headers, raw, body) {
  if (platform === 'baidu') {
    const invalid = url.pathname === '/ocpcapi/api/uploadInvalidConvertData';
    if (!invalid && url.pathname !== '/ocpcapi/api/uploadConvertData') return [null, null, 'path'];
    if (body?.token !== TOKENS.baidu) return [null, null, 'token'];
    const list = body[invalid ? 'invalidConversionTypes' : 'conversionTypes'];
    if (!Array.isArray(list) || list.length < 1 || list.length >= 100) return [null, null, 'conversion list'];
    const c = list[0];
    if (!str(c.logidUrl, 1024)) return [null, null, 'logidUrl'];
    const clickId = new URL(c.logidUrl).searchParams.get('bd_vid');
    if (!clickId) return [null, null, 'logidUrl without bd_vid'];
    const type = invalid ? c.convertType : c.newType;
    if (!int(type)) return [clickId, type, invalid ? 'convertType' : 'newType'];
    if (invalid && (!int(c.convertTime) || String(c.convertTime).length !== 10)) return [clickId, type, 'convertTime (seconds)'];
    if (c.convertValue !== undefined && !int(c.convertValue)) return [clickId, type, 'convertValue (fen)'];
    return [clickId, type, null];
  }
  if (platform === 'oceanengine') {
    if (url.pathname !== '/api/v2/conversion') return [null, null, 'path'];
    const clickId = body?.context?.ad?.callback;
    if (!str(clickId)) return [null, null, 'context.ad.callback'];
    if (!str(body.event_type, 64) || !/^[a-z_]+$/.test(body.event_type)) return [clickId, body.event_type, 'event_type'];
    if (!int(body.timestamp) || String(body.timestamp).length !== 13) return [clickId, body.event_type, 'timestamp (ms)'];
    if (body.properties !== undefined && typeof body.properties.pay_amount !== 'number') return [clickId, body.event_type, 'properties.pay_amount'];
    return [clickId, body.event_type, null];
  }
  if (platform === 'tencent') {
    if (url.pathname !== '/v1.3/user_actions/add') return [null, null, 'path'];
    const q = url.searchParams;
    if (q.get('access_token') !== TOKENS.tencent) return [null, null, 'access_token'];
    if (Math.abs(Number(q.get('timestamp')) - Date.now() / 1000) > 300) return [null, null, 'timestamp'];
    if (!str(q.get('nonce'), 32)) return [null, null, 'nonce'];
    if (!int(body?.account_id) || !int(body.user_action_set_id)) return [null, null, 'account_id / user_action_set_id'];
    const a = Array.isArray(body.actions) && body.actions.length >= 1 && body.actions.length <= 50 ? body.actions[0] : null;
    if (!a) return [null, null, 'actions'];
    const clickId = a.trace?.click_id;
    if (!str(clickId)) return [null, a.action_type, 'trace.click_id'];
    if (!/^[A-Z_]+$/.test(a.action_type ?? '')) return [clickId, a.action_type, 'action_type'];
    if (!int(a.action_time) || String(a.action_time).length !== 10) return [clickId, a.action_type, 'action_time (seconds)'];
    if (!/^[A-Za-z0-9_]{1,255}$/.test(a.outer_action_id ?? '')) return [clickId, a.action_type, 'outer_action_id'];
    if (a.action_param !== undefined && !int(a.action_param.value)) return [clickId, a.action_type, 'action_param.value (fen)'];
    return [clickId, a.action_type, null];
  }
  if (url.pathname !== '/uploadWebConvert') return [null, null, 'path'];
  if (headers.get('app-key') !== TOKENS.qihooKey) return [null, null, 'App-Key'];
  if (headers.get('app-sign') !== (await md5(TOKENS.qihooSecret + raw))) return [null, null, 'App-Sign'];
  const d = body?.data?.data_detail;
  if (body?.data?.data_industry !== 'ocpc_ps_convert' || !d) return [null, null, 'data'];
  if (!str(d.qhclickid)) return [null, d.event, 'qhclickid'];
  if (!/^[A-Z_]+$/.test(d.event ?? '') || !str(d.trans_id, 64) || !int(d.event_time)) return [d.qhclickid, d.event, 'data_detail'];
  return [d.qhclickid, d.event, null];
}

const PLATFORM = { 'ocpc.baidu.com': 'baidu', 'analytics.oceanengine.com': 'oceanengine', 'api.e.qq.com': 'tencent', 'convert.dop.360.cn': 'qihoo360' };

/** The platform's answer: `ok` or its refusal in its own shape. */
function answer(platform, ok, why) {
  if (platform === 'baidu') return Response.json({ header: ok ? { status: 0, desc: 'success' } : { status: 4, desc: why } });
  if (platform === 'qihoo360') return Response.json({ errno: ok ? 0 : 100, error: ok ? '' : why });
  return Response.json({ code: ok ? 0 : 40001, message: ok ? 'success' : why });
}

export async function adPlatform(req, url) {
  if (url.hostname === 'adplatforms.test') return Response.json(log.get(url.pathname.split('/')[2]) ?? []);
  const platform = PLATFORM[url.hostname];
  if (req.method !== 'POST') return new Response('method', { status: 405 });
  const raw = await req.text();
  let body = null;
  try {
    body = JSON.parse(raw);
  } catch {
    // refused below
  }
  const [clickId, type, problem] = body ? await check(platform, url, req.headers, raw, body) : [null, null, 'not JSON'];
  const [mode, ...rest] = String(clickId ?? 'none-unknown').split('-');
  const name = rest.join('-').match(/^[A-Za-z0-9_]+/)?.[0] ?? 'unknown'; // the name ends at the first other character
  const key = `${clickId}|${type}`;
  const attempt = (seen.get(key) ?? 0) + 1;
  seen.set(key, attempt);
  const entry = {
    platform, path: url.pathname, problem, clickId, type, attempt, body,
    headers: Object.fromEntries(req.headers), query: Object.fromEntries(url.searchParams),
  };
  log.set(name, [...(log.get(name) ?? []), entry]);
  if (problem) return answer(platform, false, `bad request: ${problem}`);
  if (mode === 'down' || (mode === 'flaky' && attempt === 1)) return answer(platform, false, 'busy');
  return answer(platform, true);
}
