// Per-event validation for /collect. Every string and collection is bounded by
// LIMITS from the wire protocol; one bad event is reported and dropped, never
// the batch. Hand-written rather than a schema library: it is the hot path and
// the rules are few.
import { BROWSER_EVENT_TYPES, DEFAULT_PARAMS, LIMITS, type Props, type WireEvent } from '../../sdk/protocol';
import { boundedString, Invalid } from './fields';

export type Checked = { ok: true; event: WireEvent } | { ok: false; code: string; message: string };

const TYPES: ReadonlySet<string> = new Set(BROWSER_EVENT_TYPES);
const ID = /^[A-Za-z0-9_-]+$/;
// The landing parameters the worker reads; any other key a client sends is dropped, never stored.
const PARAMS: ReadonlySet<string> = new Set([
  DEFAULT_PARAMS.channel, DEFAULT_PARAMS.promoter, ...DEFAULT_PARAMS.utm.split(','), ...DEFAULT_PARAMS.clickIds.split(','),
]);

/** `s` cut at the first of `stops`: query strings (and a referrer's fragment) can hold phone numbers. */
function cutAt(s: string, stops: RegExp): string {
  const cut = s.search(stops);
  return cut < 0 ? s : s.slice(0, cut);
}


function id(o: Record<string, unknown>, key: string, required = true): string | undefined {
  const v = boundedString(o, key, LIMITS.idLength, required);
  if (v !== undefined && !ID.test(v)) throw new Invalid('invalid_field', `"${key}" must be URL-safe characters`);
  return v;
}

function record(o: Record<string, unknown>, key: string, maxKeys: number, keyLen: number, valLen: number, scalars: boolean) {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Invalid('invalid_field', `"${key}" must be an object`);
  const entries = Object.entries(v as Record<string, unknown>);
  if (entries.length > maxKeys) throw new Invalid('too_many_keys', `"${key}" has more than ${maxKeys} keys`);
  const out: Props = {};
  for (const [k, x] of entries) {
    if (k.length > keyLen) throw new Invalid('field_too_long', `a key of "${key}" is longer than ${keyLen} characters`);
    const ok = typeof x === 'string' || (scalars && ((typeof x === 'number' && Number.isFinite(x)) || typeof x === 'boolean'));
    if (!ok) throw new Invalid('invalid_field', `"${key}.${k}" must be a ${scalars ? 'string, number or boolean' : 'string'}`);
    if (typeof x === 'string' && x.length > valLen) throw new Invalid('field_too_long', `"${key}.${k}" is longer than ${valLen} characters`);
    out[k] = x as string | number | boolean;
  }
  return out;
}

function check(raw: unknown): WireEvent {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Invalid('invalid_event', 'an event must be an object');
  const o = raw as Record<string, unknown>;
  const t = o.t;
  if (typeof t !== 'string' || !TYPES.has(t)) {
    throw new Invalid('invalid_type', `"t" must be one of ${BROWSER_EVENT_TYPES.join(', ')}`);
  }
  if (typeof o.ts !== 'number' || !Number.isFinite(o.ts) || o.ts <= 0) throw new Invalid('invalid_field', '"ts" must be a positive number of ms');
  const e: WireEvent = { i: id(o, 'i')!, t: t as WireEvent['t'], ts: Math.floor(o.ts), v: id(o, 'v')!, ss: id(o, 'ss')! };
  const pv = id(o, 'pv', false);
  if (pv) e.pv = pv;
  const u = boundedString(o, 'u', LIMITS.pathLength);
  // A path keeps a hash route (#/sku/1: the SDK sends it for hash routers), never a query.
  const path = u && cutAt(u, /\?/);
  if (path) e.u = path;
  const r = boundedString(o, 'r', LIMITS.referrerLength);
  const ref = r && cutAt(r, /[?#]/);
  if (ref) e.r = ref;
  const q = record(o, 'q', LIMITS.maxParams, LIMITS.propKeyLength, LIMITS.paramLength, false);
  const known = q && Object.entries(q).filter(([k, v]) => PARAMS.has(k) && v !== '');
  if (known && known.length) e.q = Object.fromEntries(known) as Record<string, string>;
  const k = boundedString(o, 'k', LIMITS.skuLength);
  if (k) e.k = k;
  const c = boundedString(o, 'c', LIMITS.nameLength);
  if (c) e.c = c;
  const l = boundedString(o, 'l', LIMITS.labelLength);
  if (l) e.l = l;
  const n = boundedString(o, 'n', LIMITS.nameLength);
  if (n) e.n = n;
  const p = record(o, 'p', LIMITS.maxProps, LIMITS.propKeyLength, LIMITS.propValueLength, true);
  if (p) e.p = p;
  if (t === 'dwell') {
    if (typeof o.d !== 'number' || !Number.isFinite(o.d) || o.d < 0 || o.d > LIMITS.maxDwellMs) {
      throw new Invalid('invalid_field', `"d" must be a number of ms between 0 and ${LIMITS.maxDwellMs}`);
    }
    e.d = Math.round(o.d);
  }
  if (t === 'track' && !e.n) throw new Invalid('missing_field', '"n" (event name) is required for track events');
  return e;
}

/** Validates one raw event; never throws. */
export function checkEvent(raw: unknown): Checked {
  try {
    return { ok: true, event: check(raw) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'invalid_event', message: 'event could not be read' };
  }
}
