// The desk's D1 rows: single-use WebSocket tickets, the site's quick replies
// and topic tags, an agent's name (its token's label) and a store's card for
// the chat (migration 0013). Every value bound.
import { DESK_LIMITS, type DeskSettings, type StoreCard } from '../../protocol/desk';
import { sha256Hex } from '../auth/tokens';

/** A new ticket for `agent` at `site`; expired tickets of the site leave at the same time. */
export async function issueTicket(db: D1Database, site: string, agent: string, ticket: string, now = Date.now()): Promise<number> {
  const expiresAt = now + DESK_LIMITS.ticketSeconds * 1000;
  await db.batch([
    db.prepare('DELETE FROM desk_tickets WHERE site_key = ?1 AND expires_at <= ?2').bind(site, now),
    db.prepare('INSERT INTO desk_tickets (hash, site_key, agent, expires_at) VALUES (?1, ?2, ?3, ?4)').bind(await sha256Hex(ticket), site, agent, expiresAt),
  ]);
  return expiresAt;
}

/** The ticket's site and agent, once: it is deleted by the same statement. Null when unknown, used or expired. */
export async function redeemTicket(db: D1Database, ticket: string, now = Date.now()): Promise<{ site: string; agent: string } | null> {
  const row = await db
    .prepare('DELETE FROM desk_tickets WHERE hash = ?1 RETURNING site_key, agent, expires_at')
    .bind(await sha256Hex(ticket))
    .first<{ site_key: string; agent: string; expires_at: number }>();
  return row && row.expires_at > now ? { site: row.site_key, agent: row.agent } : null;
}

/** The name an agent goes by: its token's label, else its id; the admin token is "admin". */
export async function agentName(db: D1Database, tokenId: string): Promise<string> {
  if (tokenId === 'admin') return 'admin';
  const row = await db.prepare('SELECT label FROM tokens WHERE id = ?1').bind(tokenId).first<{ label: string }>();
  return (row?.label || tokenId).slice(0, 64);
}

export async function getDeskSettings(db: D1Database, site: string): Promise<DeskSettings> {
  const row = await db.prepare('SELECT quick_replies, topic_tags FROM desk_settings WHERE site_key = ?1').bind(site).first<{ quick_replies: string; topic_tags: string }>();
  return { site, quickReplies: JSON.parse(row?.quick_replies ?? '[]'), topicTags: JSON.parse(row?.topic_tags ?? '[]') };
}

/** Sets what `patch` names; the rest keeps its value. */
export async function setDeskSettings(db: D1Database, site: string, patch: Partial<Omit<DeskSettings, 'site'>>, now = Date.now()): Promise<DeskSettings> {
  const next = { ...(await getDeskSettings(db, site)), ...patch };
  await db
    .prepare(
      `INSERT INTO desk_settings (site_key, quick_replies, topic_tags, updated_at) VALUES (?1, ?2, ?3, ?4)
       ON CONFLICT (site_key) DO UPDATE SET quick_replies = excluded.quick_replies, topic_tags = excluded.topic_tags, updated_at = excluded.updated_at`,
    )
    .bind(site, JSON.stringify(next.quickReplies), JSON.stringify(next.topicTags), now)
    .run();
  return next;
}

/** A store as the chat shows it; null for an unknown store. */
export async function storeCard(db: D1Database, site: string, store: string): Promise<StoreCard | null> {
  const r = await db.prepare('SELECT store_id, name, address FROM stores WHERE site_key = ?1 AND store_id = ?2').bind(site, store).first<{ store_id: string; name: string; address: string | null }>();
  return r ? { id: r.store_id, name: r.name, address: r.address } : null;
}
