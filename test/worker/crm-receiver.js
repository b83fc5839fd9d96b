// A CRM as a test worker (test/vitest.config.ts routes the worker's outbound
// fetch here). It verifies each webhook's signature independently of
// worker/crm/sign.ts, exactly as README "For CRM integrators" tells a CRM to,
// (secret: CRM_SECRET in leads-fixtures.ts) and keeps what it got so tests can read it back at GET /log/<name>.
//   POST /ok/<name>     → 204 when the signature verifies, 401 when not
//   POST /flaky/<name>  → 503 on the first attempt of each delivery, then as /ok
//   POST /down/<name>   → 500 always
// It is also the two group-chat robots (worker/robots/), at their real hosts,
// checking each message as the robot would: WeCom's markdown shape and its
// 4096-byte limit; DingTalk's shape and its signature (加签) with
// DINGTALK_SECRET (robots-fixtures.ts) over a timestamp within an hour. The
// robot's key (access_token) is "<mode>-<name>": mode ok, flaky (errcode 45009
// on its first message, then as ok) or down (errcode -1 always). What each got:
// GET http://crm.test/robots/<name>.
import { AD_HOSTS, adPlatform } from './adplatforms-receiver.js'; // the ad platforms, at their real hosts

const SECRET = 'whsec_test_receiver_secret_0123456789';
const log = new Map(); // name → [{ id, type, verified, attempt, body }]
const seen = new Map(); // delivery id → attempts so far

async function verify(secret, header, body) {
  const parts = Object.fromEntries((header || '').split(',').map((kv) => kv.split('=')));
  const t = Number(parts.t);
  if (!Number.isInteger(t) || Math.abs(Date.now() / 1000 - t) > 300) return false;
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${t}.${body}`)));
  const hex = Array.from(mac, (b) => b.toString(16).padStart(2, '0')).join('');
  return hex === parts.v1;
}

const DINGTALK_SECRET = 'SECtest0123456789abcdef0123456789abcdef0123456789abcdef012345';
const ROBOT_PATHS = { 'qyapi.weixin.qq.com': '/cgi-bin/webhook/send', 'oapi.dingtalk.com': '/robot/send' };
const robotLog = new Map(); // name → [{ kind, attempt, errcode, problem, body, query }]
const robotSeen = new Map(); // key → messages so far

async function dingtalkSign(secret, timestamp) {
  const key = await crypto.subtle.importKey('raw', new TextEncoder().encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${timestamp}\n${secret}`)));
  return btoa(String.fromCharCode(...mac));
}

/** Why the robot would refuse the message, as [errcode, errmsg], or null. */
async function robotProblem(kind, q, body) {
  const md = body?.markdown;
  if (body?.msgtype !== 'markdown' || typeof md !== 'object') return [40008, 'invalid message type'];
  if (kind === 'wecom') {
    if (typeof md.content !== 'string' || !md.content) return [41009, 'missing markdown content'];
    if (new TextEncoder().encode(md.content).byteLength > 4096) return [40058, 'markdown.content exceed max length 4096'];
    return null;
  }
  const t = Number(q.get('timestamp'));
  if (!Number.isInteger(t) || Math.abs(Date.now() - t) > 3600_000) return [310000, 'sign not match: timestamp'];
  if (q.get('sign') !== (await dingtalkSign(DINGTALK_SECRET, t))) return [310000, 'sign not match'];
  if (typeof md.title !== 'string' || !md.title || typeof md.text !== 'string' || !md.text) return [40035, 'missing markdown title or text'];
  return null;
}

async function robot(req, url) {
  if (req.method !== 'POST' || url.pathname !== ROBOT_PATHS[url.hostname]) return new Response('not found', { status: 404 });
  const kind = url.hostname === 'oapi.dingtalk.com' ? 'dingtalk' : 'wecom';
  const key = url.searchParams.get(kind === 'wecom' ? 'key' : 'access_token') ?? '';
  const [mode, ...rest] = key.split('-');
  const name = rest.join('-');
  if (!['ok', 'flaky', 'down'].includes(mode) || !name) return Response.json({ errcode: 93000, errmsg: 'invalid webhook url' });
  let body = null;
  try {
    body = JSON.parse(await req.text());
  } catch {
    // refused below as an invalid message
  }
  const attempt = (robotSeen.get(key) ?? 0) + 1;
  robotSeen.set(key, attempt);
  let [errcode, errmsg] = (await robotProblem(kind, url.searchParams, body)) ?? [0, 'ok'];
  if (errcode === 0 && mode === 'flaky' && attempt === 1) [errcode, errmsg] = [45009, 'api freq out of limit'];
  if (errcode === 0 && mode === 'down') [errcode, errmsg] = [-1, 'system busy'];
  const entry = { kind, attempt, errcode, errmsg, body, query: Object.fromEntries(url.searchParams) };
  robotLog.set(name, [...(robotLog.get(name) ?? []), entry]);
  return Response.json({ errcode, errmsg });
}

export default {
  async fetch(req) {
    const url = new URL(req.url);
    if (url.hostname in ROBOT_PATHS) return robot(req, url);
    if (AD_HOSTS.has(url.hostname)) return adPlatform(req, url);
    if (url.hostname !== 'crm.test') return new Response('no network in tests', { status: 502 });
    const [, mode, name] = url.pathname.split('/');
    if (req.method === 'GET' && mode === 'robots') return Response.json(robotLog.get(name) ?? []);
    if (req.method === 'GET' && mode === 'log') return Response.json(log.get(name) ?? []);
    const body = await req.text();
    const id = req.headers.get('o2o-delivery');
    const attempt = (seen.get(id) ?? 0) + 1;
    seen.set(id, attempt);
    const verified = await verify(SECRET, req.headers.get('o2o-signature'), body);
    const entry = { id, type: req.headers.get('o2o-event'), verified, attempt, body: JSON.parse(body) };
    log.set(name, [...(log.get(name) ?? []), entry]);
    if (mode === 'down') return new Response('down', { status: 500 });
    if (mode === 'flaky' && attempt === 1) return new Response('busy', { status: 503 });
    return new Response(null, { status: verified ? 204 : 401 });
  },
};
