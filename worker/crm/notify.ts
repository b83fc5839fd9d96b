// What a write tells the CRM: enqueue webhook rows in the outbox (only when the
// site has a CRM configured), then send them after the response via waitUntil,
// so the request that caused them never waits on the CRM.
import { nanoid } from 'nanoid';
import { getCrm, insertDelivery } from '../db/crm';
import { deliverDue } from './deliver';

export type CrmEventType = 'lead.created' | 'lead.updated' | 'arrival.created' | 'deal.created' | 'deal.voided';

export interface CrmEvent {
  type: CrmEventType;
  data: Record<string, unknown>;
}

/** The JSON every webhook carries: `id` is stable across retries, so the CRM can drop a repeat. */
export interface WebhookBody {
  id: string;
  type: CrmEventType;
  site: string;
  createdAt: string; // ISO 8601, when the change happened
  data: Record<string, unknown>;
}

/** Writes one outbox row per event; returns how many (0 when no CRM is configured). */
export async function enqueue(db: D1Database, siteKey: string, events: CrmEvent[], now = Date.now()): Promise<number> {
  if (events.length === 0) return 0;
  const crm = await getCrm(db, siteKey);
  if (!crm || !crm.enabled) return 0;
  const stmts = events.map((e) => {
    const id = `whd_${nanoid(16)}`;
    const body: WebhookBody = { id, type: e.type, site: siteKey, createdAt: new Date(now).toISOString(), data: e.data };
    return insertDelivery(db, { site_key: siteKey, id, type: e.type, body: JSON.stringify(body), created_at: now });
  });
  await db.batch(stmts);
  return stmts.length;
}

/**
 * Enqueues, then hands the sending to `waitUntil`. Sending also retries this
 * site's earlier deliveries that are due, so a CRM that was down catches up on
 * the next write rather than waiting for the cron.
 */
export async function notifyCrm(db: D1Database, siteKey: string, events: CrmEvent[], waitUntil: (p: Promise<unknown>) => void): Promise<void> {
  const n = await enqueue(db, siteKey, events);
  if (n > 0) waitUntil(deliverDue(db, { siteKey }).catch((err) => console.error('crm delivery', err)));
}
