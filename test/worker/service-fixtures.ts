// Fixtures for the service tests. Conversation events go through the real
// endpoint; the visitor and lead rows the conversations refer to are written
// straight into the real D1 (the rows /collect and the lead API would make), so
// these tests pin the service report's arithmetic without depending on them.
import { env } from 'cloudflare:test';
import type { ConversationEventInput } from '../../protocol/chat';
import { call } from './helpers';

export async function postConversations(token: string, site: string, events: ConversationEventInput[] | unknown[]): Promise<Response> {
  return call('/api/v1/conversations', { method: 'POST', token, json: { site, events } });
}

export async function addVisitor(site: string, visitorId: string, lastChannel: string, at = Date.UTC(2025, 0, 1)): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO visitors (site_key, visitor_id, first_seen, last_seen, first_channel, first_at, last_channel, last_at)
     VALUES (?1, ?2, ?3, ?3, ?4, ?3, ?4, ?3)`,
  )
    .bind(site, visitorId, at, lastChannel)
    .run();
}

export async function addLead(site: string, code: string, visitorId: string | null, createdAt: number, lastChannel = 'direct'): Promise<void> {
  await env.DB.prepare(
    `INSERT INTO leads (site_key, code, visitor_id, created_at, updated_at, day, last_channel)
     VALUES (?1, ?2, ?3, ?4, ?4, '2000-01-01', ?5)`,
  )
    .bind(site, code, visitorId, createdAt, lastChannel)
    .run();
}

export const SEC = 1000;
export const DAY = 86_400_000;
