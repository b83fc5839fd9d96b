// Report, store and service tokens. Rows hold a SHA-256 of the secret, never the secret;
// listings never return the hash either. `stores` holds (site, store) pairs
// as JSON, [{"site":"a","store":"x"}] (migration 0007).
import type { StorePair, StoredTokenKind, TokenJson } from '../../protocol/admin';

export interface TokenRow {
  id: string;
  kind: StoredTokenKind;
  sites: string;
  stores: string;
  revoked_at: number | null;
}

/** A token as listed (protocol/admin.ts): never its secret or its hash. */
export type TokenInfo = TokenJson;

export function findTokenByHash(db: D1Database, hash: string): Promise<TokenRow | null> {
  return db.prepare('SELECT id, kind, sites, stores, revoked_at FROM tokens WHERE hash = ?1').bind(hash).first<TokenRow>();
}

export async function insertToken(
  db: D1Database,
  t: { id: string; hash: string; kind: StoredTokenKind; sites: string[]; stores: StorePair[]; label: string },
  now: number,
): Promise<void> {
  await db
    .prepare('INSERT INTO tokens (id, hash, kind, sites, stores, label, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)')
    .bind(t.id, t.hash, t.kind, JSON.stringify(t.sites), JSON.stringify(t.stores), t.label, now)
    .run();
}

interface ListRow {
  id: string;
  kind: StoredTokenKind;
  sites: string;
  stores: string;
  label: string;
  created_at: number;
  revoked_at: number | null;
}

/** Tokens, newest first; with `site`, only those that name it. */
export async function listTokens(db: D1Database, site?: string): Promise<TokenInfo[]> {
  const { results } = await db
    .prepare(
      `SELECT id, kind, sites, stores, label, created_at, revoked_at FROM tokens
       WHERE ?1 IS NULL OR EXISTS (SELECT 1 FROM json_each(tokens.sites) WHERE value = ?1)
       ORDER BY created_at DESC, id`,
    )
    .bind(site ?? null)
    .all<ListRow>();
  return results.map((r) => ({
    id: r.id, kind: r.kind, sites: JSON.parse(r.sites), stores: JSON.parse(r.stores), label: r.label,
    createdAt: r.created_at, revokedAt: r.revoked_at,
  }));
}

/** Revokes a token; false when there is no such token. Revoking twice keeps the first time. */
export async function revokeToken(db: D1Database, id: string, now = Date.now()): Promise<boolean> {
  const r = await db.prepare('UPDATE tokens SET revoked_at = coalesce(revoked_at, ?2) WHERE id = ?1').bind(id, now).run();
  return r.meta.changes > 0;
}
