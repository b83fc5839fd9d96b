// Per-event validation for /collect. Every string and collection is bounded by
// LIMITS from the wire protocol; one bad event is reported and dropped, never
// the batch. What the browser reads off the page (path, referrer, landing
// parameters, a consult's kind) is cut to its limit rather than refused: a long
// URL is still a visit, and the script tag leaves the cutting here (its byte
// budget); so are props (too many keys, long keys or values, nested values).
// So are the fields a page's code passes (SKU, label, event name): the script
// tag sends them as given and the worker cuts them, a number taken as its text.
// Hand-written rather than a schema library: it is the hot path and the rules are few.
import { AD_CLICK_PARAMS } from '../../protocol/adplatforms';
import { BROWSER_EVENT_TYPES, DEFAULT_PARAMS, LIMITS, type Props, type WireEvent } from '../../protocol/wire';
import { boundedString, cutString, Invalid } from './fields';

export type Checked = { ok: true; event: WireEvent } | { ok: false; code: string; message: string };

const TYPES: ReadonlySet<string> = new Set(BROWSER_EVENT_TYPES);
const ID = /^[A-Za-z0-9_-]+$/;
// The landing parameters the worker reads; any other key a client sends is dropped, never stored.
const PARAMS: ReadonlySet<string> = new Set([
  DEFAULT_PARAMS.channel, DEFAULT_PARAMS.promoter, ...DEFAULT_PARAMS.utm.split(','), ...DEFAULT_PARAMS.clickIds.split(','),
  // The ad platforms' click ids the conversion connectors report (worker/adplatforms/), gdt_vid and qz_gdt among them.
  ...Object.values(AD_CLICK_PARAMS).flat(),
]);

/** `s` cut at the first of `stops`: query strings and fragments can hold phone numbers. */
function cutAt(s: string, stops: RegExp): string {
  const cut = s.search(stops);
  return cut < 0 ? s : s.slice(0, cut);
}

/**
 * A page path by the SDK's rule (sdk/channel.ts `route`): never a query, and
 * no fragment unless it is a hash route (`#/…`, `#!/…`), itself cut at its own
 * query or a further `#`. `/landing#phone=138…` is `/landing`; `/#/sku/1?x=1` is
 * `/#/sku/1`. A server-side sender need not follow the SDK, so the worker does.
 */
