// Sends due conversions from the outbox, one attempt each, with the CRM
// webhook's backoff and attempt limit (worker/crm/deliver.ts): delivered when
// the platform's answer says it took the conversion; anything else (its
// refusal, an HTTP error, a timeout, a missing secret) is retried until the
// last attempt, then failed for the admin to see. A paused connector's rows
// wait, unattempted, until it is on again. The request is built at send
// time from the connector as it is then, with the credential read from the
// Worker secret it names.
import { BACKOFF_MS, MAX_ATTEMPTS } from '../crm/deliver';
import type { Conversion } from './request';
import { bookAdAttempt, dueAdDeliveries, getConnector, leaseAdDelivery, settingsOf, typesOf, type AdDeliveryRow } from './sql';
import { PLATFORMS } from './stages';

const LEASE_MS = 60_000; // longer than an attempt can take
const TIMEOUT_MS = 10_000;
const ANSWER_CHARS = 500;
const SENT_CHARS = 2000;

/** Where credentials come from: the worker's env (its secrets), passed in. */
export type Secrets = Record<string, unknown>;

export interface AdDeliverOptions {
  siteKey?: string; // only this site's; every site's when absent (the cron)
  now?: number;
  limit?: number;
}

export async function deliverAdConversions(db: D1Database, secrets: Secrets, o: AdDeliverOptions = {}): Promise<{ attempted: number; delivered: number }> {
  const now = o.now ?? Date.now();
  let [attempted, delivered] = [0, 0];
  for (const d of await dueAdDeliveries(db, now, o.siteKey ?? null, o.limit ?? 50)) {
    if (!(await leaseAdDelivery(db, d, now + LEASE_MS))) continue; // another sender has it
    const r = await send(db, secrets, d, now);
    if (r === PAUSED) continue; // paused since the scan: held, no attempt counted (the lease runs out)
    attempted++;
    const tries = d.attempts + 1;
    const failed = r.error !== null && tries >= MAX_ATTEMPTS;
    await bookAdAttempt(db, d, {
      ...r, status: r.error === null ? 'delivered' : failed ? 'failed' : 'pending',
      nextAt: r.error === null || failed ? now : now + BACKOFF_MS[tries - 1], at: now,
    });
    if (r.error === null) delivered++;
  }
  return { attempted, delivered };
}

interface Sent {
  httpStatus: number | null;
  error: string | null; // null: the platform took it
  type: string | null;
  sent: string | null;
  answer: string | null;
}

const none = (error: string): Sent => ({ httpStatus: null, error, type: null, sent: null, answer: null });
const PAUSED: Sent = none('the connector is paused');

/** One attempt. Errors name what failed, never the URL or a header (they may hold the credential). */
async function send(db: D1Database, secrets: Secrets, d: AdDeliveryRow, now: number): Promise<Sent> {
  const k = await getConnector(db, d.site_key, d.platform);
  if (!k) return none('the connector is removed');
  if (!k.enabled) return PAUSED;
  const platform = PLATFORMS[d.platform];
  const type = typesOf(k)[d.stage];
  if (type === undefined) return none(`the connector no longer maps "${d.stage}" to a conversion type`);
  const secret = k.secret_name ? secrets[k.secret_name] : undefined;
  if (platform.needsSecret && (typeof secret !== 'string' || !secret)) {
    return none(`the Worker secret ${k.secret_name ?? '(none named)'} is not set: wrangler secret put ${k.secret_name ?? '<NAME>'}`);
  }
  const settings = settingsOf(k);
  const missing = platform.requires.filter((s) => !settings[s]);
  if (missing.length) return none(`the connector lacks ${missing.join(', ')}`);
  const c: Conversion = {
    id: d.id, stage: d.stage, type, clickId: d.click_id, landingUrl: d.landing_url, value: d.value, reason: d.reason, happenedAt: d.happened_at,
  };
  const req = await platform.build(c, { secret: typeof secret === 'string' ? secret : null, settings }, now);
  const shown = { type: String(type), sent: req.shown.slice(0, SENT_CHARS) };
  let res: Response;
  try {
    res = await fetch(req.url, { method: 'POST', headers: { 'user-agent': 'o2o-tracker-conversions/1', ...req.headers }, body: req.body, signal: AbortSignal.timeout(TIMEOUT_MS) });
  } catch (err) {
    return { ...shown, httpStatus: null, error: err instanceof Error ? err.name : 'fetch failed', answer: null };
  }
  const text = await res.text();
  return { ...shown, httpStatus: res.status, error: platform.verdict(res.status, text), answer: text.slice(0, ANSWER_CHARS) };
}
