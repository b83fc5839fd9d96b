// A CRM as a test worker (test/vitest.config.ts routes the worker's outbound
// fetch here). It verifies each webhook's signature independently of
// worker/crm/sign.ts, exactly as README "For CRM integrators" tells a CRM to,
// (secret: CRM_SECRET in leads-fixtures.ts) and keeps what it got so tests can read it back at GET /log/<name>.
//   POST /ok/<name>     → 204 when the signature verifies, 401 when not
//   POST /flaky/<name>  → 503 on the first attempt of each delivery, then as /ok
//   POST /down/<name>   → 500 always
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

export default {
  async fetch(req) {
    const url = new URL(req.url);
    if (url.hostname !== 'crm.test') return new Response('no network in tests', { status: 502 });
    const [, mode, name] = url.pathname.split('/');
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
