// What a write tells the CRM: webhook rows in the outbox, written in the same
// D1 batch (one transaction) as the change they report, so a change is never
// kept without its webhook nor a webhook sent for a change that was not kept;
// then sent after the response via waitUntil, so no request waits on the CRM.
import { nanoid } from 'nanoid';
import { getCrm, insertDelivery, type Condition } from '../db/crm';
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

/**
 * The outbox rows for `events`, to run in the change's own batch: none when the
 * site has no CRM. `onlyIf`: a condition on the change's row (SQL of an EXISTS),
 * so a row is written only when the change really happened in that transaction.
 */
export async function outbox(db: D1Database, siteKey: string, events: CrmEvent[], now = Date.now(), onlyIf?: Condition): Promise<D1PreparedStatement[]> {
  if (events.length === 0) return [];
  const crm = await getCrm(db, siteKey);
  if (!crm || !crm.enabled) return [];
  return events.map((e) => {
    const id = `whd_${nanoid(16)}`;
    const body: WebhookBody = { id, type: e.type, site: siteKey, createdAt: new Date(now).toISOString(), data: e.data };
    return insertDelivery(db, { site_key: siteKey, id, type: e.type, body: JSON.stringify(body), created_at: now }, onlyIf);
  });
}

/**
 * Sends what is due after the response. Sending also retries this site's
 * earlier deliveries that are due, so a CRM that was down catches up on the
 * next write rather than waiting for the cron.
 */
/** The request's or the queue batch's waitUntil, passed in: a flow never reaches for the runtime. */
export type WaitUntil = (p: Promise<unknown>) => void;

export function deliverSoon(db: D1Database, siteKey: string, waitUntil: WaitUntil): void {
  waitUntil(deliverDue(db, { siteKey }).catch((err) => console.error('crm delivery', err)));
}

/** A change already written (a lead's screening): its outbox row alone, then the sending. */
export async function notifyCrm(db: D1Database, siteKey: string, events: CrmEvent[], waitUntil: WaitUntil): Promise<void> {
  const stmts = await outbox(db, siteKey, events);
  if (!stmts.length) return;
  await db.batch(stmts);
  deliverSoon(db, siteKey, waitUntil);
}
