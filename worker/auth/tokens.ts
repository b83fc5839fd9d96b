// Bearer tokens. The admin token is a Worker secret; report, store and service
// tokens are stored as SHA-256 only. Secrets are compared in constant time and never logged.
import { nanoid } from 'nanoid';
import type { StorePair, StoredTokenKind, TokenKind } from '../../protocol/admin';
import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env';
import { findTokenByHash, insertToken } from '../db/tokens';
import { ApiError } from '../errors';

export type { StorePair, StoredTokenKind, TokenKind };

export interface Principal {
  kind: TokenKind;
  tokenId: string; // 'admin' for the admin secret; never the secret itself
  sites: string[] | '*';
  // '*': every store of its sites (admin; a report or service token that names no stores).
  // Otherwise exactly these pairs: a store token always, a report or service token that names stores.
  stores: StorePair[] | '*';
}

export type AuthEnv = AppEnv & { Variables: { principal: Principal } };

const enc = new TextEncoder();

export async function sha256Hex(s: string): Promise<string> {
  const d = new Uint8Array(await crypto.subtle.digest('SHA-256', enc.encode(s)));
  return Array.from(d, (b) => b.toString(16).padStart(2, '0')).join('');
}

/** Constant-time equality of two secrets: compare their digests, which have equal length. */
export async function secretEquals(a: string, b: string): Promise<boolean> {
  const [x, y] = await Promise.all([
    crypto.subtle.digest('SHA-256', enc.encode(a)),
    crypto.subtle.digest('SHA-256', enc.encode(b)),
  ]);
  return crypto.subtle.timingSafeEqual(x, y);
}

// The prefix tells a leaked token's kind at a glance: o2o_r_ report, o2o_s_ store,
// o2o_c_ service (customer service: "s" was the store's long before).
const PREFIX: Record<StoredTokenKind, string> = { report: 'r', store: 's', service: 'c' };

/** A new secret for a token of `kind`. */
export function newSecret(kind: StoredTokenKind): string {
  return `o2o_${PREFIX[kind]}_${nanoid(32)}`;
}

export async function authenticate(db: D1Database, adminSecret: string | undefined, secret: string): Promise<Principal | null> {
  if (adminSecret && (await secretEquals(secret, adminSecret))) {
    return { kind: 'admin', tokenId: 'admin', sites: '*', stores: '*' };
  }
  // Lookup by digest: the database never sees the secret and an index probe
  // on a hash reveals nothing about it.
  const row = await findTokenByHash(db, await sha256Hex(secret));
  if (!row || row.revoked_at !== null) return null;
  const stores = storePairs(JSON.parse(row.stores));
  // A store token always names its stores; a report or service token that names none sees every store of its sites.
  return { kind: row.kind, tokenId: row.id, sites: JSON.parse(row.sites), stores: row.kind !== 'store' && stores.length === 0 ? '*' : stores };
}

/**
 * The pairs of a token row. Anything else (a bare store id from before 0007)
 * is dropped, never widened: a store token left with no pairs acts for no store.
 */
export function storePairs(v: unknown): StorePair[] {
  if (!Array.isArray(v)) return [];
  return v.filter((x): x is StorePair => typeof x === 'object' && x !== null && typeof x.site === 'string' && typeof x.store === 'string')
    .map((x) => ({ site: x.site, store: x.store }));
}

function bearer(c: Context): string | null {
  const h = c.req.header('authorization');
  const m = h ? /^Bearer\s+(\S+)$/i.exec(h) : null;
  return m ? m[1] : null;
}

/** Requires a bearer token of one of `kinds`; admin always passes. */
export function requireToken(...kinds: TokenKind[]): MiddlewareHandler<AuthEnv> {
  return async function requireTokenMiddleware(c, next) {
    const secret = bearer(c);
    if (!secret) throw new ApiError(401, 'unauthorized', 'send a token as "Authorization: Bearer <token>"', undefined, { 'WWW-Authenticate': 'Bearer' });
    const p = await authenticate(c.env.DB, c.env.ADMIN_TOKEN, secret);
    if (!p) throw new ApiError(401, 'unauthorized', 'token is unknown or revoked', undefined, { 'WWW-Authenticate': 'Bearer' });
    if (p.kind !== 'admin' && !kinds.includes(p.kind)) {
      throw new ApiError(403, 'forbidden', `a ${p.kind} token cannot use this endpoint`);
    }
    c.set('principal', p);
    await next();
  };
}

export function canSite(p: Principal, siteKey: string): boolean {
  return p.sites === '*' || p.sites.includes(siteKey);
}

/** Whether the principal may act for or read the store `storeId` of `siteKey`: the exact pair, never a store of the same id elsewhere. */
export function canStore(p: Principal, siteKey: string, storeId: string): boolean {
  return canSite(p, siteKey) && (p.stores === '*' || p.stores.some((x) => x.site === siteKey && x.store === storeId));
}

/** Throws 403 unless the principal may see `siteKey`. Same answer for unknown sites: no probing. */
export function assertSite(p: Principal, siteKey: string): void {
  if (!canSite(p, siteKey)) throw new ApiError(403, 'forbidden', `this token has no access to site "${siteKey}"`);
}

export async function createToken(
  db: D1Database,
  t: { kind: StoredTokenKind; sites: string[]; stores?: StorePair[]; label?: string },
  now = Date.now(),
): Promise<{ id: string; secret: string }> {
  const id = `tok_${nanoid(12)}`;
  const secret = newSecret(t.kind);
  await insertToken(db, { id, hash: await sha256Hex(secret), kind: t.kind, sites: t.sites, stores: t.stores ?? [], label: t.label ?? '' }, now);
  return { id, secret };
}
