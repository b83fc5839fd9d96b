// Sends due webhooks from the outbox, one attempt each, and books the result:
// delivered on a 2xx, else retried with backoff until MAX_ATTEMPTS, then failed
// (visible to the admin, who can requeue it). Called after a write (waitUntil)
// and by the cron.
import { claimDelivery, dueDeliveries, getCrm, recordAttempt, type DeliveryRow } from '../db/crm';
import { SIGNATURE_HEADER, signatureFor } from './sign';

/** Wait before attempt n+1 after n failed attempts: 1 min, 5 min, 30 min, 2 h, 6 h, 12 h, 24 h. */
export const BACKOFF_MS = [60_000, 300_000, 1_800_000, 7_200_000, 21_600_000, 43_200_000, 86_400_000];
export const MAX_ATTEMPTS = BACKOFF_MS.length + 1;
const LEASE_MS = 60_000; // longer than an attempt can take (TIMEOUT_MS)
const TIMEOUT_MS = 10_000;

export interface DeliverOptions {
  siteKey?: string; // only this site's; every site's when absent (cron)
  now?: number;
  limit?: number;
}

export interface DeliverResult {
  attempted: number;
  delivered: number;
}

export async function deliverDue(db: D1Database, o: DeliverOptions = {}): Promise<DeliverResult> {
  const now = o.now ?? Date.now();
  const due = await dueDeliveries(db, now, o.siteKey ?? null, o.limit ?? 50);
  const out: DeliverResult = { attempted: 0, delivered: 0 };
  for (const d of due) {
    if (!(await claimDelivery(db, d, now, LEASE_MS))) continue; // someone else is sending it
    out.attempted++;
    if (await attempt(db, d, now)) out.delivered++;
  }
  return out;
}

async function attempt(db: D1Database, d: DeliveryRow, now: number): Promise<boolean> {
  const crm = await getCrm(db, d.site_key);
  let httpStatus: number | null = null;
  let error: string | null = null;
  if (!crm || !crm.enabled) {
    error = 'the site has no enabled CRM webhook';
  } else {
    try {
      const res = await fetch(crm.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'o2o-tracker-webhook/1',
          'o2o-event': d.type,
          'o2o-delivery': d.id,
          [SIGNATURE_HEADER]: await signatureFor(crm.secret, d.body, Date.now()),
        },
        body: d.body,
        signal: AbortSignal.timeout(TIMEOUT_MS),
      });
      httpStatus = res.status;
      await res.body?.cancel(); // the answer's body is not read: free the connection
      if (!res.ok) error = `HTTP ${res.status}`;
    } catch (err) {
      error = err instanceof Error ? `${err.name}: ${err.message}`.slice(0, 300) : 'fetch failed';
    }
  }
  const attempts = d.attempts + 1;
  if (error === null) {
    await recordAttempt(db, d, { status: 'delivered', httpStatus, error: null, nextAt: now, now });
    return true;
  }
  const failed = attempts >= MAX_ATTEMPTS;
  await recordAttempt(db, d, { status: failed ? 'failed' : 'pending', httpStatus, error, nextAt: failed ? now : now + BACKOFF_MS[attempts - 1], now });
  return false;
}