export function pagePath(u: string): string {
  const hash = u.indexOf('#');
  const path = cutAt(hash < 0 ? u : u.slice(0, hash), /\?/);
  if (hash < 0 || !/^#!?\//.test(u.slice(hash))) return path;
  return `${path}#${cutAt(u.slice(hash + 1), /[?#]/)}`;
}

/** A referrer by the SDK's rule (`stripUrl`): no query, no fragment at all. */
export const cleanReferrer = (r: string): string => cutAt(r, /[?#]/);


function id(o: Record<string, unknown>, key: string, required = true): string | undefined {
  const v = boundedString(o, key, LIMITS.idLength, required);
  if (v !== undefined && !ID.test(v)) throw new Invalid('invalid_field', `"${key}" must be URL-safe characters`);
  return v;
}

/** `v`, a string or a finite number (`o2o('sku', 101)`), as text cut to `max` characters; undefined for '' or anything else. */
const scalarText = (v: unknown, max: number): string | undefined =>
  typeof v === 'string' || Number.isFinite(v) ? String(v).slice(0, max) || undefined : undefined;

/** `o[key]` as `scalarText`; absent is undefined, anything else (an object, a boolean) Invalid. */
const text = (o: Record<string, unknown>, key: string, max: number): string | undefined => scalarText(o[key], max) ?? cutString(o, key, max);

/** The entries of the object `o[key]`, or undefined when absent. */
function entriesOf(o: Record<string, unknown>, key: string): [string, unknown][] | undefined {
  const v = o[key];
  if (v === undefined || v === null) return undefined;
  if (typeof v !== 'object' || Array.isArray(v)) throw new Invalid('invalid_field', `"${key}" must be an object`);
  return Object.entries(v as Record<string, unknown>);
}

/**
 * Props, trimmed rather than refused (the SDK sends them as the page gave them:
 * its byte budget): the first maxProps keys, each cut to propKeyLength; booleans
 * and finite numbers kept; a null value dropped (no value); anything else (a
 * nested object or array) as its string form (`[object Object]`, `a,b`); every
 * string cut to propValueLength. Only a `p` that is not an object is refused.
 */
function props(o: Record<string, unknown>): Props | undefined {
  const entries = entriesOf(o, 'p');
  if (!entries) return undefined;
  const kept: [string, string | number | boolean][] = [];
  for (const [k, x] of entries.slice(0, LIMITS.maxProps)) {
    if (x === null) continue;
    const scalar = typeof x === 'boolean' || Number.isFinite(x);
    kept.push([k.slice(0, LIMITS.propKeyLength), scalar ? (x as number | boolean) : String(x).slice(0, LIMITS.propValueLength)]);
  }
  // fromEntries defines own properties: a "__proto__" key stays a plain prop.
  return Object.fromEntries(kept);
}

/** Landing parameters: only the ones the worker reads (the defaults and the site's click ids), each a string cut to paramLength; any other key is dropped unread. */
function params(o: Record<string, unknown>, siteParams: ReadonlySet<string>): Record<string, string> | undefined {
  const known: [string, string][] = [];
  for (const [k, x] of entriesOf(o, 'q') ?? []) {
    if (!PARAMS.has(k) && !siteParams.has(k)) continue;
    if (typeof x !== 'string') throw new Invalid('invalid_field', `"q.${k}" must be a string`);
    if (x) known.push([k, x.slice(0, LIMITS.paramLength)]);
  }
  return known.length ? Object.fromEntries(known) : undefined;
}

function check(raw: unknown, siteParams: ReadonlySet<string>): WireEvent {
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
  const u = cutString(o, 'u', Infinity);
  // A path keeps a hash route (#/sku/1: the SDK sends it for hash routers), never a query or another fragment.
  const path = u && pagePath(u).slice(0, LIMITS.pathLength);
  if (path) e.u = path;
  const r = cutString(o, 'r', Infinity);
  const ref = r && cleanReferrer(r).slice(0, LIMITS.referrerLength);
  if (ref) e.r = ref;
  const q = params(o, siteParams);
  if (q) e.q = q;
  // An appointment is of its own SKU when it names one (the form's or the call's `sku` prop: a string or a
  // number), else of the page's: the SDKs' rule, kept here so the script tag need not spend bytes on it.
  const page = text(o, 'k', LIMITS.skuLength); // checked first: a bad one is refused whatever the props say
  const own = t === 'appointment' ? scalarText((o.p as Record<string, unknown> | null | undefined)?.sku, LIMITS.skuLength) : undefined;
  const k = own || page;
  if (k) e.k = k;
  const c = cutString(o, 'c', LIMITS.nameLength);
  if (c) e.c = c;
  // A label is the clicked element's text as the script tag read it: trimmed here, then cut.
  const l = text(o, 'l', Infinity)?.trim().slice(0, LIMITS.labelLength);
  if (l) e.l = l;
  const n = text(o, 'n', LIMITS.nameLength);
  if (n) e.n = n;
  const p = props(o);
  if (p) e.p = p;
  // Booked on one SKU's page for another: the page's SKU stays among the lead's SKUs of interest.
  if (p && own && page && own !== page) p.skus = typeof p.skus === 'string' && p.skus ? `${p.skus},${page}` : page;
  if (t === 'dwell') {
    if (typeof o.d !== 'number' || !Number.isFinite(o.d) || o.d < 0) throw new Invalid('invalid_field', '"d" must be a number of ms, 0 or more');
    e.d = Math.round(Math.min(o.d, LIMITS.maxDwellMs)); // one dwell event never claims more than 6 h
  }
  // A mini program's launch scene (a WeChat number, 1000-1999 today): kept on a view when it is one, else dropped unread.
  if (t === 'view' && Number.isInteger(o.sc) && (o.sc as number) > 0 && (o.sc as number) < 100_000) e.sc = o.sc as number;
  if (t === 'track' && !e.n) throw new Invalid('missing_field', '"n" (event name) is required for track events');
  return e;
}

/** Validates one raw event; never throws. `siteParams`: landing parameters the site's click-id rules add to the defaults. */
export function checkEvent(raw: unknown, siteParams: ReadonlySet<string> = new Set()): Checked {
  try {
    return { ok: true, event: check(raw, siteParams) };
  } catch (err) {
    if (err instanceof Invalid) return { ok: false, code: err.code, message: err.message };
    return { ok: false, code: 'invalid_event', message: 'event could not be read' };
  }
}
